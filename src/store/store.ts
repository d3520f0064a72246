import type {
  Ack,
  AckInput,
  AuditEvent,
  Post,
  PostPatch,
  StoredOutcome,
  Target,
  TargetInput,
  TargetStatus,
} from '../domain/records';
import type { CheckOutcome } from '../domain/outcome';

/**
 * The one storage contract. SQLite (embedded default) and Azure Table Storage implement it; both must pass
 * test/contracts/store.contract.ts. All methods are async so any backend fits; none may throw for "not found"
 * (they return undefined), and only updatePost throws ConcurrencyError.
 */
export interface Store {
  // ---- targets -------------------------------------------------------------------------------
  /**
   * Create or refresh a target from an inbound activity. Refreshes serviceUrl, names and botId; a retired target is
   * reactivated only when `reactivate` is true (a reinstall), never by an ordinary message. New targets start
   * active and subscribed.
   */
  upsertTarget(input: TargetInput, at: string, opts?: { reactivate?: boolean }): Promise<Target>;
  getTarget(id: string): Promise<Target | undefined>;
  listTargets(filter?: { status?: TargetStatus; subscribed?: boolean }): Promise<Target[]>;
  /** Returns undefined when the target does not exist. */
  updateTarget(
    id: string,
    patch: Partial<Pick<Target, 'status' | 'retiredReason' | 'subscribed' | 'timeZone'>>,
    at: string,
  ): Promise<Target | undefined>;

  // ---- posts ---------------------------------------------------------------------------------
  /**
   * Atomically claim the post for (targetId, periodKey). Exactly one concurrent caller gets `claimed: true`; every
   * other caller gets `claimed: false` and the existing post.
   */
  claimPost(input: {
    id: string;
    targetId: string;
    periodKey: string;
    checklistId: string;
    timeZone: string;
    claimant: string;
    at: string;
  }): Promise<{ claimed: boolean; post: Post }>;
  getPost(id: string): Promise<Post | undefined>;
  getPostForPeriod(targetId: string, periodKey: string): Promise<Post | undefined>;
  /** Newest period first. */
  listPosts(targetId: string, limit: number): Promise<Post[]>;
  /** Posts in a given status across all targets (recovery of claimed-but-unsent and failed posts). */
  listPostsByStatus(status: Post['status'], periodKey?: string): Promise<Post[]>;
  /**
   * Optimistic update: applies the patch only if `etag` matches the stored one, and returns the post with a new etag.
   * Throws ConcurrencyError when it does not (another writer won; re-read and decide again).
   */
  updatePost(id: string, etag: string, patch: PostPatch): Promise<Post>;

  // ---- acknowledgements ----------------------------------------------------------------------
  /** Idempotent: a second ack by the same user on the same item changes nothing and appends no audit event. */
  ack(input: AckInput): Promise<{ changed: boolean; ack: Ack }>;
  /** Removes the user's own ack; appends an audit event only when one existed. */
  unack(input: Omit<AckInput, 'evidence'>): Promise<{ changed: boolean }>;
  listAcks(postId: string): Promise<Ack[]>;
  /** Audit events in the order they happened. */
  listAudit(filter: { postId?: string; targetId?: string }): Promise<AuditEvent[]>;

  // ---- check outcomes ------------------------------------------------------------------------
  /** Latest outcome per (post, item); replaces the previous one. */
  putOutcome(postId: string, itemId: string, outcome: CheckOutcome, requestedBy?: string): Promise<void>;
  getOutcomes(postId: string): Promise<StoredOutcome[]>;

  // ---- check memory (seen Message-center ids, last run of a check, counters) -------------------
  getMemory<T = unknown>(scope: string, key: string): Promise<T | undefined>;
  putMemory(scope: string, key: string, value: unknown): Promise<void>;

  close(): Promise<void>;
}

export class ConcurrencyError extends Error {
  readonly code = 'ConcurrencyError';
  constructor(message = 'The record was changed by someone else; re-read it and try again.') {
    super(message);
  }
}

export class StoreUnavailableError extends Error {
  readonly code = 'StoreUnavailable';
}
