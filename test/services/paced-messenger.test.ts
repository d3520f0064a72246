import assert from 'node:assert/strict';
import { PacedMessenger } from '../../src/services/paced-messenger';
import { DeliveryError } from '../../src/services/messenger';
import { scaledTimer } from '../../src/net/timer';
import type { Target } from '../../src/domain/records';
import { FakeMessenger } from '../support/fake-messenger';

const target = (n: number): Target => ({
  id: `t|${n}`,
  tenantId: 't',
  conversationId: `19:c${n}@thread.tacv2`,
  kind: 'channel',
  serviceUrl: 'https://smba.example/',
  botId: '28:b',
  status: 'active',
  subscribed: true,
  createdAt: '',
  updatedAt: '',
  schemaVersion: 1,
});

/**
 * Max calls in any window of `windowMs` among timestamps. The timer runs 10x fast, so a few real milliseconds of
 * scheduling lag between the limiter's start and our stamp show as tens of timer-ms: allow 50 of them.
 */
function maxInWindow(stamps: number[], windowMs: number, slackMs = 50): number {
  let max = 0;
  for (let i = 0; i < stamps.length; i++) {
    let n = 0;
    for (let j = i; j < stamps.length && stamps[j] - stamps[i] < windowMs - slackMs; j++) n++;
    max = Math.max(max, n);
  }
  return max;
}

describe('PacedMessenger: Teams limits on the way out', () => {
  it('keeps one conversation within 7 per second and 8 per 2 s', async () => {
    const timer = scaledTimer(10);
    const inner = new FakeMessenger();
    const stamps: number[] = [];
    const recording = { ...inner, post: async (t: Target, m: any) => (stamps.push(timer.now()), inner.post(t, m)) } as any;
    const paced = new PacedMessenger(recording, { requestsPerSecond: 1000, timer });
    await Promise.all(Array.from({ length: 24 }, () => paced.post(target(1), { text: 'x' })));
    stamps.sort((a, b) => a - b);
    assert.equal(stamps.length, 24);
    assert.ok(maxInWindow(stamps, 1000) <= 7, `per second: ${maxInWindow(stamps, 1000)}`);
    assert.ok(maxInWindow(stamps, 2000) <= 8, `per 2 s: ${maxInWindow(stamps, 2000)}`);
  });

  it('keeps the whole app under the global pace across conversations', async () => {
    const timer = scaledTimer(10);
    const inner = new FakeMessenger();
    const stamps: number[] = [];
    const recording = { post: async (t: Target, m: any) => (stamps.push(timer.now()), inner.post(t, m)) } as any;
    const paced = new PacedMessenger(recording, { requestsPerSecond: 10, timer });
    await Promise.all(Array.from({ length: 40 }, (_, i) => paced.post(target(i), { text: 'x' })));
    stamps.sort((a, b) => a - b);
    assert.ok(maxInWindow(stamps, 1000) <= 10, `global: ${maxInWindow(stamps, 1000)}`);
    assert.ok(stamps.at(-1)! - stamps[0] >= 3000, 'forty calls at ten per second take at least three seconds');
  });

  it('waits Retry-After on 429, retries 503 with backoff, and gives up after a bound', async () => {
    const timer = scaledTimer(20);
    const inner = new FakeMessenger();
    inner.failNext('post', new DeliveryError('throttled', '429', 429, 'Throttled', 2000));
    inner.failNext('post', new DeliveryError('transient', '503', 503));
    const paced = new PacedMessenger(inner, { requestsPerSecond: 30, timer });
    const t0 = timer.now();
    await paced.post(target(1), { text: 'x' });
    assert.ok(timer.now() - t0 >= 2000, `waited ${timer.now() - t0} ms of timer time`);
    assert.equal(paced.stats.throttled, 1);
    assert.equal(paced.stats.retried, 2);
    assert.equal(inner.posts().length, 1);

    for (let i = 0; i < 10; i++) inner.failNext('post', new DeliveryError('transient', '502', 502));
    await assert.rejects(new PacedMessenger(inner, { requestsPerSecond: 30, timer, maxAttempts: 3 }).post(target(2), { text: 'x' }), /502/);
  });

  it('does not retry terminal answers (403 roster, 404, 400)', async () => {
    const inner = new FakeMessenger();
    const paced = new PacedMessenger(inner, { requestsPerSecond: 30, timer: scaledTimer(20) });
    for (const err of [
      new DeliveryError('gone', '403', 403, 'BotNotInConversationRoster'),
      new DeliveryError('not-found', '404', 404),
      new DeliveryError('fatal', '400', 400),
    ]) {
      inner.failNext('post', err);
      await assert.rejects(paced.post(target(1), { text: 'x' }), (e: unknown) => e === err);
    }
    assert.equal(paced.stats.retried, 0);
  });
});
