import { ROUTE_NAMES, type RouteName } from './routes';

/**
 * A switchable failure. `route` is a route name, "graph", "cloud-apps" or "*". With `status` the route answers that
 * status (429 with `retryAfter` if given, 403 with the service's "insufficient privileges" body, 500, ...); with
 * `delayMs` it answers late (both may be combined). `times` limits how many requests it hits (default: all).
 */
export interface Fault {
  route: RouteName | 'graph' | 'cloud-apps' | '*';
  status?: number;
  /** Retry-After header value: seconds ("2") or an HTTP date. */
  retryAfter?: string | number;
  delayMs?: number;
  times?: number;
  /** Let this many matching requests through untouched first (e.g. fail page 2, not page 1). */
  after?: number;
}

export class FaultSet {
  private faults: Array<Fault & { left: number; passed: number }> = [];

  add(...faults: Fault[]): void {
    for (const f of faults) {
      validateFault(f);
      this.faults.push({ ...f, left: f.times ?? Number.POSITIVE_INFINITY, passed: 0 });
    }
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map(({ left, passed: _passed, ...f }) => ({ ...f, ...(Number.isFinite(left) ? { times: left } : {}) }));
  }

  /** The first fault that applies to this request, consuming one of its `times`. */
  take(route: RouteName, family: 'graph' | 'cloud-apps'): Fault | undefined {
    const i = this.faults.findIndex((f) => {
      if (!(f.route === '*' || f.route === route || f.route === family)) return false;
      if (f.passed < (f.after ?? 0)) {
        f.passed++;
        return false;
      }
      return true;
    });
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.left--;
    if (f.left <= 0) this.faults.splice(i, 1);
    return f;
  }
}

export function validateFault(f: Fault): void {
  const routes = [...ROUTE_NAMES, 'graph', 'cloud-apps', '*'];
  if (!f || typeof f !== 'object' || !routes.includes(f.route)) throw new Error(`fault.route must be one of ${routes.join(', ')}`);
  if (f.status !== undefined && (!Number.isInteger(f.status) || f.status < 400 || f.status > 599)) throw new Error('fault.status must be 400-599');
  if (f.delayMs !== undefined && !(f.delayMs >= 0)) throw new Error('fault.delayMs must be >= 0');
  if (f.status === undefined && f.delayMs === undefined) throw new Error('a fault needs status or delayMs');
}
