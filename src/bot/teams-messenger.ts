import { CardFactory, MessageFactory, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Target } from '../domain/records';
import { parseRetryAfter } from '../net/retry-policy';
import { classifyHttpFailure, DeliveryError, type Delivered, type Messenger, type Outbound } from '../services/messenger';

/** Bot Connector audience for outbound calls. */
const CHANNEL_AUDIENCE = 'https://api.botframework.com';

/**
 * Messenger over the Bot Connector (proactive, outside any incoming turn).
 * - A new channel post is a new conversation (createConversation with channelData.channel.id); Teams answers
 *   `<channel>;messageid=<activityId>`, the thread id we reply into and update.
 *   https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
 * - Cards are sent without text in the same activity, or Teams splits it and no id comes back to update.
 * - continueConversation sends as a reply to a generated id; we strip replyToId so it is a plain send.
 */
export class TeamsMessenger implements Messenger {
  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly botAppId: string,
  ) {}

  private activityOf(message: Outbound): Partial<Activity> {
    return 'card' in message ? MessageFactory.attachment(CardFactory.adaptiveCard(message.card)) : MessageFactory.text(message.text);
  }

  private reference(target: Target, conversationId: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl: target.serviceUrl,
      bot: { id: target.botId, name: target.botName ?? 'Rounds' },
      conversation: { id: conversationId, isGroup: target.kind !== 'personal', conversationType: target.kind, tenantId: target.tenantId, name: '' },
    };
  }

  private async inConversation<T>(target: Target, conversationId: string, fn: (ctx: TurnContext) => Promise<T>): Promise<T> {
    let result: T | undefined;
    await wrap(() =>
      this.adapter.continueConversationAsync(this.botAppId, this.reference(target, conversationId), async (ctx) => {
        ctx.onSendActivities(async (_c, activities, next) => {
          for (const a of activities) delete a.replyToId;
          return next();
        });
        result = await fn(ctx);
      }),
    );
    return result as T;
  }

  async post(target: Target, message: Outbound): Promise<Delivered> {
    if (target.kind !== 'channel') {
      const activityId = await this.inConversation(target, target.conversationId, async (ctx) => (await ctx.sendActivity(this.activityOf(message)))?.id);
      if (!activityId) throw new DeliveryError('fatal', 'Teams returned no activity id for the post');
      return { activityId, threadId: target.conversationId };
    }
    let threadId: string | undefined;
    await wrap(() =>
      this.adapter.createConversationAsync(
        this.botAppId,
        'msteams',
        target.serviceUrl,
        CHANNEL_AUDIENCE,
        {
          isGroup: true,
          bot: { id: target.botId, name: target.botName ?? 'Rounds' },
          channelData: { channel: { id: target.conversationId }, tenant: { id: target.tenantId } },
          tenantId: target.tenantId,
          activity: this.activityOf(message) as Activity,
          members: [],
        },
        async (ctx) => {
          threadId = ctx.activity.conversation?.id;
        },
      ),
    );
    const activityId = threadId?.split(';messageid=')[1];
    if (!threadId || !activityId) throw new DeliveryError('fatal', 'Teams returned no thread id for the new post');
    return { activityId, threadId };
  }

  async update(target: Target, at: { activityId: string; threadId: string }, message: Outbound): Promise<void> {
    await this.inConversation(target, at.threadId, async (ctx) => {
      await ctx.updateActivity({ ...this.activityOf(message), id: at.activityId, type: 'message' });
    });
  }

  async reply(target: Target, threadId: string, message: Outbound): Promise<Delivered> {
    const activityId = await this.inConversation(target, threadId, async (ctx) => (await ctx.sendActivity(this.activityOf(message)))?.id);
    return { activityId: activityId ?? '', threadId };
  }
}

/** Map connector failures to DeliveryError so services decide retry/retire without knowing botbuilder. */
async function wrap<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDeliveryError(err);
  }
}

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as {
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { status?: number; headers?: { get?(n: string): string | undefined } | Record<string, string>; bodyAsText?: string };
    body?: { error?: { code?: string; message?: string } };
  };
  const status = e?.statusCode ?? e?.response?.status;
  let code = e?.body?.error?.code;
  if (!code && e?.response?.bodyAsText) {
    try {
      code = JSON.parse(e.response.bodyAsText)?.error?.code;
    } catch {
      /* not JSON */
    }
  }
  const headers = e?.response?.headers;
  const raw =
    headers && typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get(n: string): string | undefined }).get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  const retryAfterMs = parseRetryAfter(raw, Date.now());
  const networkError = status === undefined && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket|network|fetch failed/i.test(String(e?.message ?? e?.code ?? ''));
  const kind = status === undefined && !networkError ? 'fatal' : classifyHttpFailure(status, code, retryAfterMs);
  return new DeliveryError(kind, `Teams answered ${status ?? e?.code ?? 'an error'}${code ? ` ${code}` : ''}`, status, code ?? e?.code, retryAfterMs);
}
