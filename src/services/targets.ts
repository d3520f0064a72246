import type { Target, TargetInput } from '../domain/records';
import { isValidTimeZone } from '../domain/period';
import { cleanUserText, escapeMarkdown } from '../domain/text';
import type { ServiceDeps } from './context';
import { ServiceError } from './errors';
import { targetIdOf as targetIdOfInput } from '../domain/records';

function targetIdOf(tenantId: string, conversationId: string): string {
  return targetIdOfInput({ tenantId, conversationId });
}

export async function retireTarget(deps: Pick<ServiceDeps, 'store' | 'clock' | 'logger'>, target: Target, reason: string) {
  deps.logger.warn({ target: target.id, reason }, 'target retired: the bot is no longer in this conversation');
  return deps.store.updateTarget(target.id, { status: 'retired', retiredReason: reason }, deps.clock.now().toISOString());
}

/**
 * Where the bot can post. Captured on install, refreshed from every inbound activity (serviceUrl "is stable but
 * can change", https://learn.microsoft.com/microsoftteams/platform/bots/how-to/get-teams-context), retired on
 * uninstall or 403 BotNotInConversationRoster, reactivated by a reinstall.
 */
export class TargetService {
  /** Last serviceUrl written per target: refresh is a store write only when something changed. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly deps: ServiceDeps) {}

  private fingerprint(i: TargetInput): string {
    return [i.serviceUrl, i.teamName ?? '', i.channelName ?? '', i.botId].join('\u0000');
  }

  /**
   * As `refresh`, for callers that do not need the target back (every inbound activity): when this process already
   * wrote exactly these details, nothing is read or written.
   */
  async touch(input: TargetInput): Promise<void> {
    if (this.seen.get(targetIdOf(input.tenantId, input.conversationId)) === this.fingerprint(input)) return;
    await this.refresh(input);
  }

  /** From any inbound activity: create the target if new, refresh its serviceUrl. Never reactivates. */
  async refresh(input: TargetInput): Promise<Target> {
    const id = targetIdOf(input.tenantId, input.conversationId);
    const fp = this.fingerprint(input);
    if (this.seen.get(id) === fp) {
      const existing = await this.deps.store.getTarget(id);
      if (existing) return existing;
    }
    const t = await this.deps.store.upsertTarget(input, this.deps.clock.now().toISOString());
    this.seen.set(id, fp);
    return t;
  }

  /** The bot was added to a team/chat (installationUpdate add, conversationUpdate membersAdded with the bot). */
  async install(input: TargetInput): Promise<{ target: Target; wasActive: boolean }> {
    const id = targetIdOf(input.tenantId, input.conversationId);
    const before = await this.deps.store.getTarget(id);
    const target = await this.deps.store.upsertTarget(input, this.deps.clock.now().toISOString(), { reactivate: true });
    this.seen.set(id, this.fingerprint(input));
    this.deps.logger.info({ target: id, kind: target.kind }, before ? 'bot reinstalled' : 'bot installed');
    return { target, wasActive: before?.status === 'active' };
  }

  async uninstall(tenantId: string, conversationId: string, reason: string): Promise<void> {
    const target = await this.deps.store.getTarget(targetIdOf(tenantId, conversationId));
    if (target && target.status === 'active') await retireTarget(this.deps, target, reason);
    this.seen.delete(targetIdOf(tenantId, conversationId));
  }

  /** A team deleted: retire every channel target of that team. */
  async retireTeam(tenantId: string, teamId: string, reason: string): Promise<number> {
    const targets = await this.deps.store.listTargets({ status: 'active' });
    const mine = targets.filter((t) => t.tenantId === tenantId && t.teamId === teamId);
    for (const t of mine) await retireTarget(this.deps, t, reason);
    return mine.length;
  }

  async setSubscribed(target: Target, subscribed: boolean): Promise<Target> {
    return (await this.deps.store.updateTarget(target.id, { subscribed }, this.deps.clock.now().toISOString())) ?? target;
  }

  async setTimeZone(target: Target, zone: string): Promise<Target> {
    if (!zone || !isValidTimeZone(zone)) {
      throw new ServiceError(
        'bad-argument',
        zone ? `"${escapeMarkdown(cleanUserText(zone, 60))}" is not a time zone I know.` : 'Which time zone?',
        'Use an IANA name, for example: set timezone Europe/Berlin (or America/New_York, Asia/Tokyo, UTC).',
      );
    }
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    return (await this.deps.store.updateTarget(target.id, { timeZone: canonical }, this.deps.clock.now().toISOString())) ?? target;
  }

  list(): Promise<Target[]> {
    return this.deps.store.listTargets();
  }
}
