import assert from 'node:assert/strict';
import { RECORD_SCHEMA_VERSION, type AckEvidence, type AckInput, type Post, type TargetInput } from '../../src/domain/records';
import type { CheckOutcome } from '../../src/domain/outcome';
import { ConcurrencyError, type Store } from '../../src/store/store';

/**
 * The one store contract. Every backend runs exactly these tests, with no per-backend branches. The factory must
 * return a fresh, empty store each time (a new directory, a new table prefix...).
 */
export type StoreFactory = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

const T0 = '2026-12-07T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function targetInput(n: number | string, over: Partial<TargetInput> = {}): TargetInput {
  return {
    tenantId: 'tenant-1',
    conversationId: `19:channel${n}@thread.tacv2`,
    kind: 'channel',
    teamId: '19:team@thread.tacv2',
    teamName: 'Security Ops',
    channelName: `Channel ${n}`,
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    botId: '28:app-id',
    botName: 'Rounds',
    ...over,
  };
}

let idSeq = 0;
const newId = (prefix = 'post') => `${prefix}-${process.pid}-${++idSeq}-${Math.random().toString(36).slice(2, 8)}`;

function claimInput(targetId: string, periodKey: string, claimant = 'instance-a', id = newId()) {
  return { id, targetId, periodKey, checklistId: 'weekly-mdca', timeZone: 'Europe/Berlin', claimant, at: T0 };
}

const evidence = (n = 2): AckEvidence => ({
  status: 'warn',
  summary: `${n} policies alert nobody`,
  label: `${n} warnings`,
  checkedAt: at(-5),
});

function outcome(checkId: string, status: CheckOutcome['status'], n: number): CheckOutcome {
  return {
    checkId,
    status,
    summary: `run ${n}`,
    findings: Array.from({ length: n }, (_, i) => ({ title: `finding ${i}`, detail: 'détail ✓', severity: 'medium' })),
    evidence: { calls: [{ api: 'graph', request: 'GET /security/alerts_v2', status: 200, pages: 1, items: n, ids: ['a', 'b'] }], extra: { nested: [1, 2, { deep: true }] } },
    checkedAt: at(n),
    apis: ['graph'],
    sample: true,
    durationMs: 12,
  };
}

function ackInput(post: Post, itemId: string, userId: string, minutes = 1, ev?: AckEvidence): AckInput {
  return {
    post: { id: post.id, targetId: post.targetId, periodKey: post.periodKey },
    itemId,
    userId,
    userName: `User ${userId}`,
    at: at(minutes),
    ...(ev ? { evidence: ev } : {}),
  };
}

const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

