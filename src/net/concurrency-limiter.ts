/**
 * At most `max` calls in flight. Graph allows 4 concurrent requests to secureScores/secureScoreControlProfiles
 * per app per tenant (https://learn.microsoft.com/graph/throttling-limits, "Security detections and incidents").
 */
export class ConcurrencyLimiter {
  private active = 0;
  private peakActive = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly max: number) {
    if (max < 1) throw new RangeError('max must be at least 1');
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A finishing call hands its slot straight to the next waiter, so a newcomer can never slip in between.
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    this.peakActive = Math.max(this.peakActive, this.active);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Highest number of calls seen in flight at once (tests assert the bound). */
  get peak(): number {
    return this.peakActive;
  }
}
