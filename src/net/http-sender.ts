import { UpstreamError, TimeoutError, NetworkError } from './errors';
import { backoffDelay, parseRetryAfter, type RetryPolicy, DEFAULT_RETRY } from './retry-policy';
import type { RollingWindowLimiter } from './rate-limiter';
import type { ConcurrencyLimiter } from './concurrency-limiter';
import { realTimer, type Timer } from './timer';
import type { Logger } from '../logger';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  attempts: number;
}

export interface SendOptions {
  /** Paces every attempt (Cloud Apps' per-tenant budget). */
  rateLimiter?: RollingWindowLimiter;
  /** Bounds attempts in flight (Secure Score's 4 concurrent requests). */
  concurrency?: ConcurrencyLimiter;
  /** Named in the UpstreamError of a 403, e.g. "SecurityEvents.Read.All". */
  permission?: string;
  signal?: AbortSignal;
}

export interface HttpSenderOptions {
  /** "graph" or "cloud-apps": goes into errors and logs. */
  api: string;
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
  timer?: Timer;
  random?: () => number;
  logger?: Logger;
}

export type HttpSender = (req: HttpRequest, opts?: SendOptions) => Promise<HttpResponse>;

/** Method and path (with query) of a URL; what errors and evidence may show. Never headers. */
export function describeRequest(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.pathname}${u.search}`;
  } catch {
    return `${method} ${url}`;
  }
}

/** Reads `{error:{code,message}}` (Graph) or `{detail}`/`{error:"..."}` (Cloud Apps) from an error body. */
function errorDetail(text: string): { code?: string; detail?: string } {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const err = body.error;
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      return { code: typeof e.code === 'string' ? e.code : undefined, detail: typeof e.message === 'string' ? e.message : undefined };
    }
    if (typeof err === 'string') return { detail: err };
    if (typeof body.detail === 'string') return { detail: body.detail };
    if (typeof body.message === 'string') return { detail: body.message };
  } catch {
    /* not JSON */
  }
  return { detail: text.trim() ? text.trim().slice(0, 200) : undefined };
}

const RETRIABLE_STATUS = (s: number) => s === 429 || s >= 500;

/**
 * The one way Rounds calls an HTTP API: a timeout on every attempt, 429 Retry-After honoured, 429-without-Retry-After
 * and 5xx retried with jittered exponential backoff, a bounded number of attempts, optional pacing and concurrency
 * bounds. Graph: https://learn.microsoft.com/graph/throttling (honour Retry-After; some resources omit it, so back off).
 * Failures become UpstreamError / TimeoutError / NetworkError.
 */
export function createHttpSender(options: HttpSenderOptions): HttpSender {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const timer = options.timer ?? realTimer;
  const random = options.random ?? Math.random;

  return async function send(req, opts = {}) {
    const what = describeRequest(req.method, req.url);
    for (let attempt = 1; ; attempt++) {
      await opts.rateLimiter?.acquire(opts.signal);
      let res: Response | undefined;
      let text = '';
      let failure: unknown;
      const once = async () => {
        const ac = new AbortController();
        const onOuterAbort = () => ac.abort(opts.signal?.reason);
        opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
        // Real-time timeout: a request's duration is wall-clock even when the test timer runs fast.
        const t = setTimeout(() => ac.abort(new TimeoutError(options.api, what, options.timeoutMs)), options.timeoutMs);
        try {
          res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: ac.signal });
          text = await res.text();
        } catch (e) {
          failure = ac.signal.reason instanceof TimeoutError ? ac.signal.reason : e;
        } finally {
          clearTimeout(t);
          opts.signal?.removeEventListener('abort', onOuterAbort);
        }
      };
      if (opts.concurrency) await opts.concurrency.run(once);
      else await once();

      if (failure instanceof TimeoutError) {
        // Not retried: a service that holds calls (Cloud Apps under throttling, cloud-apps-apis.md §4) would just
        // hold the retry too, and the check must end within its budget.
        options.logger?.warn({ api: options.api, request: what, attempt }, 'request timed out');
        throw failure;
      }
      if (failure !== undefined) {
        if (opts.signal?.aborted) throw new NetworkError(options.api, what, opts.signal.reason ?? failure, attempt);
        if (attempt >= policy.maxAttempts) throw new NetworkError(options.api, what, failure, attempt);
        const wait = backoffDelay(attempt, policy, random);
        options.logger?.warn({ api: options.api, request: what, attempt, wait, err: failure }, 'request failed, retrying');
        await timer.sleep(wait, opts.signal);
        continue;
      }
      const r = res!;
      if (r.status < 400) return { status: r.status, headers: r.headers, text, attempts: attempt };

      const retryAfter = r.status === 429 || r.status === 503 ? parseRetryAfter(r.headers.get('retry-after'), timer.now()) : undefined;
      const giveUp =
        !RETRIABLE_STATUS(r.status) || attempt >= policy.maxAttempts || (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs);
      if (giveUp) {
        throw new UpstreamError({
          api: options.api,
          request: what,
          status: r.status,
          ...errorDetail(text),
          permission: r.status === 403 ? opts.permission : undefined,
          retryAfterMs: retryAfter,
          attempts: attempt,
        });
      }
      const wait = retryAfter ?? backoffDelay(attempt, policy, random);
      options.logger?.warn({ api: options.api, request: what, status: r.status, attempt, wait }, 'retrying after upstream status');
      await timer.sleep(wait, opts.signal);
    }
  };
}
