import type { Target } from '../domain/records';

/** A card (Adaptive Card JSON) or plain text to deliver. */
export type Outbound = { card: object } | { text: string };

export interface Delivered {
  activityId: string;
  /** The conversation id to reply into or update: `<channel>;messageid=<activityId>` for a new channel post. */
  threadId: string;
}

/**
 * Everything services need from Teams, shaped like our domain. src/bot/teams-messenger.ts implements it over the Bot
 * Connector; tests use a loopback connector. Implementations throw DeliveryError.
 */
export interface Messenger {
  /** A new top-level post in the target (a new thread in a channel; a message in a chat). */
  post(target: Target, message: Outbound): Promise<Delivered>;
  /** Replace a posted card for everyone (updateActivity). */
  update(target: Target, at: { activityId: string; threadId: string }, message: Outbound): Promise<void>;
  /** A reply inside a post's thread. */
  reply(target: Target, threadId: string, message: Outbound): Promise<Delivered>;
}

export type DeliveryErrorKind =
  /** 429: wait retryAfterMs and try again. */
  | 'throttled'
  /** 412, 502, 503, 504, network errors: back off and retry. */
  | 'transient'
  /** 404 ActivityNotFoundInConversation / ConversationNotFound: the message or conversation is gone. */
  | 'not-found'
  /** 403 BotNotInConversationRoster, ConversationBlockedByUser, BotDisabledByAdmin: stop posting here. */
  | 'gone'
  /** Anything else (400, 401, 413, 500): do not retry. */
  | 'fatal';

/** https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-messages#status-codes-from-bot-conversational-apis */
export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function classifyHttpFailure(status: number | undefined, code: string | undefined, retryAfterMs?: number): DeliveryErrorKind {
  if (status === 429) return 'throttled';
  if (status === 412 || status === 502 || status === 503 || status === 504 || status === undefined) return 'transient';
  if (status === 404) return 'not-found';
  if (status === 403 && code && /BotNotInConversationRoster|ConversationBlockedByUser|BotDisabledByAdmin/i.test(code)) return 'gone';
  void retryAfterMs;
  return 'fatal';
}
