import { formatShortTime } from '../domain/period';
import type { Post, Target } from '../domain/records';
import { safeUserText } from '../domain/text';
import { completion, channelLabel } from '../cards/weekly';
import { renderHistory } from '../cards/history';
import { renderSubscriptions } from '../cards/subscriptions';
import type { AdaptiveCard } from '../cards/templates';
import type { ServiceDeps } from './context';

const WEEKS = 8;

/** `history` and `subscriptions`: what happened here, and where Rounds posts. */
export class HistoryService {
  constructor(private readonly deps: ServiceDeps) {}

  private dateTime(at: string, tz: string): string {
    const d = new Date(at);
    const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: tz }).format(d);
    return `${day} ${formatShortTime(d, tz).split(' ')[1]}`;
  }

  async historyCard(target: Target): Promise<AdaptiveCard> {
    const { store, checklist } = this.deps;
    const tz = target.timeZone ?? this.deps.settings.defaultTimeZone;
    const posts = (await store.listPosts(target.id, WEEKS)).filter((p: Post) => p.status === 'sent');
    const total = checklist.items.length;
    const weeks = await Promise.all(
      posts.map(async (p) => {
        const acks = await store.listAcks(p.id);
        const acked = checklist.items.filter((i) => acks.some((a) => a.itemId === i.id)).length;
        const done = completion(
          checklist.items.map((i) => i.id),
          acks,
        );
        const posted = p.sentAt ? `posted ${this.dateTime(p.sentAt, tz)}` : 'posted';
        return {
          period: p.periodKey,
          progress: `${acked}/${total} acknowledged${done ? ' ✔' : ''}`,
          detail: done
            ? `${posted} · completed ${this.dateTime(done.at, tz)} by ${done.by.map((n) => safeUserText(n, 60)).join(', ')}`
            : `${posted} · not completed`,
        };
      }),
    );
    const completed = weeks.filter((w) => w.progress.endsWith('✔')).length;
    return renderHistory({
      heading: `History · ${channelLabel(target)}`,
      subheading: posts.length ? `Last ${posts.length} week${posts.length === 1 ? '' : 's'}: ${completed} completed` : '',
      weeks,
      footnote: `Times in ${tz}. Type "export" for the full audit trail as CSV.`,
    });
  }

  async subscriptionsCard(target: Target): Promise<AdaptiveCard> {
    const all = await this.deps.store.listTargets({ status: 'active' });
    const mine = all.filter((t) => t.tenantId === target.tenantId && t.subscribed);
    return renderSubscriptions({
      heading: `Rounds posts the weekly checklist in ${mine.length} place${mine.length === 1 ? '' : 's'}`,
      rows: mine.map((t) => ({
        title: channelLabel(t),
        value: `${t.timeZone ?? this.deps.settings.defaultTimeZone}${t.id === target.id ? ' · this conversation' : ''}`,
      })),
      footnote: `Schedule "${this.deps.settings.checklistSchedule}", reminders "${this.deps.settings.reminderSchedule}". "subscribe" / "unsubscribe" in a channel changes it.`,
    });
  }
}
