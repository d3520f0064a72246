/** How often and how long to retry. Bounded on every axis so a check always ends. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** First backoff step; doubles per retry, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A 429 asking for a longer wait than this is not waited for: the call fails and says when to try again. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  // Cloud Apps throttling is undocumented; Microsoft's MCAS module waits 5 s after a 429 without Retry-After
  // (microsoft/MCAS Functions/Invoke-MCASRestMethod.ps1, noted in cloud-apps-apis.md §4), so back off from seconds, not ms.
  baseDelayMs: 2000,
  maxDelayMs: 60000,
  maxRetryAfterMs: 120000,
};

/**
 * Exponential backoff with "full jitter" (a random wait between 0 and the exponential cap), so parallel checks that
 * failed together do not retry together. https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * `retry` is 1 for the first retry. A floor of a quarter of the step keeps retries from firing back to back.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(cap / 4 + random() * (cap * 3) / 4);
}

/**
 * Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3,
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after). Graph sends seconds
 * (https://learn.microsoft.com/graph/throttling). Returns milliseconds to wait, or undefined when absent/unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
