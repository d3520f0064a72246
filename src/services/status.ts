import { periodOf, formatPeriodDates, formatShortTime } from '../domain/period';
import type { Target } from '../domain/records';
import { safeUserText } from '../domain/text';
import { completion } from '../cards/weekly';
import { renderStatus } from '../cards/status';
import type { AdaptiveCard } from '../cards/templates';
import type { ServiceDeps } from './context';

/** `status`: this period's items with who acknowledged and when, or pending. */
export class StatusService {
  constructor(private readonly deps: ServiceDeps) {}

  async statusCard(target: Target): Promise<AdaptiveCard> {
    const { store, clock, checklist } = this.deps;
    const tz = target.timeZone ?? this.deps.settings.defaultTimeZone;
    const period = periodOf(clock.now(), tz);
    const post = await store.getPostForPeriod(target.id, period.key);
    const heading = `Week ${period.week} · ${formatPeriodDates(period)}`;
    if (!post || post.status !== 'sent') {
      return renderStatus({
        heading,
        subheading: post ? 'The checklist for this week is being posted.' : 'No checklist has been posted here this week.',
        rows: checklist.items.map((i) => ({ title: i.title, value: 'Pending' })),
        progress: `0 of ${checklist.items.length} acknowledged · type "post checklist" to post it now`,
        link: '',
      });
    }
    const acks = await store.listAcks(post.id);
    const rows = checklist.items.map((item) => {
      const mine = acks.filter((a) => a.itemId === item.id).sort((a, b) => (a.at < b.at ? -1 : 1));
      const value = mine.length
        ? mine
            .slice(0, 5)
            .map((a) => `✔ ${safeUserText(a.userName, 60)} · ${formatShortTime(a.at, tz)}${a.evidence ? ` · ${a.evidence.label}` : ''}`)
            .join('; ') + (mine.length > 5 ? ` (+${mine.length - 5} more)` : '')
        : 'Pending';
      return { title: item.title, value };
    });
    const acked = checklist.items.filter((i) => acks.some((a) => a.itemId === i.id)).length;
    const done = completion(
      checklist.items.map((i) => i.id),
      acks,
    );
    return renderStatus({
      heading,
      subheading: `Posted ${post.sentAt ? formatShortTime(post.sentAt, tz) : ''} (${tz})`,
      rows,
      progress:
        `${acked} of ${checklist.items.length} acknowledged` +
        (done ? ` · completed ${formatShortTime(done.at, tz)} by ${done.by.map((n) => safeUserText(n, 60)).join(', ')}` : ''),
      link: '',
    });
  }
}
