import { randomUUID } from 'node:crypto';

/** Bot Framework activities shaped as Teams sends them (channel message, Action.Execute invoke, install events). */
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const TEAM = '19:team-general@thread.tacv2';
export const GENERAL = TEAM; // the General channel's id equals the team id
export const BOT = { id: '28:rounds-bot', name: 'Rounds' };

export interface User {
  id: string;
  name: string;
  aadObjectId: string;
}

export const ALEX: User = { id: '29:alex', name: 'Alex Wilber', aadObjectId: '00000000-0000-4000-8000-00000000a11e' };
export const MEGAN: User = { id: '29:megan', name: 'Megan Bowen', aadObjectId: '00000000-0000-4000-8000-00000000beef' };
export const LEE: User = { id: '29:lee', name: 'Lee Gu', aadObjectId: '00000000-0000-4000-8000-000000001ee0' };

function base(serviceUrl: string, conversationId: string, from: User, channel = GENERAL, channelName?: string) {
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
      team: { id: TEAM, name: 'SOC Team' },
      channel: { id: channel, ...(channelName ? { name: channelName } : {}) },
    },
  };
}

/** A channel message with a real @mention of the bot, as a new post in the channel. */
export function channelMessage(serviceUrl: string, text: string, from: User = ALEX, channel = GENERAL) {
  const root = String(Math.floor(Math.random() * 1e12));
  return {
    ...base(serviceUrl, `${channel};messageid=${root}`, from, channel),
    type: 'message',
    text: `<at>Rounds</at> ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: '<at>Rounds</at>', mentioned: { ...BOT } }],
  };
}

export function cardAction(
  serviceUrl: string,
  verb: string,
  data: unknown,
  from: User,
  thread: { conversationId: string; activityId: string },
  trigger: 'manual' | 'automatic' = 'manual',
  channel = GENERAL,
) {
  return {
    ...base(serviceUrl, thread.conversationId, from, channel),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: thread.activityId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger },
  };
}

/** The bot installed in the team (the General channel unless another is given). */
export function installationAdd(serviceUrl: string, from: User = ALEX, channel = GENERAL) {
  return { ...base(serviceUrl, channel, from, channel), type: 'installationUpdate', action: 'add' };
}

export function membersAddedBot(serviceUrl: string, from: User = ALEX) {
  return {
    ...base(serviceUrl, GENERAL, from),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
    channelData: { ...base(serviceUrl, GENERAL, from).channelData, eventType: 'teamMemberAdded' },
  };
}

export function installationRemove(serviceUrl: string, from: User = ALEX) {
  return { ...base(serviceUrl, GENERAL, from), type: 'installationUpdate', action: 'remove' };
}
