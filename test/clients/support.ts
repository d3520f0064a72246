import { startSampleTenant, type SampleTenant, type SampleTenantOptions } from '../../src/sample-tenant/server';
import { createHttpSender, type HttpSenderOptions } from '../../src/net/http-sender';
import { realTimer, type Timer } from '../../src/net/timer';
import { createGraphClientReader } from '../../src/graph/graph-client-reader';
import { createRestCloudAppsReader } from '../../src/cloud-apps/rest-cloud-apps-reader';
import { ConcurrencyLimiter } from '../../src/net/concurrency-limiter';
import { RollingWindowLimiter } from '../../src/net/rate-limiter';
import { StaticTokenCredential } from '../../src/net/azure-credential';

/** A real timer that also records every sleep the HTTP layer asks for (and shortens it, so tests stay fast). */
export function recordingTimer(): Timer & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => Date.now(), sleep: (ms, signal) => (sleeps.push(ms), realTimer.sleep(Math.min(ms, 5), signal)) };
}

export const TOKEN = 'client-test-token-0123456789';

export async function clients(opts: { tenant?: SampleTenantOptions; sender?: Partial<HttpSenderOptions>; limit?: number; legacyToken?: string; bearer?: boolean; timer?: Timer } = {}) {
  const tenant: SampleTenant = await startSampleTenant(opts.tenant);
  const timer = opts.timer ?? recordingTimer();
  const mk = (api: string) => createHttpSender({ api, timeoutMs: 2000, retry: { baseDelayMs: 10, maxDelayMs: 40, maxAttempts: 3, maxRetryAfterMs: 10_000 }, timer, ...opts.sender });
  const credential = new StaticTokenCredential(TOKEN);
  const limiter = new RollingWindowLimiter(opts.limit ?? 30, 60_000, timer);
  const graph = createGraphClientReader({ baseUrl: tenant.url, credential, send: mk('graph'), secureScoreConcurrency: new ConcurrencyLimiter(4) });
  const cloudApps = createRestCloudAppsReader({
    baseUrl: tenant.url,
    credential: opts.bearer === false ? undefined : credential,
    legacyToken: opts.legacyToken,
    send: mk('cloud-apps'),
    limiter,
  });
  return { tenant, timer, graph, cloudApps, limiter, send: mk('graph') };
}
