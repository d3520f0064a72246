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

  /** Calls started in the current window (for evidence and tests). */
  inWindow(): number {
    const now = this.timer.now();
    return this.stamps.filter((s) => s > now - this.windowMs).length;
  }
}
