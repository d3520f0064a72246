import { randomUUID } from 'node:crypto';

/** Bot Framework activities shaped as Teams sends them, for many distinct users and channels. */
export const TENANT = '5b7c1c2e-0f4b-4d3a-9a51-6b0c7e2d9f10';
export const TEAM = '19:bench-team@thread.tacv2';
export const BOT = { id: '28:rounds-bench-bot', name: 'Rounds' };

export interface BenchUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export function user(i: number): BenchUser {
  return {
    id: `29:bench-user-${i}`,
    name: `Bench User ${String(i).padStart(3, '0')}`,
    aadObjectId: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
  };
}

export function channel(name: string): string {
  return `19:bench-${name}@thread.tacv2`;
}

function base(serviceUrl: string, conversationId: string, from: BenchUser, channelId: string) {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    recipient: { ...BOT },
    channelData: {
      tenant: { id: TENANT },
      team: { id: TEAM, name: 'Bench Team' },
      channel: { id: channelId, name: channelId.slice(3, 30) },
    },
  };
}

export function installationAdd(serviceUrl: string, channelId: string, from = user(0)) {
  return { ...base(serviceUrl, channelId, from, channelId), type: 'installationUpdate', action: 'add' };
}

export function channelMessage(serviceUrl: string, channelId: string, text: string, from = user(0)) {
  const root = String(Math.floor(Math.random() * 1e12));
  return {
    ...base(serviceUrl, `${channelId};messageid=${root}`, from, channelId),
    type: 'message',
    text: `<at>Rounds</at> ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: '<at>Rounds</at>', mentioned: { ...BOT } }],
  };
}

/** An Action.Execute click on a card in a channel thread. */
export function cardAction(
  serviceUrl: string,
  channelId: string,
  thread: { conversationId: string; activityId: string },
  verb: string,
  data: unknown,
  from: BenchUser,
) {
  return {
    ...base(serviceUrl, thread.conversationId, from, channelId),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: thread.activityId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
