import { TeamsInfo, type ConversationReference } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Target } from '../domain/records';
import type { Actor, TeamRoster } from '../services/access';

/**
 * TeamRoster over the Bot Connector: one member lookup per question, never the whole roster.
 * - Channel targets: TeamsInfo.getTeamMember(teamId, userId) — the *team* id, not the channel or thread id
 *   (a thread id gives ThreadNotFound, a channel id a partial list; research A8).
 * - Chats: TeamsInfo.getMember in that conversation.
 * Teams answers 404 (MemberNotFoundInConversation) for someone who is not a member; any other failure is thrown
 * so the policy refuses and says "try again".
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/get-teams-context#fetch-single-member-profile
 */
export class TeamsRoster implements TeamRoster {
  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly botAppId: string,
  ) {}

  async isMember(target: Target, actor: Actor): Promise<boolean> {
    if (target.kind === 'channel' && !target.teamId) throw new Error('channel target without a team id');
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: target.serviceUrl,
      bot: { id: target.botId, name: target.botName ?? 'Rounds' },
      conversation: { id: target.conversationId, isGroup: target.kind !== 'personal', conversationType: target.kind, tenantId: target.tenantId, name: '' },
    };
    let member: { id?: string; aadObjectId?: string } | undefined;
    try {
      await this.adapter.continueConversationAsync(this.botAppId, reference, async (ctx) => {
        member =
          target.kind === 'channel'
            ? await TeamsInfo.getTeamMember(ctx, target.teamId, actor.teamsId)
            : await TeamsInfo.getMember(ctx, actor.teamsId);
      });
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404) return false;
      throw err;
    }
    if (!member) return false;
    // The answer must be the clicker: same Teams id, and the Entra id acks are recorded under.
    const aad = member.aadObjectId?.toLowerCase();
    return member.id === actor.teamsId && (!aad || aad === actor.id.toLowerCase());
  }
}
