/**
 * SQLite schema history. `PRAGMA user_version` holds the number of migrations applied; on open, SqliteStore runs the
 * missing ones in order, each in its own transaction. Never edit a released migration: append a new one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'first release: targets, posts, acknowledgements, audit, check outcomes, check memory',
    sql: `
      CREATE TABLE targets (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        team_id TEXT,
        team_name TEXT,
        channel_name TEXT,
        service_url TEXT NOT NULL,
        bot_id TEXT NOT NULL,
        bot_name TEXT,
        status TEXT NOT NULL DEFAULT 'active',
        retired_reason TEXT,
        subscribed INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE posts (
        id TEXT PRIMARY KEY,
        target_id TEXT NOT NULL,
        period_key TEXT NOT NULL,
        checklist_id TEXT NOT NULL,
        status TEXT NOT NULL,
        claimed_by TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        sent_at TEXT,
        activity_id TEXT,
        thread_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        etag TEXT NOT NULL
      );
      CREATE UNIQUE INDEX posts_target_period ON posts (target_id, period_key);
      CREATE TABLE acks (
        post_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (post_id, item_id, user_id)
      );
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        post_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        period_key TEXT NOT NULL,
        item_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        action TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX audit_post ON audit (post_id, seq);
      CREATE TABLE outcomes (
        post_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        outcome_json TEXT NOT NULL,
        PRIMARY KEY (post_id, item_id)
      );
      CREATE TABLE memory (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (scope, key)
      );
    `,
  },
  {
    version: 2,
    description:
      'per-target and per-post time zones, weekly reminders, ack evidence, who requested a check, record schema versions; ' +
      'audit is append-only (triggers), indexes for recovery and audit by target',
    sql: `
      ALTER TABLE targets ADD COLUMN time_zone TEXT;
      ALTER TABLE targets ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE posts ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
      ALTER TABLE posts ADD COLUMN reminded_at TEXT;
      ALTER TABLE posts ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE acks ADD COLUMN evidence_json TEXT;
      ALTER TABLE acks ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE audit ADD COLUMN evidence_json TEXT;
      ALTER TABLE audit ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE outcomes ADD COLUMN requested_by TEXT;
      ALTER TABLE outcomes ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
      CREATE INDEX posts_status_period ON posts (status, period_key);
      CREATE INDEX audit_target ON audit (target_id, seq);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