export function runStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, function () {
    this.timeout(60_000);
    let store: Store;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      const made = await factory();
      store = made.store;
      cleanup = made.cleanup;
    });
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });

    async function newPost(targetN: number | string = 1, periodKey = '2026-W50') {
      const target = await store.upsertTarget(targetInput(targetN), T0);
      const { post } = await store.claimPost(claimInput(target.id, periodKey));
      return { target, post };
    }

    describe('targets', () => {
      it('creates a new target active and subscribed, with a schema version', async () => {
        const t = await store.upsertTarget(targetInput(1), T0);
        assert.equal(t.id, 'tenant-1|19:channel1@thread.tacv2');
        assert.equal(t.status, 'active');
        assert.equal(t.subscribed, true);
        assert.equal(t.serviceUrl, 'https://smba.trafficmanager.net/emea/');
        assert.equal(t.channelName, 'Channel 1');
        assert.equal(t.kind, 'channel');
        assert.equal(t.createdAt, T0);
        assert.equal(t.updatedAt, T0);
        assert.equal(t.schemaVersion, RECORD_SCHEMA_VERSION);
        assert.equal(t.retiredReason, undefined);
        assert.deepEqual(await store.getTarget(t.id), t);
      });

      it('returns undefined for an unknown target, and updateTarget of one changes nothing', async () => {
        assert.equal(await store.getTarget('tenant-1|nope'), undefined);
        assert.equal(await store.updateTarget('tenant-1|nope', { subscribed: false }, T0), undefined);
        assert.deepEqual(await store.listTargets(), []);
      });

      it('refreshes serviceUrl, names and botId on upsert and keeps createdAt', async () => {
        const t = await store.upsertTarget(targetInput(1), T0);
        const refreshed = await store.upsertTarget(
          targetInput(1, {
            serviceUrl: 'https://smba.trafficmanager.net/amer/',
            channelName: 'Renamed',
            teamName: 'SecOps',
            botId: '28:other-app',
            botName: 'Rounds 2',
          }),
          at(10),
        );
        assert.equal(refreshed.id, t.id);
        assert.equal(refreshed.serviceUrl, 'https://smba.trafficmanager.net/amer/');
        assert.equal(refreshed.channelName, 'Renamed');
        assert.equal(refreshed.teamName, 'SecOps');
        assert.equal(refreshed.botId, '28:other-app');
        assert.equal(refreshed.botName, 'Rounds 2');
        assert.equal(refreshed.createdAt, T0);
        assert.equal(refreshed.updatedAt, at(10));
        assert.deepEqual(await store.getTarget(t.id), refreshed);
        assert.equal((await store.listTargets()).length, 1);
      });

      it('reactivates a retired target only on a reinstall, never on an ordinary message', async () => {
        const t = await store.upsertTarget(targetInput(1), T0);
        const retired = await store.updateTarget(t.id, { status: 'retired', retiredReason: 'bot removed' }, at(1));
        assert.equal(retired?.status, 'retired');
        assert.equal(retired?.retiredReason, 'bot removed');

        const message = await store.upsertTarget(targetInput(1, { serviceUrl: 'https://smba.example/new/' }), at(2));
        assert.equal(message.status, 'retired', 'an ordinary message must not reactivate');
        assert.equal(message.retiredReason, 'bot removed');
        assert.equal(message.serviceUrl, 'https://smba.example/new/', 'but it still refreshes the service url');
        const again = await store.upsertTarget(targetInput(1), at(3), { reactivate: false });
        assert.equal(again.status, 'retired');

        const reinstall = await store.upsertTarget(targetInput(1), at(4), { reactivate: true });
        assert.equal(reinstall.status, 'active');
        assert.equal(reinstall.retiredReason, undefined);
        assert.equal((await store.getTarget(t.id))?.status, 'active');
        assert.equal((await store.getTarget(t.id))?.subscribed, true);
      });

      it('reactivating an active target changes nothing about its status', async () => {
        const t = await store.upsertTarget(targetInput(1), T0);
        const again = await store.upsertTarget(targetInput(1), at(1), { reactivate: true });
        assert.equal(again.status, 'active');
        assert.equal(again.createdAt, t.createdAt);
      });

      it('lists targets by status and subscription', async () => {
        const a = await store.upsertTarget(targetInput('a'), T0);
        const b = await store.upsertTarget(targetInput('b'), T0);
        const c = await store.upsertTarget(targetInput('c', { kind: 'groupChat', teamId: undefined, teamName: undefined }), T0);
        const d = await store.upsertTarget(targetInput('d', { tenantId: 'tenant-2' }), T0);
        await store.updateTarget(b.id, { subscribed: false }, at(1));
        await store.updateTarget(c.id, { status: 'retired', retiredReason: 'uninstalled' }, at(1));
        await store.updateTarget(d.id, { status: 'retired', subscribed: false }, at(1));

        const ids = (ts: { id: string }[]) => ts.map((t) => t.id).sort();
        assert.deepEqual(ids(await store.listTargets()), ids([a, b, c, d]));
        assert.deepEqual(ids(await store.listTargets({})), ids([a, b, c, d]));
        assert.deepEqual(ids(await store.listTargets({ status: 'active' })), ids([a, b]));
        assert.deepEqual(ids(await store.listTargets({ status: 'retired' })), ids([c, d]));
        assert.deepEqual(ids(await store.listTargets({ subscribed: true })), ids([a, c]));
        assert.deepEqual(ids(await store.listTargets({ subscribed: false })), ids([b, d]));
        assert.deepEqual(ids(await store.listTargets({ status: 'active', subscribed: true })), ids([a]));
        assert.deepEqual(ids(await store.listTargets({ status: 'retired', subscribed: false })), ids([d]));
        const groupChat = (await store.listTargets({ status: 'retired' })).find((t) => t.id === c.id);
        assert.equal(groupChat?.kind, 'groupChat');
        assert.equal(groupChat?.teamId, undefined);
        for (const t of await store.listTargets()) assert.equal(t.schemaVersion, RECORD_SCHEMA_VERSION);
      });

      it('updates status, subscription and time zone, and clears a field patched to undefined', async () => {
        const t = await store.upsertTarget(targetInput(1), T0);
        const u = await store.updateTarget(t.id, { subscribed: false, timeZone: 'Europe/Berlin' }, at(5));
        assert.equal(u?.subscribed, false);
        assert.equal(u?.timeZone, 'Europe/Berlin');
        assert.equal(u?.updatedAt, at(5));
        assert.equal(u?.createdAt, T0);
        assert.equal(u?.status, 'active');
        assert.deepEqual(await store.getTarget(t.id), u);

        const v = await store.updateTarget(t.id, { timeZone: undefined, subscribed: true }, at(6));
        assert.equal(v?.timeZone, undefined);
        assert.equal(v?.subscribed, true);
        assert.deepEqual(await store.getTarget(t.id), v);
        // An upsert from a later message keeps what updateTarget set.
        await store.updateTarget(t.id, { subscribed: false, timeZone: 'Asia/Tokyo' }, at(7));
        const w = await store.upsertTarget(targetInput(1, { channelName: 'New name' }), at(8));
        assert.equal(w.subscribed, false);
        assert.equal(w.timeZone, 'Asia/Tokyo');
      });
    });

    describe('posts', () => {
      it('claims a post: exactly one winner among 20 concurrent claimants for one (target, period)', async () => {
        const t = await store.upsertTarget(targetInput(1), T0);
        const inputs = Array.from({ length: 20 }, (_, i) => claimInput(t.id, '2026-W50', `instance-${i}`));
        const results = await Promise.all(inputs.map((i) => store.claimPost(i)));
        const winners = results.filter((r) => r.claimed);
        assert.equal(winners.length, 1, 'exactly one claimant wins');
        const winner = winners[0].post;
        const winnerInput = inputs.find((i) => i.id === winner.id);
        assert.ok(winnerInput, 'the winning post carries the winner’s id');
        assert.equal(winner.claimedBy, winnerInput.claimant);
        for (const r of results) {
          assert.equal(r.post.id, winner.id, 'every loser gets the existing post');
          assert.equal(r.post.targetId, t.id);
          assert.equal(r.post.periodKey, '2026-W50');
        }
        assert.equal(winner.status, 'claimed');
        assert.equal(winner.attempts, 0);
        assert.equal(winner.checklistId, 'weekly-mdca');
        assert.equal(winner.timeZone, 'Europe/Berlin');
        assert.equal(winner.claimedAt, T0);
        assert.equal(typeof winner.etag, 'string');
        assert.ok(winner.etag.length > 0);
        assert.equal(winner.schemaVersion, RECORD_SCHEMA_VERSION);
        assert.deepEqual(await store.getPost(winner.id), winner);
        assert.deepEqual(await store.getPostForPeriod(t.id, '2026-W50'), winner);
        for (const i of inputs) if (i.id !== winner.id) assert.equal(await store.getPost(i.id), undefined);
        assert.equal((await store.listPosts(t.id, 10)).length, 1);

        const later = await store.claimPost(claimInput(t.id, '2026-W50', 'latecomer'));
        assert.equal(later.claimed, false);
        assert.equal(later.post.id, winner.id);
      });

      it('gives each (target, period) its own winner when claimed concurrently', async () => {
        const targets = await Promise.all([1, 2, 3].map((n) => store.upsertTarget(targetInput(n), T0)));
        const periods = ['2026-W49', '2026-W50', '2026-W51'];
        const inputs = targets.flatMap((t) =>
          periods.flatMap((p) => Array.from({ length: 4 }, (_, i) => claimInput(t.id, p, `instance-${i}`))),
        );
        const results = await Promise.all(inputs.map((i) => store.claimPost(i)));
        const winners = results.filter((r) => r.claimed).map((r) => r.post);
        assert.equal(winners.length, 9);
        const keys = new Set(winners.map((p) => `${p.targetId}#${p.periodKey}`));
        assert.equal(keys.size, 9);
        for (const t of targets) {
          for (const p of periods) {
            const post = await store.getPostForPeriod(t.id, p);
            assert.ok(post);
            assert.ok(winners.some((w) => w.id === post.id));
            for (const r of results) {
              if (r.post.targetId === t.id && r.post.periodKey === p) assert.equal(r.post.id, post.id);
            }
          }
        }
      });

      it('returns undefined for unknown posts and periods', async () => {
        const { target } = await newPost(1, '2026-W50');
        assert.equal(await store.getPost('no-such-post'), undefined);
        assert.equal(await store.getPostForPeriod(target.id, '2026-W51'), undefined);
        assert.equal(await store.getPostForPeriod('tenant-1|other', '2026-W50'), undefined);
        assert.deepEqual(await store.listPosts('tenant-1|other', 5), []);
      });

      it('lists a target’s posts newest period first, with a limit', async () => {
        const a = await store.upsertTarget(targetInput('a'), T0);
        const b = await store.upsertTarget(targetInput('b'), T0);
        for (const p of ['2026-W03', '2025-W52', '2026-W05', '2026-W01', '2026-W04', '2026-W02']) {
          await store.claimPost(claimInput(a.id, p));
        }
        await store.claimPost(claimInput(b.id, '2026-W09'));
        assert.deepEqual(
          (await store.listPosts(a.id, 3)).map((p) => p.periodKey),
          ['2026-W05', '2026-W04', '2026-W03'],
        );
        assert.deepEqual(
          (await store.listPosts(a.id, 50)).map((p) => p.periodKey),
          ['2026-W05', '2026-W04', '2026-W03', '2026-W02', '2026-W01', '2025-W52'],
        );
        assert.deepEqual((await store.listPosts(a.id, 1)).map((p) => p.periodKey), ['2026-W05']);
        assert.deepEqual((await store.listPosts(b.id, 5)).map((p) => p.periodKey), ['2026-W09']);
        for (const p of await store.listPosts(a.id, 50)) {
          assert.equal(p.targetId, a.id);
          assert.deepEqual(await store.getPost(p.id), p);
        }
      });

      it('lists posts by status across targets, optionally for one period', async () => {
        const targets = await Promise.all([1, 2, 3].map((n) => store.upsertTarget(targetInput(n), T0)));
        const posts: Post[] = [];
        for (const t of targets) {
          for (const p of ['2026-W49', '2026-W50']) posts.push((await store.claimPost(claimInput(t.id, p))).post);
        }
        const find = (t: number, p: string) => posts.find((x) => x.targetId === targets[t].id && x.periodKey === p)!;
        const sent = await store.updatePost(find(0, '2026-W50').id, find(0, '2026-W50').etag, { status: 'sent', sentAt: at(1) });
        const failed = await store.updatePost(find(1, '2026-W50').id, find(1, '2026-W50').etag, {
          status: 'failed',
          lastError: '403 bot not in conversation',
          attempts: 3,
        });
        const ids = (ps: Post[]) => ps.map((p) => p.id).sort();
        assert.deepEqual(ids(await store.listPostsByStatus('sent')), [sent.id]);
        assert.deepEqual(ids(await store.listPostsByStatus('failed')), [failed.id]);
        assert.deepEqual(ids(await store.listPostsByStatus('failed', '2026-W50')), [failed.id]);
        assert.deepEqual(await store.listPostsByStatus('failed', '2026-W49'), []);
        assert.deepEqual(
          ids(await store.listPostsByStatus('claimed')),
          ids(posts.filter((p) => p.id !== sent.id && p.id !== failed.id)),
        );
        assert.deepEqual(ids(await store.listPostsByStatus('claimed', '2026-W50')), [find(2, '2026-W50').id]);
        const [f] = await store.listPostsByStatus('failed');
        assert.equal(f.lastError, '403 bot not in conversation');
        assert.equal(f.attempts, 3);
        assert.equal(f.schemaVersion, RECORD_SCHEMA_VERSION);
      });

      it('updates a post with its etag and hands back a new etag', async () => {
        const { post } = await newPost();
        const sent = await store.updatePost(post.id, post.etag, {
          status: 'sent',
          sentAt: at(1),
          activityId: '1733567000000',
          threadId: '19:channel1@thread.tacv2;messageid=1733567000000',
          attempts: 1,
        });
        assert.notEqual(sent.etag, post.etag);
        assert.equal(sent.status, 'sent');
        assert.equal(sent.sentAt, at(1));
        assert.equal(sent.activityId, '1733567000000');
        assert.equal(sent.threadId, '19:channel1@thread.tacv2;messageid=1733567000000');
        assert.equal(sent.attempts, 1);
        assert.equal(sent.claimedBy, post.claimedBy);
        assert.equal(sent.checklistId, post.checklistId);
        assert.equal(sent.schemaVersion, RECORD_SCHEMA_VERSION);
        assert.deepEqual(await store.getPost(post.id), sent);
        assert.deepEqual(await store.getPostForPeriod(post.targetId, post.periodKey), sent);

        const reminded = await store.updatePost(post.id, sent.etag, { remindedAt: at(60), lastError: 'transient' });
        assert.equal(reminded.remindedAt, at(60));
        assert.equal(reminded.activityId, '1733567000000', 'fields not in the patch are kept');
        const cleared = await store.updatePost(post.id, reminded.etag, { lastError: undefined });
        assert.equal(cleared.lastError, undefined);
        assert.equal((await store.getPost(post.id))?.lastError, undefined);
        assert.equal((await store.getPost(post.id))?.remindedAt, at(60));
      });

      it('rejects a stale etag with ConcurrencyError and leaves the post unchanged', async () => {
        const { post } = await newPost();
        const first = await store.updatePost(post.id, post.etag, { status: 'sent', attempts: 1 });
        await assert.rejects(
          store.updatePost(post.id, post.etag, { status: 'failed', lastError: 'stale writer' }),
          (err: unknown) => err instanceof ConcurrencyError && (err as ConcurrencyError).code === 'ConcurrencyError',
        );
        assert.deepEqual(await store.getPost(post.id), first);
        await assert.rejects(store.updatePost(post.id, 'not-an-etag', { attempts: 9 }), ConcurrencyError);
      });

      it('lets exactly one of several concurrent writers with the same etag win; a loser that re-reads succeeds', async () => {
        const { post } = await newPost();
        const writers = Array.from({ length: 5 }, (_, i) => i);
        const results = await Promise.allSettled(
          writers.map((i) => store.updatePost(post.id, post.etag, { claimedBy: `writer-${i}`, attempts: i + 1 })),
        );
        const ok = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(ok.length, 1);
        assert.equal(lost.length, 4);
        for (const r of lost) assert.ok(r.reason instanceof ConcurrencyError, String(r.reason));

        // Every loser re-reads and retries until it gets through: optimistic concurrency, done right.
        await Promise.all(
          writers.map(async (i) => {
            if (results[i].status === 'fulfilled') return;
            for (let attempt = 0; ; attempt++) {
              assert.ok(attempt < 50, 'a retrying writer must get through');
              const current = (await store.getPost(post.id))!;
              try {
                await store.updatePost(post.id, current.etag, { attempts: current.attempts + 10 });
                return;
              } catch (err) {
                if (!(err instanceof ConcurrencyError)) throw err;
              }
            }
          }),
        );
        const final = (await store.getPost(post.id))!;
        const winnerIndex = results.findIndex((r) => r.status === 'fulfilled');
        assert.equal(final.claimedBy, `writer-${winnerIndex}`);
        assert.equal(final.attempts, winnerIndex + 1 + 4 * 10, 'no retried update was lost');
      });
    });

    describe('acknowledgements and audit', () => {
      it('is idempotent: a double ack is one ack and one audit event', async () => {
        const { post } = await newPost();
        const first = await store.ack(ackInput(post, 'item-1', 'u1', 1, evidence()));
        assert.equal(first.changed, true);
        assert.equal(first.ack.postId, post.id);
        assert.equal(first.ack.itemId, 'item-1');
        assert.equal(first.ack.userId, 'u1');
        assert.equal(first.ack.userName, 'User u1');
        assert.equal(first.ack.at, at(1));
        assert.deepEqual(first.ack.evidence, evidence());
        assert.equal(first.ack.schemaVersion, RECORD_SCHEMA_VERSION);

        const second = await store.ack(ackInput(post, 'item-1', 'u1', 2));
        assert.equal(second.changed, false);
        assert.deepEqual(second.ack, first.ack, 'the original ack stands');
        assert.deepEqual(await store.listAcks(post.id), [first.ack]);
        const audit = await store.listAudit({ postId: post.id });
        assert.equal(audit.length, 1);
        assert.equal(audit[0].action, 'ack');
      });

      it('stays idempotent under concurrency: the same ack sent 10 times at once is recorded once', async () => {
        const { post } = await newPost();
        const results = await Promise.all(Array.from({ length: 10 }, () => store.ack(ackInput(post, 'item-1', 'u1'))));
        assert.equal(results.filter((r) => r.changed).length, 1);
        assert.equal((await store.listAcks(post.id)).length, 1);
        assert.equal((await store.listAudit({ postId: post.id })).length, 1);
      });

      it('unacks only the user’s own ack; the audit keeps both events', async () => {
        const { post } = await newPost();
        await store.ack(ackInput(post, 'item-1', 'u1', 1));
        assert.deepEqual(await store.unack(ackInput(post, 'item-1', 'u2', 2)), { changed: false }, 'not u2’s ack');
        assert.deepEqual(await store.unack(ackInput(post, 'item-2', 'u1', 2)), { changed: false }, 'not this item');
        assert.equal((await store.listAcks(post.id)).length, 1);
        assert.equal((await store.listAudit({ postId: post.id })).length, 1, 'a no-op unack appends nothing');

        assert.deepEqual(await store.unack(ackInput(post, 'item-1', 'u1', 3)), { changed: true });
        assert.deepEqual(await store.listAcks(post.id), []);
        assert.deepEqual(await store.unack(ackInput(post, 'item-1', 'u1', 4)), { changed: false });

        const audit = await store.listAudit({ postId: post.id });
        assert.deepEqual(
          audit.map((e) => [e.action, e.userId, e.itemId, e.at]),
          [
            ['ack', 'u1', 'item-1', at(1)],
            ['unack', 'u1', 'item-1', at(3)],
          ],
        );
        for (const e of audit) {
          assert.equal(e.postId, post.id);
          assert.equal(e.targetId, post.targetId);
          assert.equal(e.periodKey, post.periodKey);
          assert.equal(e.userName, 'User u1');
          assert.equal(e.schemaVersion, RECORD_SCHEMA_VERSION);
        }
        // Acking again after an unack is a new ack.
        assert.equal((await store.ack(ackInput(post, 'item-1', 'u1', 5))).changed, true);
        assert.equal((await store.listAudit({ postId: post.id })).length, 3);
      });

      it('records acks by several users on one item, and per item', async () => {
        const { post } = await newPost();
        for (const u of ['u1', 'u2', 'u3']) await store.ack(ackInput(post, 'item-1', u));
        await store.ack(ackInput(post, 'item-2', 'u1'));
        const acks = await store.listAcks(post.id);
        assert.equal(acks.length, 4);
        assert.deepEqual(
          sortBy(acks.filter((a) => a.itemId === 'item-1'), (a) => a.userId).map((a) => a.userId),
          ['u1', 'u2', 'u3'],
        );
        assert.deepEqual(acks.filter((a) => a.itemId === 'item-2').map((a) => a.userId), ['u1']);
        await store.unack(ackInput(post, 'item-1', 'u2'));
        assert.deepEqual(
          sortBy((await store.listAcks(post.id)).filter((a) => a.itemId === 'item-1'), (a) => a.userId).map((a) => a.userId),
          ['u1', 'u3'],
        );
        const { post: other } = await newPost(2);
        assert.deepEqual(await store.listAcks(other.id), [], 'acks belong to their post');
        assert.deepEqual(await store.listAcks('no-such-post'), []);
      });

      it('stores the evidence an ack was made on, in the ack and in the audit', async () => {
        const { post } = await newPost();
        const ev: AckEvidence = { status: 'fail', summary: '3 apps sanctioned without review — “quoted”', label: '1 failure', checkedAt: at(-1) };
        await store.ack(ackInput(post, 'item-1', 'u1', 1, ev));
        await store.ack(ackInput(post, 'item-2', 'u1', 2));
        const acks = sortBy(await store.listAcks(post.id), (a) => a.itemId);
        assert.deepEqual(acks[0].evidence, ev);
        assert.equal(acks[1].evidence, undefined);
        const audit = await store.listAudit({ postId: post.id });
        assert.deepEqual(audit[0].evidence, ev);
        assert.equal(audit[1].evidence, undefined);
      });

      it('lists the audit in the order things happened, with increasing sortable ids', async () => {
        const { post } = await newPost();
        const steps: [string, string, 'ack' | 'unack'][] = [
          ['item-1', 'u1', 'ack'],
          ['item-1', 'u2', 'ack'],
          ['item-2', 'u1', 'ack'],
          ['item-1', 'u1', 'unack'],
          ['item-1', 'u1', 'ack'],
          ['item-2', 'u1', 'unack'],
          ['item-3', 'u3', 'ack'],
        ];
        let minute = 0;
        for (const [item, user, action] of steps) {
          const input = ackInput(post, item, user, ++minute);
          const r = action === 'ack' ? await store.ack(input) : await store.unack(input);
          assert.equal(r.changed, true);
        }
        const audit = await store.listAudit({ postId: post.id });
        assert.deepEqual(
          audit.map((e) => [e.itemId, e.userId, e.action]),
          steps,
        );
        for (let i = 1; i < audit.length; i++) assert.ok(audit[i - 1].id < audit[i].id, 'ids sort in event order');
        assert.equal(new Set(audit.map((e) => e.id)).size, audit.length);
      });

      it('records every one of 60 concurrent acks from distinct users, each once', async () => {
        const { post } = await newPost();
        const users = Array.from({ length: 60 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
        // Each user clicks twice, all at once.
        const results = await Promise.all(
          [...users, ...users].map((u, i) => store.ack(ackInput(post, 'item-1', u, i % 60))),
        );
        assert.equal(results.filter((r) => r.changed).length, 60);
        const acks = await store.listAcks(post.id);
        assert.deepEqual(acks.map((a) => a.userId).sort(), users);
        const audit = await store.listAudit({ postId: post.id });
        assert.equal(audit.length, 60);
        assert.deepEqual(audit.map((e) => e.userId).sort(), users);
        assert.equal(new Set(audit.map((e) => e.id)).size, 60);
        assert.deepEqual(audit.map((e) => e.id), [...audit.map((e) => e.id)].sort(), 'listed in id order');
      });

      it('lists the audit by post and by target', async () => {
        const a = await store.upsertTarget(targetInput('a'), T0);
        const b = await store.upsertTarget(targetInput('b'), T0);
        const a1 = (await store.claimPost(claimInput(a.id, '2026-W49'))).post;
        const a2 = (await store.claimPost(claimInput(a.id, '2026-W50'))).post;
        const b1 = (await store.claimPost(claimInput(b.id, '2026-W50'))).post;
        await store.ack(ackInput(a1, 'item-1', 'u1', 1));
        await store.ack(ackInput(b1, 'item-1', 'u1', 2));
        await store.ack(ackInput(a2, 'item-1', 'u2', 3));
        await store.unack(ackInput(a1, 'item-1', 'u1', 4));

        const tuple = (es: { postId: string; action: string; userId: string }[]) => es.map((e) => [e.postId, e.action, e.userId]);
        assert.deepEqual(tuple(await store.listAudit({ postId: a1.id })), [
          [a1.id, 'ack', 'u1'],
          [a1.id, 'unack', 'u1'],
        ]);
        assert.deepEqual(tuple(await store.listAudit({ postId: b1.id })), [[b1.id, 'ack', 'u1']]);
        assert.deepEqual(tuple(await store.listAudit({ targetId: a.id })), [
          [a1.id, 'ack', 'u1'],
          [a2.id, 'ack', 'u2'],
          [a1.id, 'unack', 'u1'],
        ]);
        assert.deepEqual(tuple(await store.listAudit({ targetId: b.id })), [[b1.id, 'ack', 'u1']]);
        assert.deepEqual(tuple(await store.listAudit({ targetId: a.id, postId: a2.id })), [[a2.id, 'ack', 'u2']]);
        assert.deepEqual(await store.listAudit({ targetId: b.id, postId: a2.id }), []);
        assert.deepEqual(await store.listAudit({ postId: 'no-such-post' }), []);
        assert.deepEqual(await store.listAudit({ targetId: 'tenant-1|none' }), []);
        assert.equal((await store.listAudit({})).length, 4);
      });
    });

    describe('check outcomes', () => {
      it('keeps the latest outcome per (post, item)', async () => {
        const { post } = await newPost();
        const { post: other } = await newPost(2);
        assert.deepEqual(await store.getOutcomes(post.id), []);
        await store.putOutcome(post.id, 'item-1', outcome('policies', 'warn', 2));
        await store.putOutcome(post.id, 'item-2', outcome('apps', 'pass', 0), 'u1');
        await store.putOutcome(other.id, 'item-1', outcome('policies', 'fail', 1));
        await store.putOutcome(post.id, 'item-1', outcome('policies', 'fail', 3), 'u2');

        const got = sortBy(await store.getOutcomes(post.id), (o) => o.itemId);
        assert.equal(got.length, 2);
        assert.deepEqual(got[0], {
          postId: post.id,
          itemId: 'item-1',
          outcome: outcome('policies', 'fail', 3),
          requestedBy: 'u2',
          schemaVersion: RECORD_SCHEMA_VERSION,
        });
        assert.deepEqual(got[1].outcome, outcome('apps', 'pass', 0));
        assert.equal(got[1].requestedBy, 'u1');
        await store.putOutcome(post.id, 'item-2', outcome('apps', 'warn', 1));
        const item2 = (await store.getOutcomes(post.id)).find((o) => o.itemId === 'item-2');
        assert.equal(item2?.requestedBy, undefined, 'a scheduled run replaces who asked for the previous one');
        assert.equal(item2?.outcome.status, 'warn');
        const others = await store.getOutcomes(other.id);
        assert.equal(others.length, 1);
        assert.equal(others[0].outcome.status, 'fail');
      });

      it('stores a large outcome (many findings and ids)', async () => {
        const { post } = await newPost();
        const big = outcome('apps', 'warn', 400);
        big.evidence.calls[0].ids = Array.from({ length: 3000 }, (_, i) => `app-${i}-${'x'.repeat(8)}`);
        await store.putOutcome(post.id, 'item-1', big);
        const [got] = await store.getOutcomes(post.id);
        assert.deepEqual(got.outcome, big);
      });
    });

    describe('check memory', () => {
      it('round-trips JSON values, including arrays, per scope and key', async () => {
        assert.equal(await store.getMemory('message-center', 'seen'), undefined);
        const seen = ['MC100001', 'MC100002', 'MC100003'];
        await store.putMemory('message-center', 'seen', seen);
        await store.putMemory('message-center', 'lastRun', { at: T0, count: 3, ok: true, nested: { list: [1, 'two', null, { three: 3 }] } });
        await store.putMemory('other-check', 'seen', []);
        await store.putMemory('counters', 'runs', 42);
        await store.putMemory('counters', 'label', 'ünïcödé ✓ "quoted" \\ back');
        await store.putMemory('counters', 'flag', false);

        assert.deepEqual(await store.getMemory<string[]>('message-center', 'seen'), seen);
        assert.deepEqual(await store.getMemory('message-center', 'lastRun'), {
          at: T0,
          count: 3,
          ok: true,
          nested: { list: [1, 'two', null, { three: 3 }] },
        });
        assert.deepEqual(await store.getMemory('other-check', 'seen'), []);
        assert.equal(await store.getMemory('counters', 'runs'), 42);
        assert.equal(await store.getMemory('counters', 'label'), 'ünïcödé ✓ "quoted" \\ back');
        assert.equal(await store.getMemory('counters', 'flag'), false);
        assert.equal(await store.getMemory('counters', 'missing'), undefined);
        assert.equal(await store.getMemory('missing-scope', 'seen'), undefined);

        await store.putMemory('message-center', 'seen', [...seen, 'MC100004']);
        assert.deepEqual(await store.getMemory('message-center', 'seen'), [...seen, 'MC100004']);
      });

      it('stores a large array of seen ids', async () => {
        const seen = Array.from({ length: 20_000 }, (_, i) => `MC${String(100000 + i)}`);
        await store.putMemory('message-center', 'seen', seen);
        assert.deepEqual(await store.getMemory('message-center', 'seen'), seen);
        await store.putMemory('message-center', 'seen', ['MC1']);
        assert.deepEqual(await store.getMemory('message-center', 'seen'), ['MC1'], 'a smaller value replaces a big one');
      });
    });

    describe('values', () => {
      it('hands back copies: changing what was passed in or returned does not change the store', async () => {
        const { post } = await newPost();
        const seen = ['MC1', 'MC2'];
        await store.putMemory('mc', 'seen', seen);
        seen.push('MC3');
        const got = await store.getMemory<string[]>('mc', 'seen');
        assert.deepEqual(got, ['MC1', 'MC2']);
        got!.push('MC4');
        assert.deepEqual(await store.getMemory('mc', 'seen'), ['MC1', 'MC2']);

        const o = outcome('apps', 'warn', 2);
        await store.putOutcome(post.id, 'item-1', o);
        o.findings.push({ title: 'added later', detail: '', severity: 'high' });
        const [stored] = await store.getOutcomes(post.id);
        assert.equal(stored.outcome.findings.length, 2);
        stored.outcome.findings.length = 0;
        assert.equal((await store.getOutcomes(post.id))[0].outcome.findings.length, 2);

        const ev = evidence();
        const { ack } = await store.ack(ackInput(post, 'item-1', 'u1', 1, ev));
        ev.summary = 'changed by the caller';
        ack.evidence!.summary = 'changed through the result';
        assert.equal((await store.listAcks(post.id))[0].evidence?.summary, evidence().summary);
        assert.equal((await store.listAudit({ postId: post.id }))[0].evidence?.summary, evidence().summary);

        const p1 = await store.getPost(post.id);
        const p2 = await store.getPost(post.id);
        assert.notEqual(p1, p2);
        p1!.status = 'failed';
        assert.equal((await store.getPost(post.id))?.status, 'claimed');

        const t = (await store.listTargets())[0];
        t.subscribed = false;
        assert.equal((await store.getTarget(t.id))?.subscribed, true);
      });

      it('stamps every record with the schema version', async () => {
        const { target, post } = await newPost();
        await store.ack(ackInput(post, 'item-1', 'u1'));
        await store.putOutcome(post.id, 'item-1', outcome('apps', 'pass', 0));
        const records = [
          target,
          post,
          (await store.getTarget(target.id))!,
          (await store.getPost(post.id))!,
          ...(await store.listAcks(post.id)),
          ...(await store.listAudit({ postId: post.id })),
          ...(await store.getOutcomes(post.id)),
        ];
        for (const r of records) assert.equal(r.schemaVersion, RECORD_SCHEMA_VERSION);
      });
    });
  });
}
