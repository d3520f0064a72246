import type { Finding } from '../domain/outcome';
import { taskType, type GovernanceTask } from '../cloud-apps/types';
import type { Check } from './check';
import type { CheckDeps } from './check-deps';
import { LINKS } from './links';
import { HOUR_MS, OutcomeBuilder, neverThrow, plural, statusFromFindings } from './outcome-builder';

/**
 * Item 4, "Review the governance log". There is no supported API (cloud-apps-apis.md §3.9), so by default this is a
 * manual item with the link. With CLOUD_APPS_API_TOKEN (legacy token, the issuing user's rights, on a deprecation
 * path) it reads failed and pending tasks of the last 7 days from the undocumented /api/v1/governance/ — read-only,
 * never the retry route.
 *   pass  no failed task
 *   warn  only retriable label/parse failures, or tasks pending for more than 24 h
 *   fail  a failed governance action (suspend user, quarantine, ...), or repeated log-parse failures
 */

/** Task types whose failure is usually transient and retried by the service (labelling, log parsing). */
const RETRIABLE_KINDS = /^(DiscoveryParseLogTask|RmsProtectTask|RmsUnprotectTask|.*Label.*Task)$/;
const PARSE_TASK = 'DiscoveryParseLogTask';
const PENDING_LIMIT_MS = 24 * HOUR_MS;

export function createGovernanceLogCheck(deps: CheckDeps): Check {
  return {
    id: 'governance-log',
    title: 'Governance log: failed tasks',
    aliases: ['governance', 'governance log'],
    run: (ctx) =>
      neverThrow('governance-log', ctx, deps.settings, async () => {
        const b = new OutcomeBuilder('governance-log', ctx, deps.settings);
        if (!deps.cloudApps.hasLegacyToken) {
          b.skipped('cloud-apps', 'POST /api/v1/governance/', 'no supported API; legacy-token mode is off');
          b.add({
            title: 'Review the governance log in the portal',
            detail: 'No supported API covers the governance log. Look for failed tasks of the last 7 days. Optional: set CLOUD_APPS_API_TOKEN (a legacy API token) for a read-only automatic check.',
            severity: 'info',
            link: LINKS.governanceLog,
          });
          return b.finish('manual', 'Review the governance log in the portal: no supported API exists for it.');
        }
        let tasks: GovernanceTask[];
        try {
          const listed = await deps.cloudApps.listGovernanceTasks(7);
          tasks = listed.items;
          b.ok('cloud-apps', listed.request, { pages: listed.pages, items: tasks.length, ids: tasks.map((t) => t._id), note: 'legacy token, read-only' });
        } catch (e) {
          const m = b.failed('cloud-apps', 'POST /api/v1/governance/', e);
          b.add({ title: 'Review the governance log in the portal', detail: m.summary, severity: 'info', link: LINKS.governanceLog });
          return b.finish(m.status, `The governance log could not be read. ${m.summary}`);
        }

        const failed = tasks.filter((t) => t.status?.isSuccess === false);
        const pending = tasks.filter((t) => (t.status?.isSuccess ?? null) === null && t.timestamp !== undefined && ctx.now.getTime() - t.timestamp > PENDING_LIMIT_MS);
        const parseFailures = failed.filter((t) => taskType(t) === PARSE_TASK);
        const findings: Finding[] = [];
        for (const t of failed) {
          const kind = taskType(t);
          const retriable = RETRIABLE_KINDS.test(kind) && t.status?.shouldRetry === true;
          const repeatedParse = kind === PARSE_TASK && parseFailures.length > 1;
          findings.push({
            title: `Failed ${kind}${t.targetObject ? ` on ${t.targetObject}` : ''}`,
            detail: `${t.timestamp ? new Date(t.timestamp).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : ''} · ${t.status?.statusMessage ?? 'no message'}${retriable ? ' · retriable' : ''}`,
            severity: retriable && !repeatedParse ? 'medium' : 'high',
            link: LINKS.governanceLog,
          });
        }
        for (const t of pending) {
          findings.push({
            title: `${taskType(t)} pending for ${Math.round((ctx.now.getTime() - t.timestamp!) / HOUR_MS)} h${t.targetObject ? ` on ${t.targetObject}` : ''}`,
            detail: t.status?.statusMessage ?? 'Pending',
            severity: 'medium',
            link: LINKS.governanceLog,
          });
        }
        b.add(...findings);
        b.extra.mode = 'legacy-token';
        b.extra.counts = { failed: failed.length, pending: pending.length, parseFailures: parseFailures.length };
        const status = statusFromFindings(findings);
        const summary =
          status === 'pass'
            ? 'No failed governance tasks in the last 7 days.'
            : [failed.length ? `${plural(failed.length, 'failed governance task')} in 7 days` : '', pending.length ? `${plural(pending.length, 'task')} pending over 24 h` : '']
                .filter(Boolean)
                .join('; ')
                .replace(/^./, (c) => c.toUpperCase()) + '.';
        return b.finish(status, summary);
      }),
  };
}
