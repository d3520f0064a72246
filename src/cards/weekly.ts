import type { Checklist } from '../domain/checklist';
import type { Ack, Post, StoredOutcome, Target } from '../domain/records';
import { evidenceLabel } from '../domain/outcome';
import { formatPeriodDates, formatShortTime, type Period } from '../domain/period';
import { safeUserText } from '../domain/text';
import { expand, type AdaptiveCard } from './templates';
import { STATUS_STYLE } from './status-style';

/** Typed model of cards/weekly-checklist.json. */
export interface WeeklyCardModel {
  title: string;
  week: number;
  dates: string;
  channel: string;
  postId: string;
  periodKey: string;
  items: Array<{
    id: string;
    number: number;
    title: string;
    persona: string;
    where: string;
    whereUrl: string;
    description: string;
    subItems: Array<{ title: string; where: string; link: string }>;
    badge: string;
    badgeColor: string;
    statusLine: string;
    statusColor: string;
    checkLine: string;
  }>;
  progress: string;
  completedLine: string;
  footnote: string;
}

export interface WeeklyView {
  checklist: Checklist;
  post: Pick<Post, 'id' | 'periodKey'>;
  period: Period;
  target: Pick<Target, 'channelName' | 'teamName' | 'kind'>;
  acks: Ack[];
  outcomes: StoredOutcome[];
  /** Item ids whose check is running right now. */
  running: ReadonlySet<string>;
  timeZone: string;
}

/** Names shown per item before "+N more": keeps the card well under Teams' size limit with 50 acknowledgers. */
const MAX_NAMES = 3;

function byTime(a: Ack, b: Ack) {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.userId.localeCompare(b.userId);
}

export function channelLabel(target: WeeklyView['target']): string {
  if (target.kind === 'personal') return 'Personal chat';
  if (target.kind === 'groupChat') return target.channelName ? safeUserText(target.channelName, 60) : 'Group chat';
  const channel = target.channelName ? safeUserText(target.channelName, 60) : 'General';
  return target.teamName ? `${safeUserText(target.teamName, 60)} › ${channel}` : channel;
}

/** When every item has at least one ack: the moment the last item got its first one, and who gave those. */
export function completion(items: string[], acks: Ack[]): { at: string; by: string[] } | undefined {
  const first = new Map<string, Ack>();
  for (const a of [...acks].sort(byTime)) if (!first.has(a.itemId)) first.set(a.itemId, a);
  if (!items.every((id) => first.has(id))) return undefined;
  const firsts = items.map((id) => first.get(id)!);
  const at = firsts.map((a) => a.at).sort().at(-1)!;
  const by = [...new Set(firsts.sort(byTime).map((a) => a.userName))];
  return { at, by };
}

export function buildWeeklyModel(v: WeeklyView): WeeklyCardModel {
  const tz = v.timeZone;
  const outcomes = new Map(v.outcomes.map((o) => [o.itemId, o.outcome]));
  const items = v.checklist.items.map((item, index) => {
    const acks = v.acks.filter((a) => a.itemId === item.id).sort(byTime);
    const outcome = outcomes.get(item.id);
    const running = v.running.has(item.id);
    const style = running ? STATUS_STYLE.running : outcome ? STATUS_STYLE[outcome.status] : STATUS_STYLE.none;
    let statusLine = 'Pending';
    if (acks.length) {
      const shown = acks.slice(0, MAX_NAMES).map((a) => {
        const evidence = a.evidence ? ` · ${a.evidence.label}` : '';
        return `${safeUserText(a.userName, 60)} · ${formatShortTime(a.at, tz)}${evidence}`;
      });
      const more = acks.length > MAX_NAMES ? ` (+${acks.length - MAX_NAMES} more)` : '';
      statusLine = `✔ ${shown.join('; ')}${more}`;
    }
    const checkLine = running
      ? 'Check running…'
      : outcome
        ? `Last check ${formatShortTime(outcome.checkedAt, tz)}: ${safeUserText(outcome.summary, 160)}${outcome.sample && !outcome.summary.includes('(sample data)') ? ' (sample data)' : ''}`
        : '';
    return {
      id: item.id,
      number: index + 1,
      title: item.title,
      persona: item.persona,
      where: `${item.where.portal} › ${item.where.path.replace(/ > /g, ' › ')}`,
      whereUrl: item.where.link,
      description: item.moreInfo.length
        ? `${item.description}\n\nFor more information: ${item.moreInfo.map((l) => `[${l.title}](${l.url})`).join(' · ')}`
        : item.description,
      subItems: item.subItems.map((s) => ({ title: s.title, where: s.where.replace(/ > /g, ' › '), link: s.link })),
      badge: style.badge,
      badgeColor: style.color,
      statusLine,
      statusColor: acks.length ? 'Good' : 'Default',
      checkLine,
    };
  });
  const itemIds = v.checklist.items.map((i) => i.id);
  const ackedCount = itemIds.filter((id) => v.acks.some((a) => a.itemId === id)).length;
  const done = completion(itemIds, v.acks);
  return {
    title: `Rounds · ${v.checklist.title}`,
    week: v.period.week,
    dates: formatPeriodDates(v.period),
    channel: channelLabel(v.target),
    postId: v.post.id,
    periodKey: v.post.periodKey,
    items,
    progress: `${ackedCount} of ${itemIds.length} acknowledged`,
    completedLine: done
      ? `Completed ${formatShortTime(done.at, tz)} by ${done.by.map((n) => safeUserText(n, 60)).join(', ')}`
      : '',
    footnote: `Times in ${tz}. Source: [${v.checklist.source.title}](${v.checklist.source.url})`,
  };
}

export function renderWeekly(v: WeeklyView): AdaptiveCard {
  return expand('weekly-checklist', buildWeeklyModel(v));
}

export { evidenceLabel };
