import assert from 'node:assert/strict';
import { TimeoutError, UpstreamError } from '../../src/net/errors';
import { parseRetryAfter, backoffDelay, DEFAULT_RETRY } from '../../src/net/retry-policy';
import { clients, recordingTimer, TOKEN } from './support';

describe('HTTP layer (timeouts, Retry-After, backoff) over real HTTP', () => {
  let c: Awaited<ReturnType<typeof clients>>;
  afterEach(async () => c.tenant.close());

  it('honours 429 Retry-After in seconds, then succeeds', async () => {
    c = await clients();
    c.tenant.faults.add({ route: 'secureScores', status: 429, retryAfter: 3, times: 1 });
    const r = await c.graph.listSecureScores(8);
    assert.equal(r.items.length, 8);
    assert.deepEqual((c.timer as ReturnType<typeof recordingTimer>).sleeps, [3000]);
    assert.deepEqual(c.tenant.log.requests.map((x) => x.status), [429, 200]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    c = await clients();
    const at = new Date(Date.now() + 4000).toUTCString();
    c.tenant.faults.add({ route: 'messages', status: 429, retryAfter: at, times: 1 });
    await c.graph.listMessages(new Date(Date.now() - 7 * 86_400_000));
    const [wait] = (c.timer as ReturnType<typeof recordingTimer>).sleeps;
    assert.ok(wait! > 2000 && wait! <= 4000, `waited ${wait}`);
  });

  it('backs off with jitter on 429 without Retry-After (Cloud Apps style) and on 5xx', async () => {
    c = await clients();
    c.tenant.faults.add({ route: 'alerts', status: 429, times: 1 }, { route: 'alerts', status: 502, times: 1 });
    const r = await c.cloudApps.listAlerts(7);
    assert.equal(r.items.length, 132);
    const sleeps = (c.timer as ReturnType<typeof recordingTimer>).sleeps;
    assert.equal(sleeps.length, 2);
    assert.ok(sleeps[0]! >= 2 && sleeps[0]! <= 10, `first backoff ${sleeps[0]}`);
    assert.ok(sleeps[1]! >= 5 && sleeps[1]! <= 20, `second backoff ${sleeps[1]}`);
  });

  it('gives up after the bounded attempts with a typed error', async () => {
    c = await clients();
    c.tenant.faults.add({ route: 'application', status: 500 });
    const err = await c.graph.getApplicationCredentials('3f9d2c71-8b4e-4a6f-b1d2-9e0c5a7f3b18').catch((e: unknown) => e);
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.status, 500);
    assert.equal(err.attempts, 3);
    assert.equal(c.tenant.log.count('application'), 3);
  });

  it('fails at once when Retry-After is longer than it is willing to wait, and says how long', async () => {
    c = await clients();
    c.tenant.faults.add({ route: 'secureScores', status: 429, retryAfter: 3600 });
    const err = await c.graph.listSecureScores(8).catch((e: unknown) => e);
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.retryAfterMs, 3_600_000);
    assert.equal(c.tenant.log.count('secureScores'), 1);
  });

  it('a 403 is not retried and names the permission; no token appears in the message', async () => {
    c = await clients();
    c.tenant.faults.add({ route: 'messages', status: 403 });
    const err = await c.graph.listMessages(new Date()).catch((e: unknown) => e);
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.permission, 'ServiceMessage.Read.All');
    assert.match(err.message, /Grant the permission ServiceMessage\.Read\.All/);
    assert.ok(!err.message.includes(TOKEN));
    assert.equal(c.tenant.log.count('messages'), 1);
  });

  it('times out a slow answer (HTTP_TIMEOUT_MS) and does not retry it', async () => {
    c = await clients({ sender: { timeoutMs: 150 } });
    c.tenant.faults.add({ route: 'streams', delayMs: 1000 });
    const started = Date.now();
    const err = await c.cloudApps.listDiscoveryStreams().catch((e: unknown) => e);
    assert.ok(err instanceof TimeoutError, String(err));
    assert.ok(Date.now() - started < 900);
    assert.match(err.message, /longer than 150 ms/);
    assert.equal(c.tenant.log.count('streams'), 1);
  });

  it('also times out a slow Graph call made through the Graph SDK', async () => {
    c = await clients({ sender: { timeoutMs: 150 } });
    c.tenant.faults.add({ route: 'huntingQuery', delayMs: 1000 });
    const err = await c.graph.runHuntingQuery('CloudAppEvents | take 1').catch((e: unknown) => e);
    assert.ok(err instanceof TimeoutError, String(err));
  });
});

describe('retry policy arithmetic', () => {
  it('parses Retry-After seconds, dates and junk', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it('backoff grows exponentially within jitter bounds and is capped', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelay(1, p, () => 0), 25);
    assert.equal(backoffDelay(1, p, () => 1), 100);
    assert.equal(backoffDelay(3, p, () => 1), 400);
    assert.equal(backoffDelay(10, p, () => 1), 1000);
  });
});
