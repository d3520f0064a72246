import assert from 'node:assert/strict';
import pino from 'pino';
import { ManualClock } from '../src/domain/clock';
import { Scheduler } from '../src/scheduler/scheduler';
import { firstFireBetween, periodStart } from '../src/scheduler/due';
import { DeliveryError } from '../src/services/messenger';
import { openSqliteStore } from '../src/store/sqlite';
import { tempDir } from './support/bot-process';
import { FakeMessenger } from './support/fake-messenger';
import { channelInput, harness } from './support/service-harness';

function schedulerFor(h: ReturnType<typeof harness>, tz = 'UTC') {
  return new Scheduler({
    store: h.store,
    weekly: h.services.weekly,
    clock: h.clock,
    logger: pino({ level: 'silent' }),
    checklistSchedule: '0 9 * * 1',
    reminderSchedule: '0 9 * * 4',
    defaultTimeZone: tz,
    heartbeatMs: 3_600_000,
  });
}

describe('schedule: when the weekly post is due', () => {
  it('is due from Monday 09:00 local time, not before', () => {
    const tz = 'Europe/Berlin';
    const before = new Date('2026-11-30T07:59:00Z'); // 08:59 in Berlin
    const after = new Date('2026-11-30T08:00:00Z'); // 09:00 in Berlin
    assert.equal(firstFireBetween('0 9 * * 1', tz, periodStart(before, tz), before), undefined);
    assert.equal(firstFireBetween('0 9 * * 1', tz, periodStart(after, tz), after)?.toISOString(), '2026-11-30T08:00:00.000Z');
  });

  it('is DST-correct: 09:00 Berlin is 08:00Z before the March change and 07:00Z after it', () => {
    const tz = 'Europe/Berlin';
    const winter = new Date('2026-03-23T12:00:00Z');
    const summer = new Date('2026-03-30T12:00:00Z');
    assert.equal(firstFireBetween('0 9 * * 1', tz, periodStart(winter, tz), winter)?.toISOString(), '2026-03-23T08:00:00.000Z');
    assert.equal(firstFireBetween('0 9 * * 1', tz, periodStart(summer, tz), summer)?.toISOString(), '2026-03-30T07:00:00.000Z');
    // The week starts at local midnight, which moved with the clocks.
    assert.equal(periodStart(summer, tz).toISOString(), '2026-03-29T22:00:00.000Z');
    assert.equal(periodStart(new Date('2026-10-26T12:00:00Z'), tz).toISOString(), '2026-10-25T23:00:00.000Z');
  });

  it('follows the target time zone: Tokyo posts before London wakes up', async () => {
    const h = harness({ clock: new ManualClock(new Date('2026-11-30T01:00:00Z')) }); // 10:00 in Tokyo, 01:00 in London
    const tokyo = (await h.services.targets.install(channelInput(1))).target;
    await h.services.targets.setTimeZone(tokyo, 'asia/tokyo');
    await h.services.targets.install(channelInput(2));
    const s = schedulerFor(h, 'Europe/London');
    await s.tick('test');
    assert.deepEqual(h.messenger.posts().map((p) => p.target), [tokyo.id]);
    h.clock.set('2026-11-30T09:00:00Z');
    await s.tick('test');
    assert.equal(h.messenger.posts().length, 2);
    await s.stop();
  });
});

