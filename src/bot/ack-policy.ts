import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Checklist } from '../domain/checklist';
import { AllowListPolicy, allowAll, parseAckAllowed, RosterPolicy, type AckPolicy, type GroupMembership } from '../services/access';
import { TeamsRoster } from './roster';
import { GraphGroupMembership } from './graph-groups';

/**
 * Who may acknowledge, from configuration:
 * - ACK_ALLOWED entries decide for the items they cover (user ids directly; group ids through Graph when
 *   AZURE_TENANT_ID/AZURE_CLIENT_ID and a secret or certificate are set).
 * - Everything else: any member of the team where the card was posted (roster lookup through the Bot Connector);
 *   in local mode (no BOT_ID, loopback only) everyone.
 */
export function createAckPolicy(deps: { config: Config; adapter: TeamsAdapter; logger: Logger; checklist?: Checklist }): AckPolicy {
  const { config, adapter, logger } = deps;
  const fallback: AckPolicy = config.localMode ? allowAll : new RosterPolicy(new TeamsRoster(adapter, config.BOT_ID ?? ''), { logger });
  if (!config.ACK_ALLOWED.length) return fallback;
  const rules = parseAckAllowed(config.ACK_ALLOWED);
  if (deps.checklist) {
    const known = new Set(deps.checklist.items.map((i) => i.id));
    for (const r of rules) {
      if (r.itemId !== undefined && !known.has(r.itemId)) {
        logger.warn({ itemId: r.itemId, known: [...known] }, 'ACK_ALLOWED names an item that is not on the checklist; the entry has no effect');
      }
    }
  }
  const groups = graphGroups(config);
  if (!groups) logger.info('ACK_ALLOWED: no Graph credentials (AZURE_*), so only user object ids can match, not groups');
  return new AllowListPolicy(config.ACK_ALLOWED, fallback, { groups, logger });
}

function graphGroups(config: Config): GroupMembership | undefined {
  if (!config.AZURE_TENANT_ID || !config.AZURE_CLIENT_ID) return undefined;
  const options = config.AZURE_AUTHORITY_HOST ? { authorityHost: config.AZURE_AUTHORITY_HOST } : {};
  let credential: TokenCredential;
  if (config.AZURE_CLIENT_SECRET) {
    credential = new ClientSecretCredential(config.AZURE_TENANT_ID, config.AZURE_CLIENT_ID, config.AZURE_CLIENT_SECRET, options);
  } else if (config.AZURE_CLIENT_CERTIFICATE_PATH) {
    credential = new ClientCertificateCredential(config.AZURE_TENANT_ID, config.AZURE_CLIENT_ID, { certificatePath: config.AZURE_CLIENT_CERTIFICATE_PATH }, options);
  } else {
    return undefined;
  }
  const scope = `${config.GRAPH_BASE_URL}/.default`;
  return new GraphGroupMembership({
    baseUrl: config.GRAPH_BASE_URL,
    timeoutMs: config.HTTP_TIMEOUT_MS,
    getToken: async () => {
      const t = await credential.getToken(scope);
      if (!t?.token) throw new Error('no Graph token');
      return t.token;
    },
  });
}
