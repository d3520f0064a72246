import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TableServiceClient } from '@azure/data-tables';
import { runStoreContract } from '../contracts/store.contract';
import { startAzurite, DEV_ACCOUNT, DEV_KEY, type Azurite } from '../support/azurite';
import { openAzureTableStore, TABLE_SUFFIXES, type AzureTableStore } from '../../src/store/azure-table';
import { StoreUnavailableError } from '../../src/store/store';
import type { Post, TargetInput } from '../../src/domain/records';

let prefixSeq = 0;
const newPrefix = () => `t${process.pid}x${++prefixSeq}x${Math.random().toString(36).slice(2, 6)}`;

const connectionStringFor = (endpoint: string, key = DEV_KEY) =>
  `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${key};TableEndpoint=${endpoint};`;

const target = (n: number): TargetInput => ({
  tenantId: 'tenant-1',
  conversationId: `19:channel${n}@thread.tacv2`,
  kind: 'channel',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  botId: '28:app',
});

/** A tiny local HTTP server standing in for the service. */
async function fakeService(handler: http.RequestListener): Promise<{ url: string; server: http.Server; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${DEV_ACCOUNT}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('AzureTableStore on Azurite', function () {
  this.timeout(60_000);
  let az: Azurite;
  const opened: AzureTableStore[] = [];

  before(async function () {
    this.timeout(30_000);
    const t0 = Date.now();
    az = await startAzurite();
    console.log(`      (Azurite table service on 127.0.0.1:${az.tablePort}, pid ${az.pid}, ready in ${Date.now() - t0} ms)`);
  });
  after(async () => {
    await az?.stop();
  });

  runStoreContract('azure-table (Azurite)', async () => {
    const store = await openAzureTableStore({ connectionString: az.connectionString, tablePrefix: newPrefix() });
    return {
      store,
      async cleanup() {
        await store.deleteTables();
        await store.close();
      },
    };
  });

  describe('Azure specifics', () => {
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.deleteTables().catch(() => undefined);
    });

    it('creates its tables on start when missing, and opens again over existing ones', async () => {
      const prefix = newPrefix();
      const service = TableServiceClient.fromConnectionString(az.connectionString, { allowInsecureConnection: true });
      const names = async () => {
        const out: string[] = [];
        for await (const t of service.listTables()) if (t.name?.startsWith(prefix)) out.push(t.name);
        return out.sort();
      };
      assert.deepEqual(await names(), []);
      const a = await openAzureTableStore({ connectionString: az.connectionString, tablePrefix: prefix });
      opened.push(a);
      assert.deepEqual(await names(), TABLE_SUFFIXES.map((s) => `${prefix}${s}`).sort());
      const t = await a.upsertTarget(target(1), 'x');
      const b = await openAzureTableStore({ connectionString: az.connectionString, tablePrefix: prefix });
      assert.deepEqual(await b.getTarget(t.id), t, 'a second instance sees the same data');
    });

    it('shares one store between several instances: one post per channel and period, every ack recorded', async () => {
      const prefix = newPrefix();
      const instances = await Promise.all(
        [1, 2, 3].map((i) => openAzureTableStore({ connectionString: az.connectionString, tablePrefix: prefix, instanceId: `bot${i}` })),
      );
      opened.push(instances[0]);
      const targets = await Promise.all([1, 2, 3, 4].map((n) => instances[n % 3].upsertTarget(target(n), 'x')));
      const claims = await Promise.all(
        targets.flatMap((t) =>
          instances.flatMap((s, i) =>
            [0, 1].map((j) =>
              s.claimPost({ id: `post-${t.id}-${i}-${j}`, targetId: t.id, periodKey: '2026-W50', checklistId: 'w', timeZone: 'UTC', claimant: `bot${i}`, at: 'x' }),
            ),
          ),
        ),
      );
      assert.equal(claims.filter((c) => c.claimed).length, 4, 'exactly one winner per channel');
      const post: Post = claims.find((c) => c.claimed)!.post;
      for (const s of instances) assert.deepEqual(await s.getPost(post.id), post);

      const users = Array.from({ length: 60 }, (_, i) => `user-${i}`);
      const acks = await Promise.all(
        users.map((u, i) => instances[i % 3].ack({ post, itemId: 'item-1', userId: u, userName: u, at: `t${i}` })),
      );
      assert.ok(acks.every((a) => a.changed));
      for (const s of instances) {
        assert.equal((await s.listAcks(post.id)).length, 60);
        const audit = await s.listAudit({ postId: post.id });
        assert.equal(audit.length, 60);
        assert.deepEqual(new Set(audit.map((e) => e.userId)), new Set(users));
      }
    });

    it('retries a throttling 503 within bounds, then surfaces StoreUnavailableError', async () => {
      let hits = 0;
      const fake = await fakeService((req, res) => {
        hits++;
        req.resume();
        req.on('end', () => {
          res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0', 'x-ms-error-code': 'ServerBusy' });
          res.end(JSON.stringify({ 'odata.error': { code: 'ServerBusy', message: { value: 'The server is busy.' } } }));
        });
      });
      try {
        const t0 = Date.now();
        await assert.rejects(
          openAzureTableStore({
            connectionString: connectionStringFor(fake.url),
            tablePrefix: 'busy',
            retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
          }),
          (err: unknown) => {
            assert.ok(err instanceof StoreUnavailableError, String(err));
            assert.equal(err.code, 'StoreUnavailable');
            assert.match(err.message, /unavailable: create table busy\w+ failed 3 times, last with 503/);
            return true;
          },
        );
        assert.equal(hits, 3 * TABLE_SUFFIXES.length, 'each table creation tried exactly 3 times');
        assert.ok(Date.now() - t0 < 5000);

        hits = 0;
        const store = await openAzureTableStore({
          connectionString: connectionStringFor(fake.url),
          tablePrefix: 'busy',
          createTables: false,
          retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
        });
        await assert.rejects(store.getTarget('x'), StoreUnavailableError);
        assert.equal(hits, 4);
        hits = 0;
        await assert.rejects(store.ack({ post: { id: 'p', targetId: 't', periodKey: 'w' }, itemId: 'i', userId: 'u', userName: 'U', at: 'x' }), StoreUnavailableError);
        assert.equal(hits, 4);
        hits = 0;
        await assert.rejects(store.listTargets(), StoreUnavailableError);
        assert.equal(hits, 4);
      } finally {
        await fake.close();
      }
    });

    it('abandons a request that gets no answer, retries it, then surfaces StoreUnavailableError', async () => {
      let hits = 0;
      const fake = await fakeService((req) => {
        hits++;
        req.resume(); // and never answer
      });
      try {
        const store = await openAzureTableStore({
          connectionString: connectionStringFor(fake.url),
          tablePrefix: 'hang',
          createTables: false,
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 200 },
        });
        const t0 = Date.now();
        await assert.rejects(store.getPostForPeriod('t', '2026-W50'), (err: unknown) => {
          assert.ok(err instanceof StoreUnavailableError, String(err));
          assert.match(err.message, /failed 3 times, last with no answer within 200 ms/);
          return true;
        });
        const took = Date.now() - t0;
        assert.equal(hits, 3);
        assert.ok(took >= 600 && took < 3000, `took ${took} ms`);
      } finally {
        await fake.close();
      }
    });

    it('rides out transient 503s and timeouts: the operation succeeds once the service answers', async () => {
      let hits = 0;
      let failNext = 0;
      const proxy = await fakeService((req, res) => {
        hits++;
        if (failNext > 0) {
          failNext--;
          req.resume();
          req.on('end', () => {
            res.writeHead(503, { 'retry-after': '0' });
            res.end();
          });
          return;
        }
        const up = http.request(
          { host: '127.0.0.1', port: az.tablePort, method: req.method, path: req.url, headers: req.headers },
          (ur) => {
            res.writeHead(ur.statusCode ?? 502, ur.headers);
            ur.pipe(res);
          },
        );
        up.on('error', () => res.destroy());
        req.pipe(up);
      });
      try {
        const store = await openAzureTableStore({
          connectionString: connectionStringFor(proxy.url),
          tablePrefix: newPrefix(),
          retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
        });
        opened.push(store);
        const t = await store.upsertTarget(target(1), 'x');
        failNext = 2;
        const { claimed, post } = await store.claimPost({ id: 'p1', targetId: t.id, periodKey: '2026-W50', checklistId: 'w', timeZone: 'UTC', claimant: 'a', at: 'x' });
        assert.equal(claimed, true);
        failNext = 3;
        hits = 0;
        const r = await store.ack({ post, itemId: 'i', userId: 'u', userName: 'U', at: 'x' });
        assert.equal(r.changed, true);
        assert.equal(hits, 4, 'three 503s, then the transaction');
        assert.equal((await store.listAudit({ postId: post.id })).length, 1);
        failNext = 3;
        const sent = await store.updatePost(post.id, post.etag, { status: 'sent' });
        assert.equal(sent.status, 'sent');
      } finally {
        await proxy.close();
      }
    });

    it('surfaces StoreUnavailableError when the storage service goes away mid-run, and does not crash', async () => {
      const own = await startAzurite({ inMemory: true });
      let stopped = false;
      try {
        const store = await openAzureTableStore({
          connectionString: own.connectionString,
          tablePrefix: 'gone',
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 1000 },
        });
        const t = await store.upsertTarget(target(1), 'x');
        await own.stop();
        stopped = true;
        await assert.rejects(store.getTarget(t.id), (err: unknown) => {
          assert.ok(err instanceof StoreUnavailableError, String(err));
          assert.match(err.message, /failed 3 times/);
          return true;
        });
        await assert.rejects(store.upsertTarget(target(2), 'y'), StoreUnavailableError);
      } finally {
        if (!stopped) await own.stop();
      }
    });

    it('reports a refused request (bad account key) at once, without retrying, as StoreUnavailableError', async () => {
      const wrongKey = Buffer.from('not the key').toString('base64');
      const t0 = Date.now();
      await assert.rejects(
        openAzureTableStore({ connectionString: connectionStringFor(az.tableEndpoint, wrongKey), tablePrefix: newPrefix() }),
        (err: unknown) => {
          assert.ok(err instanceof StoreUnavailableError, String(err));
          assert.match(err.message, /refused create table .*403/);
          return true;
        },
      );
      assert.ok(Date.now() - t0 < 2000);
    });

    it('keeps ids with characters Azure keys cannot hold apart', async () => {
      const store = await openAzureTableStore({ connectionString: az.connectionString, tablePrefix: newPrefix() });
      opened.push(store);
      const odd = ["a/b", 'a\\b', 'a#b', 'a?b', 'a|b', "a'b", 'a~2Fb', 'a%2Fb', 'a\tb'];
      for (const [i, c] of odd.entries()) {
        const t = await store.upsertTarget({ ...target(i), conversationId: c }, 'x');
        const { post } = await store.claimPost({ id: `post/${c}`, targetId: t.id, periodKey: `W|${c}`, checklistId: 'w', timeZone: 'UTC', claimant: 'a', at: 'x' });
        await store.ack({ post, itemId: `item#${c}`, userId: `user?${c}`, userName: 'U', at: 'x' });
        await store.putMemory(`scope/${c}`, `key'${c}`, { c });
      }
      for (const [i, c] of odd.entries()) {
        const t = await store.getTarget(`tenant-1|${c}`);
        assert.equal(t?.conversationId, c);
        assert.equal(t?.kind, target(i).kind);
        const post = await store.getPost(`post/${c}`);
        assert.equal(post?.periodKey, `W|${c}`);
        const acks = await store.listAcks(`post/${c}`);
        assert.deepEqual(acks.map((a) => [a.itemId, a.userId]), [[`item#${c}`, `user?${c}`]]);
        assert.equal((await store.listAudit({ targetId: `tenant-1|${c}` })).length, 1);
        assert.deepEqual(await store.getMemory(`scope/${c}`, `key'${c}`), { c });
      }
      assert.equal((await store.listTargets()).length, odd.length);
    });
  });
});
