import { randomUUID } from 'node:crypto';
import { periodOf } from '../domain/period';
import type { Post, Target } from '../domain/records';
import { ConcurrencyError } from '../store/store';
import type { ServiceDeps } from './context';
import { DeliveryError } from './messenger';
import type { RunningChecks } from './running-checks';
import { renderPostCard } from './weekly-view';
import { retireTarget } from './targets';

export type PostResult =
  | { kind: 'posted'; post: Post }
  | { kind: 'already'; post: Post }
  | { kind: 'in-progress'; post: Post }
  | { kind: 'failed'; post: Post; error: string; retryable: boolean }
  | { kind: 'retired'; target: Target };

/**
 * Post this period's checklist card to a target, exactly once per (target, period): claim the post atomically in
 * the store before sending. The chat command and the scheduler both come through here.
 * A claim that was never completed (the process died between claim and send, or the send failed) is taken over
 * once its lease has run out, so the card is sent once: not lost, not doubled.
 */
export class PostChecklistService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly running: RunningChecks,
  ) {}

  timeZoneOf(target: Target): string {
    return target.timeZone ?? this.deps.settings.defaultTimeZone;
  }

  async postForTarget(target: Target): Promise<PostResult> {
    const { store, clock, settings } = this.deps;
    if (target.status !== 'active') return { kind: 'retired', target };
    const now = clock.now();
    const timeZone = this.timeZoneOf(target);
    const period = periodOf(now, timeZone);
    const existing = await store.getPostForPeriod(target.id, period.key);
    if (existing?.status === 'sent') return { kind: 'already', post: existing };

    let post: Post;
    if (!existing) {
      const claim = await store.claimPost({
        id: randomUUID(),
        targetId: target.id,
        periodKey: period.key,
        checklistId: this.deps.checklist.id,
        timeZone,
        claimant: settings.instanceId,
        at: now.toISOString(),
      });
      if (!claim.claimed) return this.takeOver(target, claim.post);
      post = claim.post;
    } else {
      return this.takeOver(target, existing);
    }
    return this.send(target, post);
  }

  /** Someone holds a claim: wait while its lease runs, take it over when it expired or failed. */
  private async takeOver(target: Target, post: Post): Promise<PostResult> {
    const { store, clock, settings } = this.deps;
    if (post.status === 'sent') return { kind: 'already', post };
    const now = clock.now();
    const leaseOver = now.getTime() - Date.parse(post.claimedAt) >= settings.postLeaseMs;
    if (post.status === 'claimed' && !leaseOver) return { kind: 'in-progress', post };
    try {
      const mine = await store.updatePost(post.id, post.etag, {
        status: 'claimed',
        claimedBy: settings.instanceId,
        claimedAt: now.toISOString(),
      });
      return this.send(target, mine);
    } catch (err) {
      if (err instanceof ConcurrencyError) {
        const latest = (await store.getPost(post.id)) ?? post;
        return latest.status === 'sent' ? { kind: 'already', post: latest } : { kind: 'in-progress', post: latest };
      }
      throw err;
    }
  }

  private async send(target: Target, post: Post): Promise<PostResult> {
    const { store, messenger, logger, clock } = this.deps;
    const card = await renderPostCard(this.deps, this.running, post, target);
    try {
      const delivered = await messenger.post(target, { card });
      const sent = await store.updatePost(post.id, post.etag, {
        status: 'sent',
        sentAt: clock.now().toISOString(),
        activityId: delivered.activityId,
        threadId: delivered.threadId,
        attempts: post.attempts + 1,
      });
      logger.info({ target: target.id, period: post.periodKey, postId: post.id }, 'weekly checklist posted');
      return { kind: 'posted', post: sent };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof ConcurrencyError) {
        // Our lease ran out mid-send and another instance took over; it owns the post now.
        logger.warn({ postId: post.id }, 'lost the claim while sending');
        return { kind: 'in-progress', post };
      }
      const gone = err instanceof DeliveryError && err.kind === 'gone';
      const failed = await store
        .updatePost(post.id, post.etag, { status: 'failed', attempts: post.attempts + 1, lastError: message.slice(0, 500) })
        .catch(() => post);
      if (gone) {
        const retired = await retireTarget(this.deps, target, (err as DeliveryError).code ?? 'BotNotInConversationRoster');
        return { kind: 'retired', target: retired ?? target };
      }
      logger.error({ err, target: target.id, postId: post.id }, 'weekly checklist post failed');
      return { kind: 'failed', post: failed, error: message, retryable: !(err instanceof DeliveryError) || err.kind !== 'fatal' };
    }
  }
}
