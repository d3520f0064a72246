import { StoreUnavailableError } from '../store';

export interface RetryOptions {
  /** Attempts in all, including the first. Default 4. */
  maxAttempts?: number;
  /** First back-off; doubles each attempt, with jitter. Default 250 ms. */
  baseDelayMs?: number;
  /** Cap for one back-off (and for a Retry-After the service asks for). Default 4000 ms. */
  maxDelayMs?: number;
  /** One request (or one listing) is abandoned and retried after this long. Default 10000 ms. */
  requestTimeoutMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(o: RetryOptions = {}): ResolvedRetry {
  return {
    maxAttempts: Math.max(1, Math.floor(o.maxAttempts ?? 4)),
    baseDelayMs: Math.max(0, o.baseDelayMs ?? 250),
    maxDelayMs: Math.max(0, o.maxDelayMs ?? 4000),
    requestTimeoutMs: Math.max(1, o.requestTimeoutMs ?? 10_000),
  };
}

interface ErrorLike {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  response?: { headers?: { get(name: string): string | undefined } };
}

/** Statuses the store logic handles itself: not found, already exists, precondition (etag) failed. */
const SEMANTIC = new Set([404, 409, 412]);
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'REQUEST_SEND_ERROR',
  'TimeoutError',
]);

export function statusOf(err: unknown): number | undefined {
  const s = (err as ErrorLike | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

export function isSemantic(err: unknown, status?: number): boolean {
  const s = statusOf(err);
  return s !== undefined && SEMANTIC.has(s) && (status === undefined || s === status);
}

function isRetryable(err: unknown, timedOut: boolean): boolean {
  if (timedOut) return true;
  const e = err as ErrorLike;
  const s = statusOf(err);
  if (s !== undefined) return RETRYABLE_STATUS.has(s);
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return true;
  if (e?.code && RETRYABLE_CODES.has(e.code)) return true;
  return /socket hang up|ECONNRESET|ECONNREFUSED|network|timed? ?out/i.test(e?.message ?? '');
}

function describe(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const e = err as ErrorLike;
  const s = statusOf(err);
  const parts = [s !== undefined ? String(s) : undefined, e?.code, e?.message?.split('\n')[0]?.slice(0, 200)].filter(Boolean);
  return parts.join(' ') || String(err);
}

function retryAfterMs(err: unknown): number | undefined {
  const h = (err as ErrorLike)?.response?.headers?.get?.('retry-after');
  if (!h) return undefined;
  const secs = Number(h);
  if (Number.isFinite(secs)) return secs * 1000;
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs one Azure operation with a per-attempt timeout and bounded retries of transient failures (408/429/5xx,
 * connection errors, timeouts). 404/409/412 are handed back unchanged for the caller to decide on. Anything else,
 * and a transient failure that outlasts the retries, becomes a StoreUnavailableError naming the operation.
 */
export async function withRetry<T>(
  what: string,
  retry: ResolvedRetry,
  op: (abortSignal: AbortSignal) => Promise<T>,
  timeoutFactor = 1,
): Promise<T> {
  const timeoutMs = retry.requestTimeoutMs * timeoutFactor;
  for (let attempt = 1; ; attempt++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await op(controller.signal);
    } catch (err) {
      const timedOut = controller.signal.aborted;
      if (!timedOut && isSemantic(err)) throw err;
      if (err instanceof StoreUnavailableError) throw err;
      if (!isRetryable(err, timedOut)) {
        throw new StoreUnavailableError(`Azure Table Storage refused ${what}: ${describe(err, false, timeoutMs)}`, {
          cause: err,
        });
      }
      if (attempt >= retry.maxAttempts) {
        throw new StoreUnavailableError(
          `Azure Table Storage is unavailable: ${what} failed ${attempt} time${attempt === 1 ? '' : 's'}, last with ` +
            `${describe(err, timedOut, timeoutMs)}. The operation was not completed; try again later.`,
          { cause: err },
        );
      }
      const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      const asked = retryAfterMs(err);
      await sleep(Math.min(retry.maxDelayMs, Math.max(jittered, asked ?? 0)));
    } finally {
      clearTimeout(timer);
    }
  }
}
