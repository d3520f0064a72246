import type { Target } from '../domain/records';

export interface Actor {
  /** Entra object id (from.aadObjectId); the identity acks are recorded under. */
  id: string;
  name: string;
  /** The Teams account id (29:...), needed for roster lookups. */
  teamsId: string;
}

/**
 * Who may acknowledge. Implementations: allow-all (local mode), the team roster (default in Teams) and ACK_ALLOWED
 * (user and group object ids). Returns a reason to show when refused.
 */
export interface AckPolicy {
  check(target: Target, itemId: string, actor: Actor): Promise<{ allowed: true } | { allowed: false; reason: string }>;
}

export const allowAll: AckPolicy = { check: async () => ({ allowed: true }) };
