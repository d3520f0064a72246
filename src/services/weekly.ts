import { periodOf } from '../domain/period';
import type { Post, Target } from '../domain/records';
import { safeUserText } from '../domain/text';
import { renderMessage } from '../cards/message';
import { ConcurrencyLimiter } from '../net/concurrency-limiter';
import { ConcurrencyError } from '../store/store';
import type { ServiceDeps } from './context';
import { DeliveryError } from './messenger';
import type { PostChecklistService, PostResult } from './post-checklist';
import { retireTarget } from './targets';

export interface FanOutReport {
  targets: number;
  posted: number;
  already: number;
  inProgress: number;
  failed: number;
  retired: number;
  skipped: number;
}

/** A failed weekly post is retried on later ticks, but not forever. */
export const MAX_POST_ATTEMPTS = 8;

/**
 * The weekly fan-out and reminders, for the scheduler and the job endpoints alike. Idempotent: running it twice,
 * or on two instances at once, posts each target's card once per period (the claim in PostChecklistService).
 * Concurrency is bounded; the PacedMessenger keeps the pace under Teams' per-app and per-conversation limits.
 */
export class WeeklyService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly posting: PostChecklistService,
    private readonly concurrency: number,
  ) {}

  subscribedTargets(): Promise<Target[]> {
    return this.deps.store.listTargets({ status: 'active', subscribed: true });
  }

  async postTo(targets: Target[]): Promise<FanOutReport> {
    const report: FanOutReport = { targets: targets.length, posted: 0, already: 0, inProgress: 0, failed: 0, retired: 0, skipped: 0 };
    const gate = new ConcurrencyLimiter(this.concurrency);
    await Promise.all(
      targets.map((t) =>
        gate.run(async () => {
          const tz = this.posting.timeZoneOf(t);
          const existing = await this.deps.store.getPostForPeriod(t.id, periodOf(this.deps.clock.now(), tz).key);
          if (existing?.status === 'failed' && existing.attempts >= MAX_POST_ATTEMPTS) {
            report.skipped++;
            return;
          }
          let r: PostResult;
          try {
            r = await this.posting.postForTarget(t);
          } catch (err) {
            this.deps.logger.error({ err, target: t.id }, 'weekly post crashed');
            report.failed++;
            return;
          }
          if (r.kind === 'posted') report.posted++;
          else if (r.kind === 'already') report.already++;
          else if (r.kind === 'in-progress') report.inProgress++;
          else if (r.kind === 'failed') report.failed++;
          else report.retired++;
        }),
      ),
    );
    if (targets.length) this.deps.logger.info({ ...report }, 'weekly fan-out');
    return report;
  }

  /** Post to every subscribed target that has no card this period (job endpoint). */
  async postAll(): Promise<FanOutReport> {
    return this.postTo(await this.subscribedTargets());
  }

  /** The items of a post nobody has acknowledged yet. */
  async pendingItems(post: Post): Promise<string[]> {
    const acks = await this.deps.store.listAcks(post.id);
    return this.deps.checklist.items.filter((i) => !acks.some((a) => a.itemId === i.id)).map((i) => i.title);
  }

  /**
   * Remind a target once per period: a reply in the card's thread listing what is still pending; nothing when all is
   * done. The reminder is claimed (remindedAt, with the post's etag) before it is sent, so two instances never both
   * send it; a crash after the claim loses that one reminder rather than doubling it.
   */
  async remind(target: Target): Promise<'sent' | 'nothing-pending' | 'already' | 'no-post' | 'failed'> {
    const { store, clock, messenger, logger } = this.deps;
    const tz = this.posting.timeZoneOf(target);
    const post = await store.getPostForPeriod(target.id, periodOf(clock.now(), tz).key);
    if (!post || post.status !== 'sent' || !post.threadId) return 'no-post';
    if (post.remindedAt) return 'already';
    let claimed: Post;
    try {
      claimed = await store.updatePost(post.id, post.etag, { remindedAt: clock.now().toISOString() });
    } catch (err) {
      if (err instanceof ConcurrencyError) return 'already';
      throw err;
    }
    void claimed;
    const pending = await this.pendingItems(post);
    if (!pending.length) return 'nothing-pending';
    const card = renderMessage({
      heading: `⏰ Reminder: ${pending.length} of ${this.deps.checklist.items.length} items still pending this week`,
      text: pending.map((t) => `• ${safeUserText(t, 120)}`).join('\n'),
      hint: 'Open the card above and use Run check or Acknowledge.',
      color: 'Warning',
    });
    try {
      await messenger.reply(target, post.threadId, { card });
      return 'sent';
    } catch (err) {
      if (err instanceof DeliveryError && err.kind === 'gone') {
        await retireTarget(this.deps, target, err.code ?? 'gone');
      } else {
        logger.error({ err, target: target.id }, 'reminder failed');
      }
      return 'failed';
    }
  }

  async remindAll(targets?: Target[]): Promise<Record<string, number>> {
    const list = targets ?? (await this.subscribedTargets());
    const counts: Record<string, number> = {};
    const gate = new ConcurrencyLimiter(this.concurrency);
    await Promise.all(
      list.map((t) =>
        gate.run(async () => {
          const r = await this.remind(t).catch((err) => {
            this.deps.logger.error({ err, target: t.id }, 'reminder crashed');
            return 'failed' as const;
          });
          counts[r] = (counts[r] ?? 0) + 1;
        }),
      ),
    );
    return counts;
  }
}
