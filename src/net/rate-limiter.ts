import type { Timer } from './timer';

/**
 * At most `limit` calls in any rolling `windowMs`. Defender for Cloud Apps allows 30 requests per minute per tenant,
 * shared by every API client of the tenant (https://learn.microsoft.com/defender-cloud-apps/api-introduction,
 * "Throttling"), so one instance must serve every check of a tenant. Every attempt, retries included, takes a slot.
 */
export class RollingWindowLimiter {
  private readonly stamps: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly timer: Timer,
  ) {
    if (limit < 1) throw new RangeError('limit must be at least 1');
  }

  /** How long a start would have to wait now (0 = it may start); records nothing. */
  delay(): number {
    const now = this.timer.now();
    while (this.stamps.length && this.stamps[0]! <= now - this.windowMs) this.stamps.shift();
    if (this.stamps.length < this.limit) return 0;
    return this.stamps[this.stamps.length - this.limit]! + this.windowMs - now + 1;
  }

  /** Record a start now (after delay() said 0). */
  record(): void {
    this.stamps.push(this.timer.now());
  }

  /** Resolves when a call may start, and records it. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.timer.now();
      while (this.stamps.length && this.stamps[0]! <= now - this.windowMs) this.stamps.shift();
      if (this.stamps.length < this.limit) {
        this.stamps.push(now);
        return;
      }
      // Wake when the oldest call leaves the window; re-check, since another waiter may have taken the slot.
      await this.timer.sleep(this.stamps[0]! + this.windowMs - now + 1, signal);
    }
  }

  /**
   * Hold every start back for `ms` (after a 429 nothing should go out before Retry-After): the window is filled with
   * stamps that leave it exactly then; later real stamps are kept.
   */
  pause(ms: number): void {
    const t = this.timer.now() + ms - this.windowMs;
    const kept = this.stamps.filter((s) => s > t);
    this.stamps.splice(0, this.stamps.length, ...Array<number>(Math.max(0, this.limit - kept.length)).fill(t), ...kept);
  }

  /** Calls started in the current window (for evidence and tests). */
  inWindow(): number {
    const now = this.timer.now();
    return this.stamps.filter((s) => s > now - this.windowMs).length;
  }
}

/**
 * Wait until every limiter allows a start, then record it in all of them at the same instant. Acquiring them one
 * after another would stamp the first ones too early (the call really starts after the last wait) and let bursts
 * through.
 */
export async function acquireAll(limiters: RollingWindowLimiter[], timer: Timer, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const wait = Math.max(0, ...limiters.map((l) => l.delay()));
    if (wait === 0) {
      for (const l of limiters) l.record();
      return;
    }
    await timer.sleep(wait, signal);
  }
}
