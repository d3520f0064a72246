import {
  RECORD_SCHEMA_VERSION,
  targetIdOf,
  type Post,
  type PostPatch,
  type Target,
  type TargetInput,
} from '../domain/records';

/**
 * Record logic shared by every Store backend, so that SQLite and Azure Table Storage decide the same way: what an
 * upsert refreshes, what a patch changes, and how optional fields are represented (absent, never `undefined`/null).
 */

export { targetIdOf };

/** Drop keys whose value is undefined or null, so records compare and serialise the same in every backend. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null) out[k] = v;
  return out as T;
}

/** A deep copy through JSON: what a store hands back never shares references with what it was given. */
export function jsonClone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function newTarget(input: TargetInput, at: string): Target {
  return compact<Target>({
    id: targetIdOf(input),
    tenantId: input.tenantId,
    conversationId: input.conversationId,
    kind: input.kind,
    teamId: input.teamId,
    teamName: input.teamName,
    channelName: input.channelName,
    serviceUrl: input.serviceUrl,
    botId: input.botId,
    botName: input.botName,
    status: 'active',
    subscribed: true,
    createdAt: at,
    updatedAt: at,
    schemaVersion: RECORD_SCHEMA_VERSION,
  });
}

const REFRESHED: (keyof TargetInput)[] = ['kind', 'teamId', 'teamName', 'channelName', 'serviceUrl', 'botId', 'botName'];

/**
 * The target after an inbound activity: serviceUrl, names and botId refreshed (a name the activity does not carry is
 * kept), a retired target reactivated only on a reinstall. Returns undefined when nothing would change, so a backend
 * can skip the write.
 */
export function refreshTarget(existing: Target, input: TargetInput, at: string, reactivate: boolean): Target | undefined {
  const next: Target = { ...existing };
  let changed = false;
  for (const key of REFRESHED) {
    const value = input[key];
    if (value === undefined || value === null || value === '') continue;
    if (next[key] !== value) {
      (next as unknown as Record<string, unknown>)[key] = value;
      changed = true;
    }
  }
  if (reactivate && existing.status === 'retired') {
    next.status = 'active';
    delete next.retiredReason;
    changed = true;
  }
  if (existing.schemaVersion !== RECORD_SCHEMA_VERSION) changed = true;
  if (!changed) return undefined;
  next.updatedAt = at;
  next.schemaVersion = RECORD_SCHEMA_VERSION;
  return compact(next);
}

export type TargetPatch = Partial<Pick<Target, 'status' | 'retiredReason' | 'subscribed' | 'timeZone'>>;

/** A key present with the value undefined clears an optional field. Reactivating clears the retired reason. */
export function patchTarget(existing: Target, patch: TargetPatch, at: string): Target {
  const next: Record<string, unknown> = { ...existing };
  for (const key of ['status', 'retiredReason', 'subscribed', 'timeZone'] as const) {
    if (key in patch) next[key] = patch[key];
  }
  if (patch.status === 'active' && !('retiredReason' in patch)) delete next.retiredReason;
  next.updatedAt = at;
  next.schemaVersion = RECORD_SCHEMA_VERSION;
  return compact(next as unknown as Target);
}

const POST_PATCHABLE: (keyof PostPatch)[] = [
  'status',
  'sentAt',
  'activityId',
  'threadId',
  'attempts',
  'lastError',
  'remindedAt',
  'claimedBy',
  'claimedAt',
];

/** Applies a PostPatch (a key present with undefined clears an optional field); the etag is the backend's business. */
export function patchPost(existing: Post, patch: PostPatch): Post {
  const next: Record<string, unknown> = { ...existing };
  for (const key of POST_PATCHABLE) if (key in patch) next[key] = patch[key];
  if (next.status === undefined) next.status = existing.status;
  if (next.claimedBy === undefined) next.claimedBy = existing.claimedBy;
  if (next.claimedAt === undefined) next.claimedAt = existing.claimedAt;
  if (typeof next.attempts !== 'number') next.attempts = existing.attempts;
  next.schemaVersion = RECORD_SCHEMA_VERSION;
  return compact(next as unknown as Post);
}

export function newPost(input: {
  id: string;
  targetId: string;
  periodKey: string;
  checklistId: string;
  timeZone: string;
  claimant: string;
  at: string;
}): Omit<Post, 'etag'> {
  return {
    id: input.id,
    targetId: input.targetId,
    periodKey: input.periodKey,
    checklistId: input.checklistId,
    timeZone: input.timeZone,
    status: 'claimed',
    claimedBy: input.claimant,
    claimedAt: input.at,
    attempts: 0,
    schemaVersion: RECORD_SCHEMA_VERSION,
  };
}

/** Newest period first, then by target: the order listPosts/listPostsByStatus promise in every backend. */
export function byPeriodDesc(a: Post, b: Post): number {
  if (a.periodKey !== b.periodKey) return a.periodKey < b.periodKey ? 1 : -1;
  return a.targetId < b.targetId ? -1 : a.targetId > b.targetId ? 1 : 0;
}

export function byPeriodThenTarget(a: Post, b: Post): number {
  if (a.periodKey !== b.periodKey) return a.periodKey < b.periodKey ? -1 : 1;
  return a.targetId < b.targetId ? -1 : a.targetId > b.targetId ? 1 : 0;
}

export function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
