import type { Finding } from '../domain/outcome';
import type { ServiceMessage } from '../graph/types';
import type { Check } from './check';
import type { CheckDeps } from './check-deps';
import { LINKS } from './links';
import { DAY_MS, OutcomeBuilder, neverThrow, plural, shortDate } from './outcome-builder';

/**
 * Item 3, "Track new changes": Message center posts changed since the last run (cloud-apps-apis.md §3.8).
 * Relevant = one of MESSAGE_CENTER_SERVICES in services[], or MESSAGE_CENTER_TITLE_FILTER in the title.
 * viewPoint (read state) is null for application permissions, so the check remembers which versions it has shown.
 *   pass  nothing new   · warn  new or updated posts (listed)
 *   fail  a new post is a major change, or asks for action within 30 days
 */

const MEMORY_LAST_RUN = 'message-center:lastRunAt';
const MEMORY_SHOWN = 'message-center:shown';
/** First run, or a run after a long pause: look back a week (the checklist's cadence), at most 30 days. */
const FIRST_LOOKBACK_DAYS = 7;
const MAX_LOOKBACK_DAYS = 30;
const ACTION_WINDOW_DAYS = 30;
/** Shown ids older than this are forgotten, so memory stays small. */
const FORGET_AFTER_DAYS = 120;

export function createMessageCenterCheck(deps: CheckDeps): Check {
  const services = deps.settings.messageCenterServices.map((s) => s.toLowerCase());
  const titleFilter = deps.settings.messageCenterTitleFilter.toLowerCase();
  const relevant = (m: ServiceMessage) =>
    (m.services ?? []).some((s) => services.includes(s.toLowerCase())) || (titleFilter !== '' && m.title.toLowerCase().includes(titleFilter));

  return {
    id: 'message-center',
    title: 'Message center: new changes for Defender',
    aliases: ['message center', 'changes'],
    run: (ctx) =>
      neverThrow('message-center', ctx, deps.settings, async () => {
        const b = new OutcomeBuilder('message-center', ctx, deps.settings);
        const nowMs = ctx.now.getTime();
        const lastRun = await ctx.memory.get<string>(MEMORY_LAST_RUN);
        const shown = (await ctx.memory.get<Record<string, string>>(MEMORY_SHOWN)) ?? {};
        const since = new Date(Math.max(lastRun ? Date.parse(lastRun) : nowMs - FIRST_LOOKBACK_DAYS * DAY_MS, nowMs - MAX_LOOKBACK_DAYS * DAY_MS));

        let listed;
        try {
          listed = await deps.graph.listMessages(since);
        } catch (e) {
          const m = b.failed('graph', 'GET /v1.0/admin/serviceAnnouncement/messages', e);
          b.add({ title: 'Message center not checked', detail: m.summary, severity: 'info', link: LINKS.messageCenter });
          return b.finish(m.status, `Message center could not be read. ${m.summary}`);
        }
        const mine = listed.items.filter(relevant);
        // "New" is a post, or a new version of one, this check has not shown yet.
        const fresh = mine.filter((m) => shown[m.id] !== m.lastModifiedDateTime);
        b.ok('graph', listed.request, { pages: listed.pages, items: listed.items.length, ids: mine.map((m) => m.id) });

        const actionNeeded = (m: ServiceMessage) => {
          if (m.isMajorChange) return true;
          if (!m.actionRequiredByDateTime) return false;
          return Date.parse(m.actionRequiredByDateTime) - nowMs <= ACTION_WINDOW_DAYS * DAY_MS;
        };
        const findings: Finding[] = fresh
          .sort((x, y) => Number(actionNeeded(y)) - Number(actionNeeded(x)) || Date.parse(y.lastModifiedDateTime) - Date.parse(x.lastModifiedDateTime))
          .map((m) => {
            const notes: string[] = [];
            if (m.isMajorChange) notes.push('major change');
            if (m.actionRequiredByDateTime) notes.push(`action required by ${m.actionRequiredByDateTime.slice(0, 10)}`);
            notes.push(`${m.category ?? 'message'}, ${(m.services ?? []).join(', ') || 'no service'}`);
            notes.push(`${shown[m.id] ? 'updated' : 'posted/updated'} ${m.lastModifiedDateTime.slice(0, 10)}`);
            return { title: `${m.id}: ${m.title}`, detail: notes.join(' · '), severity: actionNeeded(m) ? 'high' : 'low', link: LINKS.messageCenterPost(m.id) } satisfies Finding;
          });
        b.add(...findings);

        for (const m of fresh) shown[m.id] = m.lastModifiedDateTime;
        for (const [id, modified] of Object.entries(shown)) if (nowMs - Date.parse(modified) > FORGET_AFTER_DAYS * DAY_MS) delete shown[id];
        await ctx.memory.put(MEMORY_SHOWN, shown);
        await ctx.memory.put(MEMORY_LAST_RUN, ctx.now.toISOString());

        b.extra.since = since.toISOString();
        b.extra.filter = { services: deps.settings.messageCenterServices, title: deps.settings.messageCenterTitleFilter };
        b.extra.relevant = mine.length;
        b.extra.new = fresh.map((m) => m.id);

        const action = findings.filter((f) => f.severity === 'high').length;
        const from = `since ${lastRun ? `the last run (${shortDate(since)})` : shortDate(since)}`;
        if (!fresh.length) return b.finish('pass', `No new Defender posts in the Message center ${from}.`);
        const summary = `${plural(fresh.length, 'new or updated Defender post')} ${from}${action ? `; ${action} need${action === 1 ? 's' : ''} action (major change or due within 30 days)` : ''}.`;
        return b.finish(action ? 'fail' : 'warn', summary);
      }),
  };
}
