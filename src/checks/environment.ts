import type { Config } from '../config';
import type { Logger } from '../logger';
import { createRegistry, type CheckRegistry } from './check';
import {
  DEFAULT_MESSAGE_CENTER_SERVICES,
  DEFAULT_MESSAGE_CENTER_TITLE_FILTER,
  type CheckDeps,
  type CheckSettings,
} from './check-deps';
import { createSspmCheck } from './sspm';
import { createConnectorsCheck } from './connectors';
import { createMessageCenterCheck } from './message-center';
import { createGovernanceLogCheck } from './governance-log';
import { unconfiguredCloudAppsReader, unconfiguredGraphReader } from './unconfigured-readers';
import { createHttpSender } from '../net/http-sender';
import { RollingWindowLimiter } from '../net/rate-limiter';
import { ConcurrencyLimiter } from '../net/concurrency-limiter';
import { realTimer, type Timer } from '../net/timer';
import type { RetryPolicy } from '../net/retry-policy';
import { NotConfiguredError } from '../net/errors';
import { AZURE_IDENTITY_VARIABLES, BoundedCredential, StaticTokenCredential, createAzureCredential } from '../net/azure-credential';
import { createGraphClientReader } from '../graph/graph-client-reader';
import type { GraphReader } from '../graph/graph-reader';
import { createRestCloudAppsReader } from '../cloud-apps/rest-cloud-apps-reader';
import type { CloudAppsReader } from '../cloud-apps/cloud-apps-reader';
import { startSampleTenant, type SampleTenant, type SampleTenantOptions } from '../sample-tenant/server';
import { SAMPLE_APP_ID } from '../sample-tenant/data';

export interface CheckEnvironmentOptions {
  /** The clock of the sample tenant's data and of date filters (checks take their "now" from CheckContext). */
  now?: () => Date;
  /** Tests: a fast timer for backoff sleeps and the per-minute limiter. */
  timer?: Timer;
  /** Tests: fewer/shorter retries. */
  retry?: Partial<RetryPolicy>;
  /** Options for the in-process sample tenant (SAMPLE_TENANT=true). */
  sampleTenant?: SampleTenantOptions;
}

export interface CheckEnvironment {
  registry: CheckRegistry;
  /** Base URL of the in-process sample tenant, when SAMPLE_TENANT=true. */
  sampleTenantUrl?: string;
  /** The sample tenant itself (faults, data, request log), when SAMPLE_TENANT=true. */
  sampleTenant?: SampleTenant;
  /** The tenant's one Cloud Apps limiter, shared by every check. */
  cloudAppsLimiter: RollingWindowLimiter;
  close(): Promise<void>;
}

/** Graph scope per cloud: national clouds use their own host (service-communications-api-overview.md). */
function graphScope(baseUrl: string): string {
  const host = new URL(baseUrl).hostname;
  const national = ['graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'];
  return national.includes(host) ? `https://${host}/.default` : 'https://graph.microsoft.com/.default';
}

/** Token handed to the sample tenant, which accepts any bearer token. */
const SAMPLE_TOKEN = 'sample-tenant-token';
/** Secure Score allows 4 concurrent requests per app per tenant (cloud-apps-apis.md §3.1). */
const SECURE_SCORE_CONCURRENCY = 4;

/**
 * Builds the four checks and their clients from configuration. SAMPLE_TENANT=true starts the sample tenant in
 * process and points both clients at it; otherwise real clients are built, and missing configuration yields checks
 * that answer "manual" naming the variables to set.
 */
