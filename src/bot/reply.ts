import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../cards/templates';
import { renderError, renderMessage } from '../cards/message';

/** Replies inside a turn. Cards go alone (no text in the same activity) so Teams returns an id we could update. */
export async function replyCard(ctx: TurnContext, card: AdaptiveCard | object): Promise<void> {
  await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

export async function replyText(ctx: TurnContext, text: string): Promise<void> {
  await ctx.sendActivity(MessageFactory.text(text));
}

export async function replyNotice(ctx: TurnContext, heading: string, text: string, hint = ''): Promise<void> {
  await replyCard(ctx, renderMessage({ heading, text, hint }));
}

export async function replyError(ctx: TurnContext, text: string, hint: string, reference = ''): Promise<void> {
  await replyCard(ctx, renderError(text, hint, reference));
}
