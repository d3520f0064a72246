import type { Activity } from 'botbuilder';
import type { ConversationKind, TargetInput } from '../domain/records';
import type { Actor } from '../services/access';
import type { Origin } from '../services/acknowledge';
import { cleanUserText } from '../domain/text';

/** Reading our domain out of a Bot Framework activity. Nothing here trusts card data. */

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string; name?: string };
  eventType?: string;
}

export function channelDataOf(a: Partial<Activity>): TeamsChannelData {
  const cd = a.channelData;
  return cd && typeof cd === 'object' ? (cd as TeamsChannelData) : {};
}

/** `19:abc@thread.tacv2;messageid=123` → `19:abc@thread.tacv2`: a channel's threads share the channel's target. */
export function baseConversationId(id: string): string {
  const i = id.indexOf(';messageid=');
  return i >= 0 ? id.slice(0, i) : id;
}

export function tenantOf(a: Partial<Activity>): string | undefined {
  return channelDataOf(a).tenant?.id ?? a.conversation?.tenantId ?? undefined;
}

export function kindOf(a: Partial<Activity>): ConversationKind {
  const t = a.conversation?.conversationType;
  if (t === 'channel' || channelDataOf(a).channel?.id) return 'channel';
  if (t === 'groupChat' || a.conversation?.isGroup) return 'groupChat';
  return 'personal';
}

export function targetInputOf(a: Partial<Activity>): TargetInput | undefined {
  const tenantId = tenantOf(a);
  const convId = a.conversation?.id;
  if (!tenantId || typeof convId !== 'string' || !a.serviceUrl || !a.recipient?.id) return undefined;
  const cd = channelDataOf(a);
  const kind = kindOf(a);
  const conversationId = kind === 'channel' ? (cd.channel?.id ?? baseConversationId(convId)) : baseConversationId(convId);
  return {
    tenantId,
    conversationId,
    kind,
    teamId: cd.team?.id,
    teamName: cd.team?.name ? cleanUserText(cd.team.name, 120) : undefined,
    channelName:
      kind === 'channel'
        ? cleanUserText(cd.channel?.name ?? (cd.channel?.id && cd.channel.id === cd.team?.id ? 'General' : ''), 120) || undefined
        : a.conversation?.name
          ? cleanUserText(a.conversation.name, 120)
          : undefined,
    serviceUrl: a.serviceUrl,
    botId: a.recipient.id,
    botName: a.recipient.name ?? undefined,
  };
}

export function originOf(a: Partial<Activity>): Origin | undefined {
  const t = targetInputOf(a);
  return t ? { tenantId: t.tenantId, conversationId: t.conversationId } : undefined;
}

/**
 * The acting person: `from.aadObjectId` is the stable Entra id acks are keyed by. In local mode (no Teams) a
 * client may omit it; then the channel account id stands in.
 */
export function actorOf(a: Partial<Activity>, localMode: boolean): Actor | undefined {
  const from = a.from;
  if (!from || typeof from.id !== 'string' || !from.id) return undefined;
  const aad = typeof from.aadObjectId === 'string' && from.aadObjectId ? from.aadObjectId : undefined;
  if (!aad && !localMode) return undefined;
  return { id: aad ?? from.id, name: cleanUserText(from.name, 80) || 'Someone', teamsId: from.id };
}
