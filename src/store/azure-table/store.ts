import { randomUUID } from 'node:crypto';
import { odata, TableClient, type TableEntity, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import type { TokenCredential } from '@azure/core-auth';
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
} from '../../domain/records';
import type { CheckOutcome } from '../../domain/outcome';
import { ConcurrencyError, StoreUnavailableError, type Store } from '../store';
import {
  byId,
  byPeriodThenTarget,
  compact,
  newPost,
  newTarget,
  patchPost,
  patchTarget,
  refreshTarget,
  targetIdOf,
  type TargetPatch,
} from '../common';
import {
  ACK_PREFIX,
  AUDIT_PREFIX,
  AuditClock,
  INDEX_ROW,
  OUTCOME_PREFIX,
  ackRowKey,
  k,
  outcomeRowKey,
  periodPartition,
  postIdPartition,
  rangeEnd,
  targetPartitionRange,
  targetPeriodsPartition,
  unknownPostPartition,
} from './keys';
import { fromJsonColumns, toJsonColumns } from './json-columns';
import { isSemantic, resolveRetry, withRetry, type ResolvedRetry, type RetryOptions } from './retry';

export interface AzureTableStoreOptions {
  /** A storage account connection string (Azurite's dev account works). Takes precedence over tablesUrl. */
  connectionString?: string;
  /** e.g. https://<account>.table.core.windows.net, used with `credential` (managed identity in Azure). */
  tablesUrl?: string;
  /** For tablesUrl. Default: DefaultAzureCredential (with managedIdentityClientId when given). */
  credential?: TokenCredential;
  /** Client id of a user-assigned managed identity, for the default credential. */
  managedIdentityClientId?: string;
  /** Table names are `${prefix}Targets`, `${prefix}Posts`, ... Letters and digits, starting with a letter. */
  tablePrefix?: string;
  retry?: RetryOptions;
  /** Tags this instance's audit ids; random by default. */
  instanceId?: string;
  /** Create missing tables on open (default true). */
  createTables?: boolean;
}

export const TABLE_SUFFIXES = ['Targets', 'Posts', 'Index', 'Items', 'Memory'] as const;
type TableName = (typeof TABLE_SUFFIXES)[number];

type Entity = TableEntityResult<Record<string, unknown>>;
type Props = Record<string, string | number | boolean>;

const TARGET_ROW = 'target';
const POST_FIELDS = [
  'id',
  'targetId',
  'periodKey',
  'checklistId',
  'timeZone',
  'status',
  'claimedBy',
  'claimedAt',
  'sentAt',
  'activityId',
  'threadId',
  'attempts',
  'lastError',
  'remindedAt',
] as const;
const TARGET_FIELDS = [
  'id',
  'tenantId',
  'conversationId',
  'kind',
  'teamId',
  'teamName',
  'channelName',
  'serviceUrl',
  'botId',
  'botName',
  'status',
  'retiredReason',
  'subscribed',
  'timeZone',
  'createdAt',
  'updatedAt',
] as const;

function pick(source: Record<string, unknown>, fields: readonly string[]): Props {
  const out: Props = {};
  for (const f of fields) {
    const v = source[f];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[f] = v;
  }
  return out;
}

const optStr = (v: unknown) => (typeof v === 'string' ? v : undefined);

function isMissing(err: unknown) {
  return isSemantic(err, 404);
}

/**
 * The Store on Azure Table Storage, for several bot instances sharing one storage account. See
 * docs/azure-table-store.md for the partition/row design and what each operation costs.
 */
export class AzureTableStore implements Store {
  private readonly retry: ResolvedRetry;
  private readonly clock: AuditClock;
  /** post id → where its data lives; immutable once written, so safe to cache. */
  private readonly postLocations = new Map<string, { targetId: string; periodKey: string }>();

  private constructor(
    private readonly tables: Record<TableName, TableClient>,
    options: AzureTableStoreOptions,
  ) {
    this.retry = resolveRetry(options.retry);
    this.clock = new AuditClock(options.instanceId);
  }

