import assert from 'node:assert/strict';
import { scaledTimer, type Timer } from '../../src/net/timer';
import { RollingWindowLimiter } from '../../src/net/rate-limiter';
import { ConcurrencyLimiter } from '../../src/net/concurrency-limiter';
import { buildAlerts } from '../../src/sample-tenant/data';
import { CLOUD_APPS_ROUTES } from '../../src/sample-tenant/routes';
import { clients } from './support';
import { memoryPort, sampleEnv } from '../checks/support';

/** Time runs 60x faster: a rolling "minute" is one second of wall clock. */
const FACTOR = 60;
const MINUTE_REAL_MS = 60_000 / FACTOR;
/** Server-side windows are measured a little shorter than the limiter's, to absorb network jitter. */
const SLACK_MS = 150;

describe('Cloud Apps pacing (≤ N calls per rolling minute, one limiter per tenant)', () => {
  it('spreads 10 pages of alerts over windows of at most N calls', async () => {
    const c = await clients({ timer: scaledTimer(FACTOR), limit: 3, tenant: { minuteMs: MINUTE_REAL_MS } });
    try {
      const now = new Date();
      const template = buildAlerts(now)[0]!;
      c.tenant.setData({ alerts: Array.from({ length: 950 }, (_, i) => ({ ...template, _id: `alert-${i}`, timestamp: now.getTime() - i * 60_000 })) });
      // Warm up fetch (its first call loads and connects for tens of ms), so arrival times track the limiter's.
      await fetch(`${c.tenant.url}/_sample/health`).then((r) => r.text());
      const started = Date.now();
      const r = await c.cloudApps.listAlerts(7);
      const elapsed = Date.now() - started;
      assert.equal(r.pages, 10);
      assert.equal(r.items.length, 950);
      assert.equal(c.tenant.log.count('alerts'), 10);
      const peak = c.tenant.log.maxInWindow('alerts', MINUTE_REAL_MS - SLACK_MS);
      assert.ok(peak <= 3, `peak ${peak} calls in one minute`);
      // 10 calls at 3 per minute need at least 3 full minutes.
      assert.ok(elapsed >= 3 * MINUTE_REAL_MS - SLACK_MS, `took ${elapsed} ms`);
    } finally {
      await c.tenant.close();
    }
  });

  it('shares one budget across checks running in parallel', async () => {
    const env = await sampleEnv(
      { CLOUD_APPS_CALLS_PER_MINUTE: '2', CLOUD_APPS_API_TOKEN: 'b'.repeat(64) },
      { timer: scaledTimer(FACTOR), sampleTenant: { minuteMs: MINUTE_REAL_MS } },
    );
    try {
      const [connectors, governance] = await Promise.all(
        ['connectors', 'governance-log'].map((id) => env.registry.get(id)!.run({ now: new Date(), memory: memoryPort() })),
      );
      assert.equal(connectors!.status, 'fail');
      assert.equal(governance!.status, 'fail');
      assert.equal(env.tenant.log.count([...CLOUD_APPS_ROUTES]), 4, 'alerts ×2, streams, governance');
      const peak = env.tenant.log.maxInWindow([...CLOUD_APPS_ROUTES], MINUTE_REAL_MS - SLACK_MS);
      assert.ok(peak <= 2, `peak ${peak}`);
      assert.ok(env.cloudAppsLimiter.inWindow() <= 2);
    } finally {
      await env.close();
    }
  });

  it('counts retries against the budget too', async () => {
    const c = await clients({ timer: scaledTimer(FACTOR), limit: 2, tenant: { minuteMs: MINUTE_REAL_MS } });
    try {
      c.tenant.faults.add({ route: 'streams', status: 500, times: 2 });
      await c.cloudApps.listDiscoveryStreams();
      assert.equal(c.tenant.log.count('streams'), 3);
      assert.ok(c.tenant.log.maxInWindow('streams', MINUTE_REAL_MS - SLACK_MS) <= 2);
    } finally {
      await c.tenant.close();
    }
  });
});

describe('limiters on a hand-driven clock', () => {
  function manualTimer(): Timer & { advance(ms: number): void; t: number } {
    const waiters: Array<{ at: number; resolve: () => void }> = [];
    const timer = {
      t: 0,
      now: () => timer.t,
      sleep: (ms: number) => new Promise<void>((resolve) => waiters.push({ at: timer.t + ms, resolve })),
      advance(ms: number) {
        timer.t += ms;
        for (const w of waiters.splice(0)) (w.at <= timer.t ? w.resolve : () => waiters.push(w))();
      },
    };
    return timer;
  }

  it('RollingWindowLimiter lets N through, then waits for the window to roll', async () => {
    const timer = manualTimer();
    const limiter = new RollingWindowLimiter(2, 60_000, timer);
    const started: number[] = [];
    const all = [1, 2, 3, 4].map(() => limiter.acquire().then(() => started.push(timer.t)));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [0, 0]);
    timer.advance(30_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(started.length, 2);
    timer.advance(30_001);
    await new Promise((r) => setImmediate(r));
    await Promise.all(all);
    assert.deepEqual(started, [0, 0, 60_001, 60_001]);
  });

  it('ConcurrencyLimiter never exceeds its bound', async () => {
    const limiter = new ConcurrencyLimiter(4);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 2 + (i % 3)));
          active--;
        }),
      ),
    );
    assert.equal(peak, 4);
    assert.equal(limiter.peak, 4);
  });
});
