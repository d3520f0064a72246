import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  RECORD_SCHEMA_VERSION,
  type Ack,
  type AckEvidence,
  type AckInput,
  type AuditAction,
  type AuditEvent,
  type Post,
  type PostPatch,
  type StoredOutcome,
  type Target,
  type TargetInput,
  type TargetStatus,
} from '../domain/records';
import type { CheckOutcome } from '../domain/outcome';
import { ConcurrencyError, StoreUnavailableError, type Store } from './store';
import { compact, newPost, newTarget, patchPost, patchTarget, refreshTarget, targetIdOf, type TargetPatch } from './common';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './sqlite-migrations';

export const SQLITE_FILE_NAME = 'rounds.db';

type Row = Record<string, unknown>;

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const json = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (JSON.parse(String(v)) as T));

/**
 * Runs the migrations a database is missing. Each runs in an IMMEDIATE transaction that re-reads user_version, so two
 * processes opening the same file at once cannot both apply one.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new Error(
      `The database schema is version ${current}, newer than this build of Rounds understands (${latest}). ` +
        'Run a newer version, or restore a backup made by this one.',
    );
  }
  for (const m of migrations) {
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/** The embedded store: one `rounds.db` file in WAL mode; several processes on one machine may share it. */
export class SqliteStore implements Store {
  readonly file: string;
  private readonly db: Database.Database;
  /** Prepared statements, compiled once: preparing on every call was a fifth of an acknowledgement's CPU. */
  private readonly statements = new Map<string, Database.Statement>();

  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  constructor(dataDir: string, opts: { busyTimeoutMs?: number } = {}) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, SQLITE_FILE_NAME);
    this.db = new Database(this.file);
    try {
      this.db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      migrate(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** The schema version of the open database (PRAGMA user_version). */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  static readonly latestSchemaVersion = LATEST_SCHEMA_VERSION;

  private run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_IOERR' || code === 'SQLITE_FULL') {
        return Promise.reject(
          new StoreUnavailableError(`The SQLite store at ${this.file} is unavailable (${code}): ${(err as Error).message}`, {
            cause: err,
          }),
        );
      }
      return Promise.reject(err);
    }
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ---- targets -------------------------------------------------------------------------------

  private toTarget(r: Row): Target {
    return compact<Target>({
      id: String(r.id),
      tenantId: String(r.tenant_id),
      conversationId: String(r.conversation_id),
      kind: r.kind as Target['kind'],
      teamId: str(r.team_id),
      teamName: str(r.team_name),
      channelName: str(r.channel_name),
      serviceUrl: String(r.service_url),
      botId: String(r.bot_id),
      botName: str(r.bot_name),
      status: r.status as TargetStatus,
      retiredReason: str(r.retired_reason),
      subscribed: Number(r.subscribed) === 1,
      timeZone: str(r.time_zone),
      createdAt: String(r.created_at),
      updatedAt: String(r.updated_at),
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
  }

  private readTarget(id: string): Target | undefined {
    const r = this.stmt('SELECT * FROM targets WHERE id = ?').get(id) as Row | undefined;
    return r ? this.toTarget(r) : undefined;
  }

  private writeTarget(t: Target): void {
    this.stmt(
        `INSERT INTO targets (id, tenant_id, conversation_id, kind, team_id, team_name, channel_name, service_url, bot_id,
           bot_name, status, retired_reason, subscribed, time_zone, created_at, updated_at, schema_version)
         VALUES (@id, @tenantId, @conversationId, @kind, @teamId, @teamName, @channelName, @serviceUrl, @botId,
           @botName, @status, @retiredReason, @subscribed, @timeZone, @createdAt, @updatedAt, @schemaVersion)
         ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, conversation_id = excluded.conversation_id,
           kind = excluded.kind, team_id = excluded.team_id, team_name = excluded.team_name,
           channel_name = excluded.channel_name, service_url = excluded.service_url, bot_id = excluded.bot_id,
           bot_name = excluded.bot_name, status = excluded.status, retired_reason = excluded.retired_reason,
           subscribed = excluded.subscribed, time_zone = excluded.time_zone, updated_at = excluded.updated_at,
           schema_version = excluded.schema_version`,
      )
      .run({
        id: t.id,
        tenantId: t.tenantId,
        conversationId: t.conversationId,
        kind: t.kind,
        teamId: t.teamId ?? null,
        teamName: t.teamName ?? null,
        channelName: t.channelName ?? null,
        serviceUrl: t.serviceUrl,
        botId: t.botId,
        botName: t.botName ?? null,
        status: t.status,
        retiredReason: t.retiredReason ?? null,
        subscribed: t.subscribed ? 1 : 0,
        timeZone: t.timeZone ?? null,
        createdAt: t.createdAt,
        updatedAt: t.updatedAt,
        schemaVersion: t.schemaVersion,
      });
  }

  upsertTarget(input: TargetInput, at: string, opts: { reactivate?: boolean } = {}): Promise<Target> {
    return this.run(() =>
      this.tx(() => {
        const existing = this.readTarget(targetIdOf(input));
        if (!existing) {
          const t = newTarget(input, at);
          this.writeTarget(t);
          return t;
        }
        const next = refreshTarget(existing, input, at, !!opts.reactivate);
        if (!next) return existing;
        this.writeTarget(next);
        return next;
      }),
    );
  }

  getTarget(id: string): Promise<Target | undefined> {
    return this.run(() => this.readTarget(id));
  }

  listTargets(filter: { status?: TargetStatus; subscribed?: boolean } = {}): Promise<Target[]> {
    return this.run(() => {
      const where: string[] = [];
      const args: unknown[] = [];
      if (filter.status !== undefined) {
        where.push('status = ?');
        args.push(filter.status);
      }
      if (filter.subscribed !== undefined) {
        where.push('subscribed = ?');
        args.push(filter.subscribed ? 1 : 0);
      }
      const sql = `SELECT * FROM targets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
      return (this.stmt(sql).all(...args) as Row[]).map((r) => this.toTarget(r));
    });
  }

  updateTarget(id: string, patch: TargetPatch, at: string): Promise<Target | undefined> {
    return this.run(() =>
      this.tx(() => {
        const existing = this.readTarget(id);
        if (!existing) return undefined;
        const next = patchTarget(existing, patch, at);
        this.writeTarget(next);
        return next;
      }),
    );
  }

  // ---- posts ---------------------------------------------------------------------------------

  private toPost(r: Row): Post {
    return compact<Post>({
      id: String(r.id),
      targetId: String(r.target_id),
      periodKey: String(r.period_key),
      checklistId: String(r.checklist_id),
      timeZone: String(r.time_zone),
      status: r.status as Post['status'],
      claimedBy: String(r.claimed_by),
      claimedAt: String(r.claimed_at),
      sentAt: str(r.sent_at),
      activityId: str(r.activity_id),
      threadId: str(r.thread_id),
      attempts: Number(r.attempts),
      lastError: str(r.last_error),
      remindedAt: str(r.reminded_at),
      etag: String(r.etag),
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
  }

  private readPost(id: string): Post | undefined {
    const r = this.stmt('SELECT * FROM posts WHERE id = ?').get(id) as Row | undefined;
    return r ? this.toPost(r) : undefined;
  }

  private readPostForPeriod(targetId: string, periodKey: string): Post | undefined {
    const r = this.stmt('SELECT * FROM posts WHERE target_id = ? AND period_key = ?').get(targetId, periodKey) as
      | Row
      | undefined;
    return r ? this.toPost(r) : undefined;
  }

  claimPost(input: Parameters<Store['claimPost']>[0]): Promise<{ claimed: boolean; post: Post }> {
    return this.run(() =>
      this.tx(() => {
        const post: Post = { ...newPost(input), etag: randomUUID() };
        const res = this.stmt(
            `INSERT INTO posts (id, target_id, period_key, checklist_id, time_zone, status, claimed_by, claimed_at,
               attempts, etag, schema_version)
             VALUES (@id, @targetId, @periodKey, @checklistId, @timeZone, @status, @claimedBy, @claimedAt,
               @attempts, @etag, @schemaVersion)
             ON CONFLICT DO NOTHING`,
          )
          .run(post);
        if (res.changes === 1) return { claimed: true, post };
        const existing = this.readPostForPeriod(input.targetId, input.periodKey);
        if (existing) return { claimed: false, post: existing };
        throw new Error(`Post id ${input.id} is already used by a post for another target or period`);
      }),
    );
  }

  getPost(id: string): Promise<Post | undefined> {
    return this.run(() => this.readPost(id));
  }

  getPostForPeriod(targetId: string, periodKey: string): Promise<Post | undefined> {
    return this.run(() => this.readPostForPeriod(targetId, periodKey));
  }

  listPosts(targetId: string, limit: number): Promise<Post[]> {
    return this.run(() =>
      (
        this.stmt('SELECT * FROM posts WHERE target_id = ? ORDER BY period_key DESC LIMIT ?')
          .all(targetId, Math.max(0, Math.floor(limit))) as Row[]
      ).map((r) => this.toPost(r)),
    );
  }

  listPostsByStatus(status: Post['status'], periodKey?: string): Promise<Post[]> {
    return this.run(() => {
      const rows =
        periodKey === undefined
          ? this.stmt('SELECT * FROM posts WHERE status = ? ORDER BY period_key, target_id').all(status)
          : this.stmt('SELECT * FROM posts WHERE status = ? AND period_key = ? ORDER BY period_key, target_id')
              .all(status, periodKey);
      return (rows as Row[]).map((r) => this.toPost(r));
    });
  }

  updatePost(id: string, etag: string, patch: PostPatch): Promise<Post> {
    return this.run(() =>
      this.tx(() => {
        const existing = this.readPost(id);
        if (!existing) throw new ConcurrencyError(`Post ${id} does not exist (any more); re-read and decide again.`);
        if (existing.etag !== etag) throw new ConcurrencyError();
        const next: Post = { ...patchPost(existing, patch), etag: randomUUID() };
        const res = this.stmt(
            `UPDATE posts SET status = @status, claimed_by = @claimedBy, claimed_at = @claimedAt, sent_at = @sentAt,
               activity_id = @activityId, thread_id = @threadId, attempts = @attempts, last_error = @lastError,
               reminded_at = @remindedAt, etag = @etag, schema_version = @schemaVersion
             WHERE id = @id AND etag = @oldEtag`,
          )
          .run({
            id,
            oldEtag: etag,
            status: next.status,
            claimedBy: next.claimedBy,
            claimedAt: next.claimedAt,
            sentAt: next.sentAt ?? null,
            activityId: next.activityId ?? null,
            threadId: next.threadId ?? null,
            attempts: next.attempts,
            lastError: next.lastError ?? null,
            remindedAt: next.remindedAt ?? null,
            etag: next.etag,
            schemaVersion: next.schemaVersion,
          });
        if (res.changes !== 1) throw new ConcurrencyError();
        return next;
      }),
    );
  }

  // ---- acknowledgements ----------------------------------------------------------------------

  private toAck(r: Row): Ack {
    return compact<Ack>({
      postId: String(r.post_id),
      itemId: String(r.item_id),
      userId: String(r.user_id),
      userName: String(r.user_name),
      at: String(r.at),
      evidence: json<AckEvidence>(r.evidence_json),
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
  }

  private appendAudit(input: Omit<AckInput, 'evidence'> & { evidence?: AckEvidence }, action: AuditAction): void {
    this.stmt(
        `INSERT INTO audit (post_id, target_id, period_key, item_id, user_id, user_name, action, at, evidence_json,
           schema_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.post.id,
        input.post.targetId,
        input.post.periodKey,
        input.itemId,
        input.userId,
        input.userName,
        action,
        input.at,
        input.evidence ? JSON.stringify(input.evidence) : null,
        RECORD_SCHEMA_VERSION,
      );
  }

  ack(input: AckInput): Promise<{ changed: boolean; ack: Ack }> {
    return this.run(() =>
      this.tx(() => {
        const res = this.stmt(
            `INSERT INTO acks (post_id, item_id, user_id, user_name, at, evidence_json, schema_version)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          )
          .run(
            input.post.id,
            input.itemId,
            input.userId,
            input.userName,
            input.at,
            input.evidence ? JSON.stringify(input.evidence) : null,
            RECORD_SCHEMA_VERSION,
          );
        if (res.changes === 1) this.appendAudit(input, 'ack');
        const row = this.stmt('SELECT * FROM acks WHERE post_id = ? AND item_id = ? AND user_id = ?')
          .get(input.post.id, input.itemId, input.userId) as Row;
        return { changed: res.changes === 1, ack: this.toAck(row) };
      }),
    );
  }

  unack(input: Omit<AckInput, 'evidence'>): Promise<{ changed: boolean }> {
    return this.run(() =>
      this.tx(() => {
        const res = this.stmt('DELETE FROM acks WHERE post_id = ? AND item_id = ? AND user_id = ?')
          .run(input.post.id, input.itemId, input.userId);
        if (res.changes === 1) this.appendAudit(input, 'unack');
        return { changed: res.changes === 1 };
      }),
    );
  }

  listAcks(postId: string): Promise<Ack[]> {
    return this.run(() =>
      (this.stmt('SELECT * FROM acks WHERE post_id = ? ORDER BY item_id, at, user_id').all(postId) as Row[]).map(
        (r) => this.toAck(r),
      ),
    );
  }

  listAudit(filter: { postId?: string; targetId?: string }): Promise<AuditEvent[]> {
    return this.run(() => {
      const where: string[] = [];
      const args: unknown[] = [];
      if (filter.postId !== undefined) {
        where.push('post_id = ?');
        args.push(filter.postId);
      }
      if (filter.targetId !== undefined) {
        where.push('target_id = ?');
        args.push(filter.targetId);
      }
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
      return (this.stmt(sql).all(...args) as Row[]).map((r) =>
        compact<AuditEvent>({
          id: String(r.seq).padStart(16, '0'),
          postId: String(r.post_id),
          targetId: String(r.target_id),
          periodKey: String(r.period_key),
          itemId: String(r.item_id),
          userId: String(r.user_id),
          userName: String(r.user_name),
          action: r.action as AuditAction,
          at: String(r.at),
          evidence: json<AckEvidence>(r.evidence_json),
          schemaVersion: RECORD_SCHEMA_VERSION,
        }),
      );
    });
  }

  // ---- check outcomes ------------------------------------------------------------------------

  putOutcome(postId: string, itemId: string, outcome: CheckOutcome, requestedBy?: string): Promise<void> {
    return this.run(() => {
      this.stmt(
          `INSERT INTO outcomes (post_id, item_id, outcome_json, requested_by, schema_version) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (post_id, item_id) DO UPDATE SET outcome_json = excluded.outcome_json,
             requested_by = excluded.requested_by, schema_version = excluded.schema_version`,
        )
        .run(postId, itemId, JSON.stringify(outcome), requestedBy ?? null, RECORD_SCHEMA_VERSION);
    });
  }

  getOutcomes(postId: string): Promise<StoredOutcome[]> {
    return this.run(() =>
      (this.stmt('SELECT * FROM outcomes WHERE post_id = ? ORDER BY item_id').all(postId) as Row[]).map((r) =>
        compact<StoredOutcome>({
          postId: String(r.post_id),
          itemId: String(r.item_id),
          outcome: JSON.parse(String(r.outcome_json)) as CheckOutcome,
          requestedBy: str(r.requested_by),
          schemaVersion: RECORD_SCHEMA_VERSION,
        }),
      ),
    );
  }

  // ---- check memory --------------------------------------------------------------------------

  getMemory<T = unknown>(scope: string, key: string): Promise<T | undefined> {
    return this.run(() => {
      const r = this.stmt('SELECT value_json FROM memory WHERE scope = ? AND key = ?').get(scope, key) as
        | Row
        | undefined;
      return r ? json<T>(r.value_json) : undefined;
    });
  }

  putMemory(scope: string, key: string, value: unknown): Promise<void> {
    return this.run(() => {
      if (value === undefined) {
        this.stmt('DELETE FROM memory WHERE scope = ? AND key = ?').run(scope, key);
        return;
      }
      this.stmt(
          `INSERT INTO memory (scope, key, value_json) VALUES (?, ?, ?)
           ON CONFLICT (scope, key) DO UPDATE SET value_json = excluded.value_json`,
        )
        .run(scope, key, JSON.stringify(value));
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function openSqliteStore(dataDir: string): SqliteStore {
  return new SqliteStore(dataDir);
}
