/**
 * Rolling-window rate limiter: at most `limit` starts in any `windowMs`. `acquire` resolves when a start is allowed
 * and records it. Several windows (7 per second AND 60 per 30 s) combine by acquiring from each.
 */
export interface Sleeper {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realSleeper: Sleeper = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class WindowLimiter {
  private starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Sleeper = realSleeper,
  ) {}

  /** How long a start would wait right now (0 = go). */
  delay(): number {
    const now = this.clock.now();
    this.starts = this.starts.filter((t) => t > now - this.windowMs);
    if (this.starts.length < this.limit) return 0;
    return this.starts[this.starts.length - this.limit] + this.windowMs - now;
  }

  /** Waits in arrival order (fair), then records the start. */
  acquire(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const wait = this.delay();
        if (wait <= 0) break;
        await this.clock.sleep(wait);
      }
      this.starts.push(this.clock.now());
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Push every start back: after a 429 nothing should go out before Retry-After. */
  pause(ms: number): void {
    const until = this.clock.now() + ms;
    this.starts = Array.from({ length: this.limit }, () => until - this.windowMs);
  }
}

/** At most `max` promises in flight. */
export class Semaphore {
  private active = 0;
  private waiters: Array<() => void> = [];
  constructor(readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiters.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiters.shift()?.();
    }
  }
}

/** Full-jitter exponential backoff: random in [0, min(cap, base * 2^attempt)]. */
export function backoffMs(attempt: number, baseMs = 500, capMs = 30_000, random = Math.random): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