export async function createCheckEnvironment(config: Config, logger: Logger, opts: CheckEnvironmentOptions = {}): Promise<CheckEnvironment> {
  const timer = opts.timer ?? realTimer;
  const log = logger.child({ component: 'checks' });
  // Cloud Apps may hold a throttled call for about a minute before answering (cloud-apps-apis.md §4), so its requests
  // get their own, longer timeout.
  const sender = (api: string) =>
    createHttpSender({ api, timeoutMs: api === 'cloud-apps' ? config.CLOUD_APPS_TIMEOUT_MS : config.HTTP_TIMEOUT_MS, retry: opts.retry, timer, logger: log });
  // A 5 % longer window than the API's minute: our start and the tenant's count differ by network time, and the
  // budget is shared with every other client of the tenant.
  const cloudAppsLimiter = new RollingWindowLimiter(config.CLOUD_APPS_CALLS_PER_MINUTE, 63_000, timer);
  const secureScoreConcurrency = new ConcurrencyLimiter(SECURE_SCORE_CONCURRENCY);

  let sampleTenant: SampleTenant | undefined;
  let graph: GraphReader;
  let cloudApps: CloudAppsReader;
  const settings: CheckSettings = {
    sample: config.SAMPLE_TENANT,
    appId: config.AZURE_CLIENT_ID,
    messageCenterServices: config.MESSAGE_CENTER_SERVICES.length ? config.MESSAGE_CENTER_SERVICES : DEFAULT_MESSAGE_CENTER_SERVICES,
    messageCenterTitleFilter: config.MESSAGE_CENTER_TITLE_FILTER ?? DEFAULT_MESSAGE_CENTER_TITLE_FILTER,
    expectedAppConnectors: config.EXPECTED_APP_CONNECTORS,
  };

  if (config.SAMPLE_TENANT) {
    sampleTenant = await startSampleTenant({ now: opts.now, ...opts.sampleTenant });
    const credential = new BoundedCredential(new StaticTokenCredential(SAMPLE_TOKEN), 'sample', config.HTTP_TIMEOUT_MS, []);
    graph = createGraphClientReader({ baseUrl: sampleTenant.url, credential, send: sender('graph'), secureScoreConcurrency });
    cloudApps = createRestCloudAppsReader({
      baseUrl: sampleTenant.url,
      credential,
      legacyToken: config.CLOUD_APPS_API_TOKEN,
      send: sender('cloud-apps'),
      limiter: cloudAppsLimiter,
      now: opts.now,
    });
    settings.appId = config.AZURE_CLIENT_ID ?? SAMPLE_APP_ID;
    settings.credentialKind = 'sample';
    log.info({ url: sampleTenant.url }, 'sample tenant started; checks use sample data');
  } else {
    const azure = createAzureCredential(config);
    settings.credentialKind = azure?.kind;
    if (azure) {
      const credential = new BoundedCredential(azure.credential, 'graph', config.HTTP_TIMEOUT_MS, AZURE_IDENTITY_VARIABLES);
      graph = createGraphClientReader({
        baseUrl: config.GRAPH_BASE_URL,
        credential,
        send: sender('graph'),
        secureScoreConcurrency,
        scope: graphScope(config.GRAPH_BASE_URL),
      });
    } else {
      graph = unconfiguredGraphReader(new NotConfiguredError('graph', 'Microsoft Graph access', AZURE_IDENTITY_VARIABLES));
    }
    if (!config.CLOUD_APPS_BASE_URL) {
      cloudApps = unconfiguredCloudAppsReader(
        new NotConfiguredError('cloud-apps', 'Defender for Cloud Apps', ['CLOUD_APPS_BASE_URL (Settings > Cloud Apps > System > About shows the API URL)']),
        Boolean(config.CLOUD_APPS_API_TOKEN),
      );
    } else if (!azure && !config.CLOUD_APPS_API_TOKEN) {
      cloudApps = unconfiguredCloudAppsReader(
        new NotConfiguredError('cloud-apps', 'Defender for Cloud Apps access', [...AZURE_IDENTITY_VARIABLES, 'or CLOUD_APPS_API_TOKEN']),
        false,
      );
    } else {
      cloudApps = createRestCloudAppsReader({
        baseUrl: config.CLOUD_APPS_BASE_URL,
        credential: azure ? new BoundedCredential(azure.credential, 'cloud-apps', config.HTTP_TIMEOUT_MS, AZURE_IDENTITY_VARIABLES) : undefined,
        legacyToken: config.CLOUD_APPS_API_TOKEN,
        send: sender('cloud-apps'),
        limiter: cloudAppsLimiter,
        now: opts.now,
      });
    }
  }

  const deps: CheckDeps = { graph, cloudApps, settings };
  const registry = createRegistry([createSspmCheck(deps), createConnectorsCheck(deps), createMessageCenterCheck(deps), createGovernanceLogCheck(deps)]);
  return {
    registry,
    sampleTenantUrl: sampleTenant?.url,
    sampleTenant,
    cloudAppsLimiter,
    close: async () => {
      await sampleTenant?.close();
    },
  };
}
