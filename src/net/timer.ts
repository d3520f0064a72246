/**
 * The clock and sleep the HTTP layer uses, injectable so tests of backoff and pacing do not wait real minutes.
 * `now()` is epoch milliseconds on the timer's own time line.
 */
export interface Timer {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const realTimer: Timer = { now: () => Date.now(), sleep: realSleep };

/**
 * A timer whose time runs `factor` times faster than the wall clock: a 60 s window passes in 60/factor real seconds.
 * Both now() and sleep() are scaled, so a rate limiter on this timer behaves exactly as on the real one, only sooner.
 */
export function scaledTimer(factor: number): Timer {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * factor,
    sleep: (ms, signal) => realSleep(ms / factor, signal),
  };
}
