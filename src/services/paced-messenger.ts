import type { Target } from '../domain/records';
import type { Logger } from '../logger';
import { backoffMs, realSleeper, WindowLimiter, type Sleeper } from '../lib/window-limiter';
import { DeliveryError, type Delivered, type Messenger, type Outbound } from './messenger';

/**
 * Wraps a Messenger so every outbound call respects Teams' limits: per conversation 7 per second and 60 per 30 s,
 * per app a global pace (TEAMS_REQUESTS_PER_SECOND, 30 by default). 429 waits Retry-After (and pauses that
 * conversation); 412/502/503/504 retry with jittered backoff; both bounded. Terminal errors pass straight through.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export interface PacingOptions {
  requestsPerSecond: number;
  maxAttempts?: number;
  maxRetryAfterMs?: number;
  sleeper?: Sleeper;
  logger?: Logger;
}

export class PacedMessenger implements Messenger {
  private readonly global: WindowLimiter;
  private readonly perConversation = new Map<string, WindowLimiter[]>();
  private readonly sleeper: Sleeper;
  private readonly maxAttempts: number;
  private readonly maxRetryAfterMs: number;
  /** Counters for logs and benchmarks. */
  readonly stats = { calls: 0, throttled: 0, retried: 0 };

  constructor(
    private readonly inner: Messenger,
    private readonly opts: PacingOptions,
  ) {
    this.sleeper = opts.sleeper ?? realSleeper;
    this.global = new WindowLimiter(opts.requestsPerSecond, 1000, this.sleeper);
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 120_000;
  }

  private limiters(conversationId: string): WindowLimiter[] {
    let l = this.perConversation.get(conversationId);
    if (!l) {
      l = [new WindowLimiter(7, 1000, this.sleeper), new WindowLimiter(60, 30_000, this.sleeper)];
      this.perConversation.set(conversationId, l);
    }
    return l;
  }

  private async send<T>(target: Target, what: string, fn: () => Promise<T>): Promise<T> {
    const conv = this.limiters(target.conversationId);
    for (let attempt = 0; ; attempt++) {
      for (const l of conv) await l.acquire();
      await this.global.acquire();
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
          wait = Math.min(this.maxRetryAfterMs, err.retryAfterMs ?? backoffMs(attempt, 1000));
          conv.forEach((l) => l.pause(wait));
        } else {
          wait = backoffMs(attempt);
        }
        this.stats.retried++;
        this.opts.logger?.warn(
          { target: target.id, what, status: err.status, code: err.code, attempt: attempt + 1, waitMs: wait },
          'Teams call failed; retrying',
        );
        await this.sleeper.sleep(wait);
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