  static async open(options: AzureTableStoreOptions): Promise<AzureTableStore> {
    const prefix = options.tablePrefix ?? 'rounds';
    if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(prefix)) {
      throw new Error('The Azure table prefix must be letters and digits, starting with a letter (at most 41)');
    }
    const clientOptions = {
      // One retry layer only: ours (bounded, with a per-request timeout, and a clear error at the end).
      retryOptions: { maxRetries: 0 },
    };
    let make: (table: string) => TableClient;
    if (options.connectionString) {
      const cs = options.connectionString;
      const insecure = /TableEndpoint=http:\/\//i.test(cs) || /DefaultEndpointsProtocol=http;/i.test(cs) || /UseDevelopmentStorage=true/i.test(cs);
      make = (table) => TableClient.fromConnectionString(cs, table, { ...clientOptions, allowInsecureConnection: insecure });
    } else if (options.tablesUrl) {
      const url = options.tablesUrl.replace(/\/+$/, '');
      let credential = options.credential;
      if (!credential) {
        const identity = await import('@azure/identity');
        credential = new identity.DefaultAzureCredential(
          options.managedIdentityClientId ? { managedIdentityClientId: options.managedIdentityClientId } : {},
        );
      }
      const cred = credential;
      make = (table) =>
        new TableClient(url, table, cred, { ...clientOptions, allowInsecureConnection: url.startsWith('http://') });
    } else {
      throw new Error('The Azure table store needs a connection string, or a tables URL with a credential');
    }
    const tables = Object.fromEntries(TABLE_SUFFIXES.map((s) => [s, make(`${prefix}${s}`)])) as Record<
      TableName,
      TableClient
    >;
    const store = new AzureTableStore(tables, options);
    if (options.createTables !== false) {
      const results = await Promise.allSettled(
        TABLE_SUFFIXES.map((s) => store.call(`create table ${prefix}${s}`, (o) => tables[s].createTable(o))),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return store;
  }

  /** Table names in use, for diagnostics and tests. */
  tableNames(): string[] {
    return TABLE_SUFFIXES.map((s) => this.tables[s].tableName);
  }

  /** Drops this store's tables (tests and teardown only). */
  async deleteTables(): Promise<void> {
    await Promise.all(TABLE_SUFFIXES.map((s) => this.call(`delete table`, (o) => this.tables[s].deleteTable(o))));
  }

  private call<T>(what: string, op: (o: { abortSignal: AbortSignal }) => Promise<T>, timeoutFactor = 1): Promise<T> {
    return withRetry(what, this.retry, (abortSignal) => op({ abortSignal }), timeoutFactor);
  }

  private async read(table: TableName, pk: string, rk: string): Promise<Entity | undefined> {
    try {
      return (await this.call(`read ${table}`, (o) => this.tables[table].getEntity(pk, rk, o))) as Entity;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  private async query(table: TableName, filter: string, select?: string[]): Promise<Entity[]> {
    return this.call(
      `query ${table}`,
      async (o) => {
        const out: Entity[] = [];
        const iter = this.tables[table].listEntities<Record<string, unknown>>({
          queryOptions: { filter, ...(select ? { select } : {}) },
          abortSignal: o.abortSignal,
        });
        for await (const e of iter) out.push(e as Entity);
        return out;
      },
      3,
    );
  }

  private async upsert(table: TableName, entity: TableEntity<Props>): Promise<void> {
    await this.call(`write ${table}`, (o) => this.tables[table].upsertEntity(entity, 'Replace', o));
  }

  private async transaction(what: string, actions: TransactionAction[]): Promise<void> {
    await this.call(what, (o) => this.tables.Items.submitTransaction(actions, o));
  }

  // ---- targets -------------------------------------------------------------------------------

  private toTarget(e: Entity): Target {
    return compact<Target>({
      ...(pick(e, TARGET_FIELDS) as unknown as Target),
      subscribed: e.subscribed === true,
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
  }

  private targetEntity(t: Target): TableEntity<Props> {
    return {
      partitionKey: k(t.id),
      rowKey: TARGET_ROW,
      ...pick(t as unknown as Record<string, unknown>, TARGET_FIELDS),
      schemaVersion: RECORD_SCHEMA_VERSION,
    };
  }

  private async readTarget(id: string): Promise<Entity | undefined> {
    return this.read('Targets', k(id), TARGET_ROW);
  }

  async upsertTarget(input: TargetInput, at: string, opts: { reactivate?: boolean } = {}): Promise<Target> {
    const id = targetIdOf(input);
    for (let attempt = 0; attempt < 20; attempt++) {
      const existing = await this.readTarget(id);
      if (!existing) {
        const t = newTarget(input, at);
        try {
          await this.call('create target', (o) => this.tables.Targets.createEntity(this.targetEntity(t), o));
          return t;
        } catch (err) {
          if (isSemantic(err, 409)) continue; // created meanwhile by another instance: refresh it instead
          throw err;
        }
      }
      const current = this.toTarget(existing);
      const next = refreshTarget(current, input, at, !!opts.reactivate);
      if (!next) return current;
      try {
        await this.call('update target', (o) =>
          this.tables.Targets.updateEntity(this.targetEntity(next), 'Replace', { ...o, etag: existing.etag }),
        );
        return next;
      } catch (err) {
        if (isSemantic(err, 412) || isMissing(err)) continue;
        throw err;
      }
    }
    throw new StoreUnavailableError(`Target ${id} kept changing under us; giving up after 20 attempts`);
  }

  async getTarget(id: string): Promise<Target | undefined> {
    const e = await this.readTarget(id);
    return e ? this.toTarget(e) : undefined;
  }

  async listTargets(filter: { status?: TargetStatus; subscribed?: boolean } = {}): Promise<Target[]> {
    const parts = [odata`RowKey eq ${TARGET_ROW}`];
    if (filter.status !== undefined) parts.push(odata`status eq ${filter.status}`);
    if (filter.subscribed !== undefined) parts.push(filter.subscribed ? 'subscribed eq true' : 'subscribed eq false');
    const rows = await this.query('Targets', parts.join(' and '));
    return rows.map((e) => this.toTarget(e)).sort(byId);
  }

  async updateTarget(id: string, patch: TargetPatch, at: string): Promise<Target | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const existing = await this.readTarget(id);
      if (!existing) return undefined;
      const next = patchTarget(this.toTarget(existing), patch, at);
      try {
        await this.call('update target', (o) =>
          this.tables.Targets.updateEntity(this.targetEntity(next), 'Replace', { ...o, etag: existing.etag }),
        );
        return next;
      } catch (err) {
        if (isSemantic(err, 412) || isMissing(err)) continue;
        throw err;
      }
    }
    throw new StoreUnavailableError(`Target ${id} kept changing under us; giving up after 20 attempts`);
  }

  // ---- posts ---------------------------------------------------------------------------------

  private toPost(e: Entity): Post {
    return compact<Post>({
      ...(pick(e, POST_FIELDS) as unknown as Post),
      attempts: Number(e.attempts ?? 0),
      etag: String(e.etag),
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
  }

  private postEntity(p: Omit<Post, 'etag'>, extra: Props = {}): TableEntity<Props> {
    return {
      partitionKey: k(p.periodKey),
      rowKey: k(p.targetId),
      ...pick(p as unknown as Record<string, unknown>, POST_FIELDS),
      schemaVersion: RECORD_SCHEMA_VERSION,
      ...extra,
    };
  }

  private readPostEntity(targetId: string, periodKey: string): Promise<Entity | undefined> {
    return this.read('Posts', k(periodKey), k(targetId));
  }

  /** Where a post's acks, audit and outcomes live; undefined when the id was never claimed. */
  private async locate(postId: string): Promise<{ targetId: string; periodKey: string } | undefined> {
    const cached = this.postLocations.get(postId);
    if (cached) return cached;
    const e = await this.read('Index', postIdPartition(postId), INDEX_ROW);
    const targetId = optStr(e?.targetId);
    const periodKey = optStr(e?.periodKey);
    if (!targetId || periodKey === undefined) return undefined;
    const loc = { targetId, periodKey };
    this.postLocations.set(postId, loc);
    return loc;
  }

  private async partitionOf(postId: string): Promise<string> {
    const loc = await this.locate(postId);
    return loc ? periodPartition(loc.targetId, loc.periodKey) : unknownPostPartition(postId);
  }

  async claimPost(input: Parameters<Store['claimPost']>[0]): Promise<{ claimed: boolean; post: Post }> {
    const existing = await this.readPostEntity(input.targetId, input.periodKey);
    if (existing) return { claimed: false, post: this.toPost(existing) };

    // Index rows first, so every post that exists can be found by id and by target. Both are idempotent upserts.
    await Promise.all([
      this.upsert('Index', {
        partitionKey: postIdPartition(input.id),
        rowKey: INDEX_ROW,
        targetId: input.targetId,
        periodKey: input.periodKey,
      }),
      this.upsert('Index', {
        partitionKey: targetPeriodsPartition(input.targetId),
        rowKey: k(input.periodKey),
        targetId: input.targetId,
        periodKey: input.periodKey,
      }),
    ]);

    const post = newPost(input);
    const nonce = randomUUID();
    try {
      // The claim itself: an insert that the service lets exactly one caller make.
      const res = await this.call('claim post', (o) =>
        this.tables.Posts.createEntity(this.postEntity(post, { claimNonce: nonce }), o),
      );
      if (!res.etag) throw new StoreUnavailableError('Azure Table Storage returned no ETag for a new post');
      return { claimed: true, post: compact({ ...post, etag: res.etag }) };
    } catch (err) {
      if (!isSemantic(err, 409)) throw err;
    }
    const winner = await this.readPostEntity(input.targetId, input.periodKey);
    if (!winner) throw new StoreUnavailableError('A claimed post vanished; posts are never deleted');
    const winnerPost = this.toPost(winner);
    // Our own insert, retried after a lost response, reads back with our nonce.
    if (winner.claimNonce === nonce) return { claimed: true, post: winnerPost };
    if (winnerPost.id !== input.id) {
      this.postLocations.delete(input.id);
      await this.call('drop loser index', (o) => this.tables.Index.deleteEntity(postIdPartition(input.id), INDEX_ROW, o)).catch(
        () => undefined, // best effort: a stale index row only points at a post with another id
      );
    }
    return { claimed: false, post: winnerPost };
  }

  async getPost(id: string): Promise<Post | undefined> {
    const loc = await this.locate(id);
    if (!loc) return undefined;
    const e = await this.readPostEntity(loc.targetId, loc.periodKey);
    return e && e.id === id ? this.toPost(e) : undefined;
  }

  async getPostForPeriod(targetId: string, periodKey: string): Promise<Post | undefined> {
    const e = await this.readPostEntity(targetId, periodKey);
    return e ? this.toPost(e) : undefined;
  }

  async listPosts(targetId: string, limit: number): Promise<Post[]> {
    const n = Math.max(0, Math.floor(limit));
    if (n === 0) return [];
    const periods = (
      await this.query('Index', odata`PartitionKey eq ${targetPeriodsPartition(targetId)}`, ['periodKey'])
    )
      .map((e) => String(e.periodKey))
      .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    const out: Post[] = [];
    for (let i = 0; i < periods.length && out.length < n; i += n) {
      const batch = await Promise.all(periods.slice(i, i + n).map((p) => this.getPostForPeriod(targetId, p)));
      for (const p of batch) if (p && out.length < n) out.push(p);
    }
    return out;
  }

  async listPostsByStatus(status: Post['status'], periodKey?: string): Promise<Post[]> {
    const filter =
      periodKey === undefined
        ? odata`status eq ${status}`
        : odata`PartitionKey eq ${k(periodKey)} and status eq ${status}`;
    return (await this.query('Posts', filter)).map((e) => this.toPost(e)).sort(byPeriodThenTarget);
  }

  async updatePost(id: string, etag: string, patch: PostPatch): Promise<Post> {
    const loc = await this.locate(id);
    const e = loc ? await this.readPostEntity(loc.targetId, loc.periodKey) : undefined;
    if (!e || e.id !== id) throw new ConcurrencyError(`Post ${id} does not exist (any more); re-read and decide again.`);
    if (e.etag !== etag) throw new ConcurrencyError();
    const next = patchPost(this.toPost(e), patch);
    const extra: Props = typeof e.claimNonce === 'string' ? { claimNonce: e.claimNonce } : {};
    try {
      const res = await this.call('update post', (o) =>
        this.tables.Posts.updateEntity(this.postEntity(next, extra), 'Replace', { ...o, etag }),
      );
      if (!res.etag) throw new StoreUnavailableError('Azure Table Storage returned no ETag for an updated post');
      return { ...next, etag: res.etag };
    } catch (err) {
      if (isSemantic(err, 412) || isMissing(err)) throw new ConcurrencyError();
      throw err;
    }
  }

  // ---- acknowledgements ----------------------------------------------------------------------

  private toAck(e: Entity): Ack {
    return compact<Ack>({
      postId: String(e.postId),
      itemId: String(e.itemId),
      userId: String(e.userId),
      userName: String(e.userName),
      at: String(e.at),
      evidence: typeof e.evidence === 'string' ? (JSON.parse(e.evidence) as AckEvidence) : undefined,
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
  }

  private auditEntity(
    pk: string,
    input: Omit<AckInput, 'evidence'> & { evidence?: AckEvidence },
    action: AuditAction,
  ): TableEntity<Props> {
    const id = this.clock.next();
    return {
      partitionKey: pk,
      rowKey: `${AUDIT_PREFIX}${id}`,
      id,
      postId: input.post.id,
      targetId: input.post.targetId,
      periodKey: input.post.periodKey,
      itemId: input.itemId,
      userId: input.userId,
      userName: input.userName,
      action,
      at: input.at,
      ...(input.evidence ? { evidence: JSON.stringify(input.evidence) } : {}),
      schemaVersion: RECORD_SCHEMA_VERSION,
    };
  }

  async ack(input: AckInput): Promise<{ changed: boolean; ack: Ack }> {
    const pk = periodPartition(input.post.targetId, input.post.periodKey);
    const rk = ackRowKey(input.itemId, input.userId);
    const ack: Ack = compact({
      postId: input.post.id,
      itemId: input.itemId,
      userId: input.userId,
      userName: input.userName,
      at: input.at,
      evidence: input.evidence ? (JSON.parse(JSON.stringify(input.evidence)) as AckEvidence) : undefined,
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        // The ack row and its audit event commit together or not at all (one partition, one transaction).
        await this.transaction('ack', [
          [
            'create',
            {
              partitionKey: pk,
              rowKey: rk,
              postId: ack.postId,
              itemId: ack.itemId,
              userId: ack.userId,
              userName: ack.userName,
              at: ack.at,
              ...(ack.evidence ? { evidence: JSON.stringify(ack.evidence) } : {}),
              schemaVersion: RECORD_SCHEMA_VERSION,
            },
          ],
          ['create', this.auditEntity(pk, input, 'ack')],
        ]);
        return { changed: true, ack };
      } catch (err) {
        if (!isSemantic(err, 409)) throw err;
      }
      const existing = await this.read('Items', pk, rk);
      if (existing) return { changed: false, ack: this.toAck(existing) };
      // Unacked between our insert and our read: try the insert again.
    }
    throw new StoreUnavailableError('The acknowledgement kept changing under us; giving up after 10 attempts');
  }

  async unack(input: Omit<AckInput, 'evidence'>): Promise<{ changed: boolean }> {
    const pk = periodPartition(input.post.targetId, input.post.periodKey);
    const rk = ackRowKey(input.itemId, input.userId);
    const existing = await this.read('Items', pk, rk);
    if (!existing || existing.postId !== input.post.id) return { changed: false };
    try {
      await this.transaction('unack', [
        ['delete', { partitionKey: pk, rowKey: rk }],
        ['create', this.auditEntity(pk, input, 'unack')],
      ]);
      return { changed: true };
    } catch (err) {
      if (isMissing(err)) return { changed: false }; // someone else removed it first; their event is in the audit
      throw err;
    }
  }

  async listAcks(postId: string): Promise<Ack[]> {
    const pk = await this.partitionOf(postId);
    const rows = await this.query(
      'Items',
      odata`PartitionKey eq ${pk} and RowKey ge ${ACK_PREFIX} and RowKey lt ${rangeEnd(ACK_PREFIX)} and postId eq ${postId}`,
    );
    return rows
      .map((e) => this.toAck(e))
      .sort((a, b) => (a.itemId !== b.itemId ? (a.itemId < b.itemId ? -1 : 1) : a.at < b.at ? -1 : a.at > b.at ? 1 : a.userId < b.userId ? -1 : 1));
  }

  private toAudit(e: Entity): AuditEvent {
    return compact<AuditEvent>({
      id: String(e.id),
      postId: String(e.postId),
      targetId: String(e.targetId),
      periodKey: String(e.periodKey),
      itemId: String(e.itemId),
      userId: String(e.userId),
      userName: String(e.userName),
      action: e.action as AuditAction,
      at: String(e.at),
      evidence: typeof e.evidence === 'string' ? (JSON.parse(e.evidence) as AckEvidence) : undefined,
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
  }

  async listAudit(filter: { postId?: string; targetId?: string }): Promise<AuditEvent[]> {
    const rows = odata`RowKey ge ${AUDIT_PREFIX} and RowKey lt ${rangeEnd(AUDIT_PREFIX)}`;
    let where: string;
    if (filter.postId !== undefined) {
      const loc = await this.locate(filter.postId);
      if (!loc) return [];
      if (filter.targetId !== undefined && filter.targetId !== loc.targetId) return [];
      where = `${odata`PartitionKey eq ${periodPartition(loc.targetId, loc.periodKey)}`} and ${rows} and ${odata`postId eq ${filter.postId}`}`;
    } else if (filter.targetId !== undefined) {
      const { from, to } = targetPartitionRange(filter.targetId);
      where = `${odata`PartitionKey ge ${from} and PartitionKey lt ${to}`} and ${rows}`;
    } else {
      where = rows;
    }
    return (await this.query('Items', where)).map((e) => this.toAudit(e)).sort(byId);
  }

  // ---- check outcomes ------------------------------------------------------------------------

  async putOutcome(postId: string, itemId: string, outcome: CheckOutcome, requestedBy?: string): Promise<void> {
    const pk = await this.partitionOf(postId);
    await this.upsert('Items', {
      partitionKey: pk,
      rowKey: outcomeRowKey(itemId),
      postId,
      itemId,
      ...(requestedBy !== undefined ? { requestedBy } : {}),
      ...toJsonColumns(outcome, `The outcome of ${itemId}`),
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
  }

  async getOutcomes(postId: string): Promise<StoredOutcome[]> {
    const pk = await this.partitionOf(postId);
    const rows = await this.query(
      'Items',
      odata`PartitionKey eq ${pk} and RowKey ge ${OUTCOME_PREFIX} and RowKey lt ${rangeEnd(OUTCOME_PREFIX)} and postId eq ${postId}`,
    );
    return rows
      .map((e) =>
        compact<StoredOutcome>({
          postId: String(e.postId),
          itemId: String(e.itemId),
          outcome: fromJsonColumns<CheckOutcome>(e) as CheckOutcome,
          requestedBy: optStr(e.requestedBy),
          schemaVersion: RECORD_SCHEMA_VERSION,
        }),
      )
      .sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  }

  // ---- check memory --------------------------------------------------------------------------

  async getMemory<T = unknown>(scope: string, key: string): Promise<T | undefined> {
    const e = await this.read('Memory', k(scope), k(key));
    return e ? fromJsonColumns<T>(e) : undefined;
  }

  async putMemory(scope: string, key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      await this.call('delete memory', (o) => this.tables.Memory.deleteEntity(k(scope), k(key), o)).catch((err) => {
        if (!isMissing(err)) throw err;
      });
      return;
    }
    await this.upsert('Memory', {
      partitionKey: k(scope),
      rowKey: k(key),
      scope,
      key,
      ...toJsonColumns(value, `Memory ${scope}/${key}`),
      schemaVersion: RECORD_SCHEMA_VERSION,
    });
  }

  async close(): Promise<void> {
    this.postLocations.clear();
  }
}

export function openAzureTableStore(options: AzureTableStoreOptions): Promise<AzureTableStore> {
  return AzureTableStore.open(options);
}