describe('scheduler and weekly fan-out', () => {
  it('posts once per subscribed target per period, however often it ticks; not to unsubscribed or retired ones', async () => {
    const h = harness({ clock: new ManualClock(new Date('2026-11-30T09:00:00Z')) });
    const targets = [];
    for (let i = 1; i <= 5; i++) targets.push((await h.services.targets.install(channelInput(i))).target);
    await h.services.targets.setSubscribed(targets[3], false);
    await h.services.targets.uninstall(targets[4].tenantId, targets[4].conversationId, 'uninstalled');
    const s = schedulerFor(h);
    await Promise.all([s.tick('a'), s.tick('b'), s.tick('c')]);
    h.clock.advance(60_000);
    await s.tick('d');
    assert.equal(h.messenger.posts().length, 3);
    assert.deepEqual(new Set(h.messenger.posts().map((p) => p.target)), new Set(targets.slice(0, 3).map((t) => t.id)));
    // Next week: one more each.
    h.clock.set('2026-12-07T09:00:01Z');
    await s.tick('next week');
    assert.equal(h.messenger.posts().length, 6);
    await s.stop();
  });

  it('two instances racing on one store post once', async () => {
    const dir = tempDir();
    const clock = new ManualClock(new Date('2026-11-30T09:30:00Z'));
    const a = harness({ clock, store: openSqliteStore(dir), instanceId: 'instance-a' });
    const b = harness({ clock, store: openSqliteStore(dir), instanceId: 'instance-b', messenger: a.messenger });
    for (let i = 1; i <= 10; i++) await a.services.targets.install(channelInput(i));
    await Promise.all([schedulerFor(a).tick('a'), schedulerFor(b).tick('b')]);
    assert.equal(a.messenger.posts().length, 10);
    assert.equal(new Set(a.messenger.posts().map((p) => p.target)).size, 10);
  });

  it('recovers a crash between claim and send: sent once on a later tick, not lost, not doubled', async () => {
    const h = harness({ clock: new ManualClock(new Date('2026-11-30T09:00:00Z')) });
    const t = (await h.services.targets.install(channelInput(1))).target;
    // A process claimed the post and died before sending.
    await h.store.claimPost({ id: 'crashed-claim', targetId: t.id, periodKey: '2026-W49', checklistId: 'mdca-weekly', timeZone: 'UTC', claimant: 'dead', at: h.clock.now().toISOString() });
    const s = schedulerFor(h);
    await s.tick('within lease');
    assert.equal(h.messenger.posts().length, 0, 'the lease is respected');
    h.clock.advance(61_000);
    await s.tick('after lease');
    await s.tick('again');
    assert.equal(h.messenger.posts().length, 1);
    const post = await h.store.getPostForPeriod(t.id, '2026-W49');
    assert.equal(post?.status, 'sent');
    assert.equal(post?.id, 'crashed-claim');
  });

  it('catches up at start-up when the bot was down at the scheduled time', async () => {
    const h = harness({ clock: new ManualClock(new Date('2026-12-02T15:00:00Z')) }); // Wednesday
    await h.services.targets.install(channelInput(1));
    const s = schedulerFor(h);
    await s.start();
    assert.equal(h.messenger.posts().length, 1);
    await s.stop();
  });

  it('retries a failed post on the next tick, and retires a target Teams says the bot left', async () => {
    const h = harness({ clock: new ManualClock(new Date('2026-11-30T09:00:00Z')) });
    const t1 = (await h.services.targets.install(channelInput(1))).target;
    const t2 = (await h.services.targets.install(channelInput(2))).target;
    h.messenger.failNext('post', new DeliveryError('fatal', 'Teams answered 500', 500));
    h.messenger.failNext('post', new DeliveryError('gone', 'Teams answered 403', 403, 'BotNotInConversationRoster'));
    const s = schedulerFor(h);
    await s.tick('first');
    assert.equal(h.messenger.posts().length, 0);
    const statuses = new Set([(await h.store.getTarget(t1.id))!.status, (await h.store.getTarget(t2.id))!.status]);
    assert.deepEqual(statuses, new Set(['active', 'retired']));
    await s.tick('second');
    assert.equal(h.messenger.posts().length, 1, 'the failed one is retried, the retired one is not');
    await s.tick('third');
    assert.equal(h.messenger.posts().length, 1);
    // A reinstall brings the retired target back.
    const gone = (await h.store.listTargets({ status: 'retired' }))[0];
    await h.services.targets.install(channelInput(gone.id === t1.id ? 1 : 2));
    await s.tick('after reinstall');
    assert.equal(h.messenger.posts().length, 2);
  });

  it('reminds once in the card thread with the pending items, and not at all when everything is done', async () => {
    const h = harness({ clock: new ManualClock(new Date('2026-11-30T09:00:00Z')) });
    const t1 = (await h.services.targets.install(channelInput(1))).target;
    const t2 = (await h.services.targets.install(channelInput(2))).target;
    const s = schedulerFor(h);
    await s.tick('post');
    const p2 = (await h.store.getPostForPeriod(t2.id, '2026-W49'))!;
    for (const item of ['sspm', 'connectors', 'message-center', 'governance-log']) {
      await h.store.ack({ post: p2, itemId: item, userId: 'u1', userName: 'Alex', at: h.clock.now().toISOString() });
    }
    const p1 = (await h.store.getPostForPeriod(t1.id, '2026-W49'))!;
    await h.store.ack({ post: p1, itemId: 'sspm', userId: 'u1', userName: 'Alex', at: h.clock.now().toISOString() });
    h.clock.set('2026-12-03T08:59:00Z');
    await s.tick('before reminder time');
    assert.equal(h.messenger.sent.filter((x) => x.op === 'reply').length, 0);
    h.clock.set('2026-12-03T09:00:00Z');
    await Promise.all([s.tick('reminder'), s.tick('reminder again')]);
    h.clock.advance(3_600_000);
    await s.tick('later');
    const replies = h.messenger.sent.filter((x) => x.op === 'reply');
    assert.equal(replies.length, 1);
    assert.equal(replies[0].threadId, p1.threadId);
    const text = JSON.stringify(replies[0].message);
    assert.match(text, /3 of 4 items still pending/);
    assert.match(text, /Check app connectors/);
    assert.ok(!text.includes('Review SaaS security posture management'), 'acknowledged item not listed');
  });

  it('a 404 on a card update posts a fresh card and re-points the record', async () => {
    const messenger = new FakeMessenger();
    const h = harness({ clock: new ManualClock(new Date('2026-11-30T09:00:00Z')), messenger });
    const t = (await h.services.targets.install(channelInput(1))).target;
    const r = await h.services.posting.postForTarget(t);
    assert.equal(r.kind, 'posted');
    const before = (await h.store.getPostForPeriod(t.id, '2026-W49'))!;
    messenger.failNext('update', new DeliveryError('not-found', 'Teams answered 404', 404, 'ActivityNotFoundInConversation'));
    await h.services.acks.ack({ postId: before.id, periodKey: before.periodKey, itemId: 'sspm' }, { tenantId: t.tenantId, conversationId: t.conversationId }, { id: 'u1', name: 'Alex', teamsId: '29:a' });
    await h.services.drain();
    const after = (await h.store.getPostForPeriod(t.id, '2026-W49'))!;
    assert.equal(messenger.posts().length, 2);
    assert.notEqual(after.activityId, before.activityId);
    assert.equal(after.activityId, messenger.posts()[1].activityId);
  });
});
