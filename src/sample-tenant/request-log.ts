import { createHash } from 'node:crypto';
import type { RouteName } from './routes';

export interface RecordedRequest {
  route: RouteName;
  method: string;
  path: string;
  /** Wall-clock ms when the request arrived. */
  at: number;
  /** The full Authorization header; in-process only (the admin endpoint shows scheme and fingerprint). */
  authorization?: string;
  /** The answer's status (after faults). */
  status?: number;
  /** Wall-clock ms when the answer was sent (lets tests measure concurrency). */
  finishedAt?: number;
}

/** Every API request the sample tenant saw, so tests can assert pages, retries and pacing. */
export class RequestLog {
  readonly requests: RecordedRequest[] = [];

  add(r: RecordedRequest): RecordedRequest {
    this.requests.push(r);
    return r;
  }

  clear(): void {
    this.requests.length = 0;
  }

  /** The most requests to these routes that were in flight at the same moment. */
  maxConcurrent(route?: RouteName | RouteName[]): number {
    const events: Array<[number, number]> = [];
    for (const r of this.filter(route)) {
      events.push([r.at, 1]);
      events.push([r.finishedAt ?? Number.POSITIVE_INFINITY, -1]);
    }
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let cur = 0;
    let max = 0;
    for (const [, d] of events) max = Math.max(max, (cur += d));
    return max;
  }

  count(route?: RouteName | RouteName[]): number {
    return this.filter(route).length;
  }

  /** The most requests seen in any rolling window of `windowMs` (default one minute) for these routes. */
  maxInWindow(route?: RouteName | RouteName[], windowMs = 60_000): number {
    const at = this.filter(route)
      .map((r) => r.at)
      .sort((a, b) => a - b);
    let max = 0;
    for (let i = 0, j = 0; j < at.length; j++) {
      while (at[j]! - at[i]! >= windowMs) i++;
      max = Math.max(max, j - i + 1);
    }
    return max;
  }

  /** Counts per route per calendar minute of `minuteMs` (key: ISO start of the minute). */
  perMinute(minuteMs = 60_000): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const r of this.requests) {
      const key = new Date(Math.floor(r.at / minuteMs) * minuteMs).toISOString();
      (out[r.route] ??= {})[key] = (out[r.route]![key] ?? 0) + 1;
    }
    return out;
  }

  /** What the admin endpoint shows: no token values, only scheme and a short fingerprint. */
  publicView(minuteMs = 60_000) {
    return {
      total: this.requests.length,
      byRoute: Object.fromEntries(
        [...new Set(this.requests.map((r) => r.route))].map((route) => [route, { count: this.count(route), maxPerMinute: this.maxInWindow(route, minuteMs) }]),
      ),
      perMinute: this.perMinute(minuteMs),
      requests: this.requests.map(({ authorization, ...r }) => ({ ...r, auth: fingerprint(authorization) })),
    };
  }

  private filter(route?: RouteName | RouteName[]): RecordedRequest[] {
    if (route === undefined) return this.requests;
    const set = new Set(Array.isArray(route) ? route : [route]);
    return this.requests.filter((r) => set.has(r.route));
  }
}

function fingerprint(authorization?: string): string | undefined {
  if (!authorization) return undefined;
  const [scheme, ...rest] = authorization.split(' ');
  return `${scheme} sha256:${createHash('sha256').update(rest.join(' ')).digest('hex').slice(0, 12)}`;
}
