import { randomBytes } from 'node:crypto';

/**
 * Key encoding for Azure Table Storage. PartitionKey/RowKey may not contain / \ # ? or control characters, and we
 * use `|` to join key parts, so those (and the escape character itself, `%`, and `'`) are written as `~XX` (hex).
 * The mapping is injective, so distinct ids never share a key.
 */
const UNSAFE = /[~/\\#?|%'\u0000-\u001f\u007f-\u009f]/g;

export function k(value: string): string {
  return value.replace(UNSAFE, (c) => `~${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Partition of one target's week: the post's acks, audit events and check outcomes. */
export function periodPartition(targetId: string, periodKey: string): string {
  return `${k(targetId)}|${k(periodKey)}`;
}

/** All partitions of one target: PartitionKey ge `from` and lt `to`. (`}` sorts right after `|`.) */
export function targetPartitionRange(targetId: string): { from: string; to: string } {
  return { from: `${k(targetId)}|`, to: `${k(targetId)}}` };
}

export const ACK_PREFIX = 'ack|';
export const AUDIT_PREFIX = 'audit|';
export const OUTCOME_PREFIX = 'outcome|';
/** The upper bound of a `prefix|` row-key range. */
export const rangeEnd = (prefix: string) => `${prefix.slice(0, -1)}}`;

export const ackRowKey = (itemId: string, userId: string) => `${ACK_PREFIX}${k(itemId)}|${k(userId)}`;
export const outcomeRowKey = (itemId: string) => `${OUTCOME_PREFIX}${k(itemId)}`;

/** Index rows: post id → (target, period); target → its periods. */
export const postIdPartition = (postId: string) => `post|${k(postId)}`;
export const targetPeriodsPartition = (targetId: string) => `target|${k(targetId)}`;
export const INDEX_ROW = 'id';
/** Where data for a post id that has no index row lives (so put and get still agree). */
export const unknownPostPartition = (postId: string) => `nopost|${k(postId)}`;

/**
 * Audit ids: a hybrid clock per store instance. Milliseconds since the epoch (15 digits), a counter that keeps ids of
 * one instance strictly increasing even within one millisecond or if the wall clock steps back, and a random instance
 * tag so two instances never produce the same id. Ids sort in the order events were appended (across instances, to
 * within clock skew).
 */
export class AuditClock {
  private lastMs = 0;
  private seq = 0;
  readonly instance: string;

  constructor(instance = randomBytes(4).toString('hex')) {
    this.instance = instance.replace(/[^A-Za-z0-9]/g, '').slice(0, 16) || randomBytes(4).toString('hex');
  }

  next(now = Date.now()): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else {
      this.seq++;
      if (this.seq > 999_999) {
        this.lastMs++;
        this.seq = 0;
      }
    }
    return `${String(this.lastMs).padStart(15, '0')}.${String(this.seq).padStart(6, '0')}.${this.instance}`;
  }
}
