import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runStoreContract } from '../contracts/store.contract';
import { openSqliteStore, SqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/sqlite-migrations';
import { RECORD_SCHEMA_VERSION } from '../../src/domain/records';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-sqlite-'));
}

runStoreContract('sqlite', async () => {
  const dir = tempDir();
  const store = openSqliteStore(dir);
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore schema', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('creates rounds.db in WAL mode at the latest schema version, with a busy timeout', async () => {
    const d = dir();
    const store = openSqliteStore(d);
    assert.equal(store.schemaVersion(), LATEST_SCHEMA_VERSION);
    await store.close();
    assert.ok(fs.existsSync(path.join(d, SQLITE_FILE_NAME)));
    const db = new Database(path.join(d, SQLITE_FILE_NAME), { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
      const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posts'").all() as {
        name: string;
        sql: string | null;
      }[];
      assert.ok(indexes.some((i) => /UNIQUE INDEX posts_target_period ON posts \(target_id, period_key\)/.test(i.sql ?? '')));
    } finally {
      db.close();
    }
  });

  it('opens a database written by the first schema (v1) and migrates it, keeping and using the data', async () => {
    const d = dir();
    // A database exactly as the first release wrote it, by hand.
    const old = new Database(path.join(d, SQLITE_FILE_NAME));
    old.exec(MIGRATIONS[0].sql);
    old.pragma('user_version = 1');
    old.exec(`
      INSERT INTO targets (id, tenant_id, conversation_id, kind, team_id, team_name, channel_name, service_url, bot_id,
        bot_name, status, retired_reason, subscribed, created_at, updated_at)
      VALUES ('t1|19:c1@thread.tacv2', 't1', '19:c1@thread.tacv2', 'channel', '19:team', 'Ops', 'General',
        'https://smba.example/emea/', '28:app', 'Rounds', 'active', NULL, 1, '2026-01-05T09:00:00.000Z', '2026-01-05T09:00:00.000Z');
      INSERT INTO targets (id, tenant_id, conversation_id, kind, service_url, bot_id, status, retired_reason, subscribed,
        created_at, updated_at)
      VALUES ('t1|a:chat', 't1', 'a:chat', 'groupChat', 'https://smba.example/emea/', '28:app', 'retired', 'removed', 0,
        '2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z');
      INSERT INTO posts (id, target_id, period_key, checklist_id, status, claimed_by, claimed_at, sent_at, activity_id,
        thread_id, attempts, last_error, etag)
      VALUES ('p1', 't1|19:c1@thread.tacv2', '2026-W02', 'weekly', 'sent', 'host-1', '2026-01-05T09:00:00.000Z',
        '2026-01-05T09:00:05.000Z', 'act-1', '19:c1@thread.tacv2;messageid=act-1', 1, NULL, 'etag-old');
      INSERT INTO acks (post_id, item_id, user_id, user_name, at) VALUES ('p1', 'item-1', 'u1', 'Ada', '2026-01-05T10:00:00.000Z');
      INSERT INTO audit (post_id, target_id, period_key, item_id, user_id, user_name, action, at)
      VALUES ('p1', 't1|19:c1@thread.tacv2', '2026-W02', 'item-1', 'u1', 'Ada', 'ack', '2026-01-05T10:00:00.000Z');
      INSERT INTO outcomes (post_id, item_id, outcome_json) VALUES ('p1', 'item-1', '{"checkId":"c","status":"pass","summary":"ok","findings":[],"evidence":{"calls":[]},"checkedAt":"2026-01-05T09:00:00.000Z","apis":[]}');
      INSERT INTO memory (scope, key, value_json) VALUES ('message-center', 'seen', '["MC1","MC2"]');
    `);
    old.close();

    const store = openSqliteStore(d);
    try {
      assert.equal(store.schemaVersion(), LATEST_SCHEMA_VERSION);
      const t = await store.getTarget('t1|19:c1@thread.tacv2');
      assert.equal(t?.channelName, 'General');
      assert.equal(t?.timeZone, undefined);
      assert.equal(t?.schemaVersion, RECORD_SCHEMA_VERSION);
      const chat = await store.getTarget('t1|a:chat');
      assert.equal(chat?.status, 'retired');
      assert.equal(chat?.subscribed, false);
      assert.equal(chat?.teamId, undefined);

      const p = await store.getPost('p1');
      assert.equal(p?.status, 'sent');
      assert.equal(p?.timeZone, 'UTC', 'posts from before per-post time zones get UTC');
      assert.equal(p?.remindedAt, undefined);
      assert.equal(p?.etag, 'etag-old');
      assert.deepEqual(await store.getPostForPeriod('t1|19:c1@thread.tacv2', '2026-W02'), p);

      // The old data is usable with the new schema.
      const reminded = await store.updatePost('p1', 'etag-old', { remindedAt: '2026-01-08T09:00:00.000Z' });
      assert.equal(reminded.remindedAt, '2026-01-08T09:00:00.000Z');
      const claim = await store.claimPost({
        id: 'p-dup',
        targetId: 't1|19:c1@thread.tacv2',
        periodKey: '2026-W02',
        checklistId: 'weekly',
        timeZone: 'UTC',
        claimant: 'host-2',
        at: '2026-01-05T09:01:00.000Z',
      });
      assert.equal(claim.claimed, false, 'the unique (target, period) index survives the migration');
      assert.deepEqual(
        (await store.listAcks('p1')).map((a) => [a.userId, a.userName, a.evidence, a.schemaVersion]),
        [['u1', 'Ada', undefined, RECORD_SCHEMA_VERSION]],
      );
      const dup = await store.ack({
        post: { id: 'p1', targetId: 't1|19:c1@thread.tacv2', periodKey: '2026-W02' },
        itemId: 'item-1',
        userId: 'u1',
        userName: 'Ada',
        at: '2026-01-05T11:00:00.000Z',
      });
      assert.equal(dup.changed, false, 'old acks still make a repeated ack idempotent');
      await store.ack({
        post: { id: 'p1', targetId: 't1|19:c1@thread.tacv2', periodKey: '2026-W02' },
        itemId: 'item-1',
        userId: 'u2',
        userName: 'Grace',
        at: '2026-01-05T11:00:00.000Z',
        evidence: { status: 'pass', summary: 'ok', label: 'passed', checkedAt: '2026-01-05T09:00:00.000Z' },
      });
      const audit = await store.listAudit({ postId: 'p1' });
      assert.deepEqual(audit.map((e) => e.userId), ['u1', 'u2'], 'new audit events follow the old ones');
      assert.ok(audit[0].id < audit[1].id);
      assert.equal(audit[1].evidence?.label, 'passed');
      const [o] = await store.getOutcomes('p1');
      assert.equal(o.outcome.status, 'pass');
      assert.equal(o.requestedBy, undefined);
      assert.deepEqual(await store.getMemory('message-center', 'seen'), ['MC1', 'MC2']);
    } finally {
      await store.close();
    }

    // The migrated audit is append-only.
    const db = new Database(path.join(d, SQLITE_FILE_NAME));
    try {
      assert.throws(() => db.exec("UPDATE audit SET action = 'unack'"), /append-only/);
      assert.throws(() => db.exec('DELETE FROM audit'), /append-only/);
    } finally {
      db.close();
    }
  });

  it('treats a database with no schema (user_version 0) as new', async () => {
    const d = dir();
    const empty = new Database(path.join(d, SQLITE_FILE_NAME));
    assert.equal(empty.pragma('user_version', { simple: true }), 0);
    empty.close();
    const store = openSqliteStore(d);
    assert.equal(store.schemaVersion(), LATEST_SCHEMA_VERSION);
    await store.close();
  });

  it('refuses a database written by a newer schema instead of damaging it', () => {
    const d = dir();
    const future = new Database(path.join(d, SQLITE_FILE_NAME));
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    future.close();
    assert.throws(() => new SqliteStore(d), /newer than this build/);
  });

  it('lets two stores on one file (two processes on one machine) share it safely', async () => {
    const d = dir();
    const a = openSqliteStore(d);
    const b = openSqliteStore(d);
    try {
      const t = await a.upsertTarget(
        { tenantId: 't', conversationId: 'c', kind: 'channel', serviceUrl: 'https://s/', botId: '28:x' },
        '2026-01-05T09:00:00.000Z',
      );
      const claim = (s: SqliteStore, i: number) =>
        s.claimPost({ id: `p${i}`, targetId: t.id, periodKey: '2026-W02', checklistId: 'w', timeZone: 'UTC', claimant: `c${i}`, at: 'x' });
      const results = await Promise.all([claim(a, 1), claim(b, 2), claim(a, 3), claim(b, 4)]);
      assert.equal(results.filter((r) => r.claimed).length, 1);
      const post = results[0].post;
      await a.ack({ post, itemId: 'i', userId: 'u1', userName: 'U1', at: 'x' });
      await b.ack({ post, itemId: 'i', userId: 'u1', userName: 'U1', at: 'y' });
      await b.ack({ post, itemId: 'i', userId: 'u2', userName: 'U2', at: 'y' });
      assert.equal((await a.listAudit({ postId: post.id })).length, 2);
      assert.equal((await b.listAcks(post.id)).length, 2);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
