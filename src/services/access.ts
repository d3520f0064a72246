import type { Target } from '../domain/records';

export interface Actor {
  /** Entra object id (from.aadObjectId); the identity acks are recorded under. */
  id: string;
  name: string;
  /** The Teams account id (29:...), needed for roster lookups. */
  teamsId: string;
}

export type AckVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Who may acknowledge. Implementations: allow-all (local mode), the team roster (default in Teams) and ACK_ALLOWED
 * (user and group object ids). Returns a reason to show when refused.
 */
export interface AckPolicy {
  check(target: Target, itemId: string, actor: Actor): Promise<AckVerdict>;
}

export const allowAll: AckPolicy = { check: async () => ({ allowed: true }) };

/** Port: is this person a member of the team (channel targets) or the chat (other targets) the card is in? */
export interface TeamRoster {
  isMember(target: Target, actor: Actor): Promise<boolean>;
}

/** Port: which of these Entra groups (transitively) contain this user. Graph `checkMemberGroups` has this shape. */
export interface GroupMembership {
  memberOf(userId: string, groupIds: string[]): Promise<string[]>;
}

interface Log {
  warn(obj: object, msg: string): void;
}

/**
 * Default in Teams: anyone in the team where the card was posted. Members found are remembered for a few minutes
 * (a burst of clicks is one roster call per person: Teams allows ~14 member lookups per second per thread);
 * refusals are never cached, so someone just added to the team can acknowledge at once. A lookup that fails
 * refuses (fail closed) with a "try again" reason.
 */
export class RosterPolicy implements AckPolicy {
  private readonly members = new Map<string, number>();

  constructor(
    private readonly roster: TeamRoster,
    private readonly opts: { logger?: Log; cacheMs?: number; now?: () => number; timeoutMs?: number } = {},
  ) {}

  async check(target: Target, _itemId: string, actor: Actor): Promise<AckVerdict> {
    const now = this.opts.now ?? Date.now;
    const key = `${target.id}\u0000${actor.id}`;
    const until = this.members.get(key);
    if (until !== undefined && until > now()) return { allowed: true };
    let member: boolean;
    try {
      // Bounded: the invoke must be answered within ~5 s, and the connector client retries 5xx on its own.
      member = await withTimeout(this.roster.isMember(target, actor), this.opts.timeoutMs ?? 3000);
    } catch (err) {
      this.opts.logger?.warn({ err, target: target.id }, 'roster lookup failed; acknowledgement refused');
      return { allowed: false, reason: 'I could not check the member list of this team just now. Try again in a minute.' };
    }
    if (!member) {
      this.members.delete(key);
      const where = target.kind === 'channel' ? `the team${target.teamName ? ` "${target.teamName}"` : ''}` : 'this chat';
      return { allowed: false, reason: `Only members of ${where} can acknowledge. Ask a team owner to add you.` };
    }
    this.members.set(key, now() + (this.opts.cacheMs ?? 5 * 60_000));
    if (this.members.size > 10_000) this.members.clear();
    return { allowed: true };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`roster lookup took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export interface AckRule {
  /** Checklist item the entry is limited to; undefined = every item. */
  itemId?: string;
  /** Entra user or group object id, lower case. */
  objectId: string;
}

/** ACK_ALLOWED entries: `<objectId>` or `<itemId>:<objectId>` (config validation has checked the GUIDs). */
export function parseAckAllowed(entries: string[]): AckRule[] {
  return entries.map((e) => {
    const i = e.indexOf(":");
    return i > 0 ? { itemId: e.slice(0, i).trim(), objectId: e.slice(i + 1).trim().toLowerCase() } : { objectId: e.trim().toLowerCase() };
  });
}

/**
 * ACK_ALLOWED. For an item, the entries prefixed with its id apply if there are any (a per-item persona, e.g.
 * "connectors:<SOC engineers group>"); otherwise the unprefixed entries. An item with no applicable entry falls
 * back to the default policy (team roster in Teams, everyone in local mode).
 * An entry matches when it is the person's own object id, or a group the person is in (through the
 * GroupMembership port; without one, group entries cannot match and the refusal says so).
 */
export class AllowListPolicy implements AckPolicy {
  private readonly rules: AckRule[];

  constructor(
    entries: string[],
    private readonly fallback: AckPolicy,
    private readonly opts: { groups?: GroupMembership; logger?: Log; contact?: string } = {},
  ) {
    this.rules = parseAckAllowed(entries);
  }

  /** The object ids that decide for this item, or undefined when ACK_ALLOWED says nothing about it. */
  applicable(itemId: string): string[] | undefined {
    const own = this.rules.filter((r) => r.itemId === itemId);
    if (own.length) return [...new Set(own.map((r) => r.objectId))];
    const global = this.rules.filter((r) => r.itemId === undefined);
    return global.length ? [...new Set(global.map((r) => r.objectId))] : undefined;
  }

  async check(target: Target, itemId: string, actor: Actor): Promise<AckVerdict> {
    const ids = this.applicable(itemId);
    if (!ids) return this.fallback.check(target, itemId, actor);
    const me = actor.id.toLowerCase();
    if (ids.includes(me)) return { allowed: true };
    const ask = this.opts.contact ?? 'your Rounds admin';
    const refused = { allowed: false as const, reason: `Acknowledging this item is limited to named people and groups. Ask ${ask} to add you to ACK_ALLOWED.` };
    const groupIds = ids.filter((id) => id !== me);
    if (!this.opts.groups || groupIds.length === 0) return refused;
    try {
      const hits = await this.opts.groups.memberOf(actor.id, groupIds);
      const wanted = new Set(groupIds);
      return hits.some((h) => wanted.has(String(h).toLowerCase())) ? { allowed: true } : refused;
    } catch (err) {
      this.opts.logger?.warn({ err }, 'group membership lookup failed; acknowledgement refused');
      return { allowed: false, reason: 'I could not check your group membership just now. Try again in a minute.' };
    }
  }
}
