import type { ServiceDeps } from './context';
import { DeliveryError } from './messenger';
import type { RunningChecks } from './running-checks';
import { postStateFingerprint, renderPostCardWithState } from './weekly-view';
import { patchPost } from './post-records';

/**
 * Coalesces card updates: many acks on one card within `delayMs` become one updateActivity, rendered from the store
 * at send time so it always shows the latest state. One update per card is in flight at a time; requests arriving
 * meanwhile schedule exactly one more. A channel allows ~7 sends/s, so one update per click would be throttled.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 *
 * Several instances (or processes on one SQLite file) each coalesce their own acks, so their updates of one card
 * can cross: A renders 30 acks, B renders 50, B's update lands first and A's last, and the card would stay at 30.
 * So after each update the state is read again; if it moved since the render, one more update follows. The last
 * update to land is then always one whose render was still current when it landed.
 */
export class CardUpdater {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  readonly stats = { requests: 0, updates: 0, reposts: 0, failures: 0, stale: 0 };

  constructor(
    private readonly deps: ServiceDeps,
    private readonly running: RunningChecks,
  ) {}

  request(postId: string): void {
    this.stats.requests++;
    if (this.inFlight.has(postId)) {
      this.dirty.add(postId);
      return;
    }
    if (this.timers.has(postId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(postId);
      this.start(postId);
    }, this.deps.settings.cardUpdateDelayMs);
    this.timers.set(postId, timer);
  }

  private start(postId: string): void {
    const run = this.flush(postId)
      .catch((err) => {
        this.stats.failures++;
        this.deps.logger.error({ err, postId }, 'card update failed');
      })
      .finally(() => {
        this.inFlight.delete(postId);
        if (this.dirty.delete(postId)) this.request(postId);
      });
    this.inFlight.set(postId, run);
  }

  private async flush(postId: string): Promise<void> {
    const { store, messenger, logger } = this.deps;
    const post = await store.getPost(postId);
    if (!post?.activityId || !post.threadId) return;
    const target = await store.getTarget(post.targetId);
    if (!target || target.status !== 'active') return;
    const { card, fingerprint } = await renderPostCardWithState(this.deps, this.running, post, target);
    try {
      await messenger.update(target, { activityId: post.activityId, threadId: post.threadId }, { card });
      this.stats.updates++;
      if ((await postStateFingerprint(this.deps, this.running, postId)) !== fingerprint) {
        // Changed while this update was on its way (possibly by another instance): send the newer state too.
        this.stats.stale++;
        this.dirty.add(postId);
      }
    } catch (err) {
      // A 404 on update means Teams lost the message (seen about once per ~1000 updates): post a fresh card and
      // re-point the record. https://github.com/MicrosoftDocs/msteams-docs/issues/6139
      if (err instanceof DeliveryError && err.kind === 'not-found') {
        const delivered = await messenger.post(target, { card });
        await patchPost(store, post.id, { activityId: delivered.activityId, threadId: delivered.threadId });
        this.stats.reposts++;
        logger.warn({ postId, target: target.id }, 'card was gone; posted a fresh one');
        return;
      }
      if (err instanceof DeliveryError && err.kind === 'gone') {
        await store.updateTarget(target.id, { status: 'retired', retiredReason: err.code ?? 'gone' }, this.deps.clock.now().toISOString());
        return;
      }
      throw err;
    }
  }

  /** Send everything pending now and wait for it (shutdown, tests). */
  async drain(): Promise<void> {
    for (const [postId, timer] of [...this.timers]) {
      clearTimeout(timer);
      this.timers.delete(postId);
      this.start(postId);
    }
    while (this.inFlight.size || this.timers.size) {
      await Promise.all([...this.inFlight.values()]);
      for (const [postId, timer] of [...this.timers]) {
        clearTimeout(timer);
        this.timers.delete(postId);
        this.start(postId);
      }
    }
  }
}
