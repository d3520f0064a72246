import type { Target } from '../domain/records';
import type { Logger } from '../logger';
import { acquireAll, RollingWindowLimiter } from '../net/rate-limiter';
import { backoffDelay, type RetryPolicy } from '../net/retry-policy';
import { realTimer, type Timer } from '../net/timer';
import { DeliveryError, type Delivered, type Messenger, type Outbound } from './messenger';

/**
 * Wraps a Messenger so every outbound call respects Teams' limits: per conversation 7 per second, 8 per 2 s and 60 per 30 s,
 * per app a global pace (TEAMS_REQUESTS_PER_SECOND, 30 by default). 429 waits Retry-After (and pauses that
 * conversation); 412/502/503/504 retry with jittered backoff; both bounded. Terminal errors pass straight through.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
/** Backoff for 412/502/503/504 from Teams: quick first retry, jittered, capped. */
const TEAMS_BACKOFF: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export interface PacingOptions {
  requestsPerSecond: number;
  maxAttempts?: number;
  maxRetryAfterMs?: number;
  timer?: Timer;
  logger?: Logger;
}

export class PacedMessenger implements Messenger {
  private readonly global: RollingWindowLimiter[];
  private readonly perConversation = new Map<string, RollingWindowLimiter[]>();
  private readonly timer: Timer;
  private readonly maxAttempts: number;
  private readonly maxRetryAfterMs: number;
  /** Counters for logs and benchmarks. */
  readonly stats = { calls: 0, throttled: 0, retried: 0 };

  constructor(
    private readonly inner: Messenger,
    private readonly opts: PacingOptions,
  ) {
    this.timer = opts.timer ?? realTimer;
    // The app-wide pace: at most 95 % of the limit in any second, spread in tenths of a second rather than one burst
    // at the top of each second (bursts at the window edge collided with Teams' own count and drew 429s in the
    // fan-out benchmark), with small bursts allowed so timer lag does not waste the budget.
    const rps = opts.requestsPerSecond;
    const slice = Math.max(1, Math.ceil(rps / 10));
    this.global = [
      new RollingWindowLimiter(Math.max(1, Math.floor(rps * 0.95)), 1000, this.timer),
      new RollingWindowLimiter(slice, (slice * 1000) / rps, this.timer),
    ];
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 120_000;
  }

  private limiters(conversationId: string): RollingWindowLimiter[] {
    let l = this.perConversation.get(conversationId);
    if (!l) {
      // Teams' per-conversation budgets: 7 per second, 8 per 2 s, 60 per 30 s. The windows are 5 % longer than
      // Teams' so that jitter between our start and Teams' count never tips a burst over the limit.
      l = [
        new RollingWindowLimiter(7, 1050, this.timer),
        new RollingWindowLimiter(8, 2100, this.timer),
        new RollingWindowLimiter(60, 31_500, this.timer),
      ];
      this.perConversation.set(conversationId, l);
    }
    return l;
  }

  private async send<T>(target: Target, what: string, fn: () => Promise<T>): Promise<T> {
    const conv = this.limiters(target.conversationId);
    for (let attempt = 0; ; attempt++) {
      await acquireAll([...conv, ...this.global], this.timer);
      this.stats.calls++;
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof DeliveryError)) throw err;
        const retryable = err.kind === 'throttled' || err.kind === 'transient';
        if (!retryable || attempt + 1 >= this.maxAttempts) throw err;
        let wait: number;
        if (err.kind === 'throttled') {
          this.stats.throttled++;
          wait = Math.min(this.maxRetryAfterMs, err.retryAfterMs ?? backoffDelay(attempt + 1, { ...TEAMS_BACKOFF, baseDelayMs: 1000 }));
          conv.forEach((l) => l.pause(wait));
        } else {
          wait = backoffDelay(attempt + 1, TEAMS_BACKOFF);
        }
        this.stats.retried++;
        this.opts.logger?.warn(
          { target: target.id, what, status: err.status, code: err.code, attempt: attempt + 1, waitMs: wait },
          'Teams call failed; retrying',
        );
        await this.timer.sleep(wait);
      }
    }
  }

  post(target: Target, message: Outbound): Promise<Delivered> {
    return this.send(target, 'post', () => this.inner.post(target, message));
  }
  update(target: Target, at: { activityId: string; threadId: string }, message: Outbound): Promise<void> {
    return this.send(target, 'update', () => this.inner.update(target, at, message));
  }
  reply(target: Target, threadId: string, message: Outbound): Promise<Delivered> {
    return this.send(target, 'reply', () => this.inner.reply(target, threadId, message));
  }
}
