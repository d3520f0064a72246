import { createAzureCredential } from '../net/azure-credential';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Checklist } from '../domain/checklist';
import { AllowListPolicy, allowAll, parseAckAllowed, RosterPolicy, type AckPolicy, type GroupMembership } from '../services/access';
import { TeamsRoster } from './roster';
import { GraphGroupMembership } from './graph-groups';

/**
 * Who may acknowledge, from configuration:
 * - ACK_ALLOWED entries decide for the items they cover (user ids directly; group ids through Graph with the
 *   checks' identity: AZURE_CLIENT_ID with a secret, a certificate or a managed identity).
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

/** Group lookups use the same identity as the checks (secret, certificate or managed identity). */
function graphGroups(config: Config): GroupMembership | undefined {
  const azure = createAzureCredential(config);
  if (!azure) return undefined;
  const scope = `${config.GRAPH_BASE_URL}/.default`;
  return new GraphGroupMembership({
    baseUrl: config.GRAPH_BASE_URL,
    timeoutMs: config.HTTP_TIMEOUT_MS,
    getToken: async () => {
      const t = await azure.credential.getToken(scope);
      if (!t?.token) throw new Error('no Graph token');
      return t.token;
    },
  });
}
