import type { CheckOutcome, OutcomeStatus } from './outcome';

/**
 * Stored record shapes. These are persisted contracts: add fields, never rename or repurpose one.
 * Every record carries `schemaVersion` so a backend can migrate old rows.
 */
export const RECORD_SCHEMA_VERSION = 1;

export type ConversationKind = 'channel' | 'groupChat' | 'personal';
export type TargetStatus = 'active' | 'retired';

/** A conversation the bot can post into: captured on install, refreshed from every inbound activity. */
export interface Target {
  /** `${tenantId}|${conversationId}` where conversationId is the channel id (no `;messageid=`). */
  id: string;
  tenantId: string;
  conversationId: string;
  kind: ConversationKind;
  teamId?: string;
  teamName?: string;
  channelName?: string;
  serviceUrl: string;
  /** The bot's own account id in this conversation (`28:<appId>`). */
  botId: string;
  botName?: string;
  status: TargetStatus;
  retiredReason?: string;
  /** Weekly proactive posts go only to subscribed targets. */
  subscribed: boolean;
  /** IANA zone overriding CHECKLIST_TIMEZONE for this target. */
  timeZone?: string;
  createdAt: string;
  updatedAt: string;
  schemaVersion: number;
}

/** Target ids are `${tenantId}|${conversationId}`, decided here for every backend and service. */
export function targetIdOf(input: { tenantId: string; conversationId: string }): string {
  return `${input.tenantId}|${input.conversationId}`;
}

export type TargetInput = Pick<
  Target,
  'tenantId' | 'conversationId' | 'kind' | 'teamId' | 'teamName' | 'channelName' | 'serviceUrl' | 'botId' | 'botName'
>;

export type PostStatus = 'claimed' | 'sent' | 'failed';

/** One checklist card in one target for one period. Unique on (targetId, periodKey). */
export interface Post {
  id: string;
  targetId: string;
  periodKey: string;
  checklistId: string;
  timeZone: string;
  status: PostStatus;
  claimedBy: string;
  claimedAt: string;
  sentAt?: string;
  /** The card's activity id, for updateActivity. */
  activityId?: string;
  /** The thread's conversation id (`<channel>;messageid=<activityId>`), for replies and updates. */
  threadId?: string;
  attempts: number;
  lastError?: string;
  /** Set when the weekly reminder for this post has been handled (sent, or nothing pending). */
  remindedAt?: string;
  /** Opaque concurrency token; updatePost fails with a ConcurrencyError if it is stale. */
  etag: string;
  schemaVersion: number;
}

export type PostPatch = Partial<
  Pick<Post, 'status' | 'sentAt' | 'activityId' | 'threadId' | 'attempts' | 'lastError' | 'remindedAt' | 'claimedBy' | 'claimedAt'>
>;

/** Evidence an acknowledgement was made on: the outcome of the item's latest check at that moment. */
export interface AckEvidence {
  status: OutcomeStatus;
  summary: string;
  label: string;
  checkedAt: string;
}

/** The current view: one row per (post, item, user). */
export interface Ack {
  postId: string;
  itemId: string;
  userId: string;
  userName: string;
  at: string;
  evidence?: AckEvidence;
  schemaVersion: number;
}

export type AuditAction = 'ack' | 'unack';

/** Append-only; never updated or deleted. */
export interface AuditEvent {
  /** Sortable id; events of one post list in the order they happened. */
  id: string;
  postId: string;
  targetId: string;
  periodKey: string;
  itemId: string;
  userId: string;
  userName: string;
  action: AuditAction;
  at: string;
  evidence?: AckEvidence;
  schemaVersion: number;
}

export interface AckInput {
  post: Pick<Post, 'id' | 'targetId' | 'periodKey'>;
  itemId: string;
  userId: string;
  userName: string;
  at: string;
  evidence?: AckEvidence;
}

export interface StoredOutcome {
  postId: string;
  itemId: string;
  outcome: CheckOutcome;
  /** Who asked for the run, when a person did. */
  requestedBy?: string;
  schemaVersion: number;
}
