import type { TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { renderError } from '../../cards/message';
import type { AdaptiveCard } from '../../cards/templates';
import { ServiceError } from '../../services/errors';
import { StoreUnavailableError } from '../../store/store';
import type { CardRef } from '../../services/acknowledge';
import type { BotContext } from '../bot-context';
import { actorOf, originOf } from '../activity';

/** Card verbs are persisted contracts (they are inside cards already posted): add, never rename. */
export const CARD_VERBS = ['ack', 'unack', 'runCheck'] as const;

/**
 * Card data is user-controllable: validate its shape strictly; identity never comes from it. Unknown keys are
 * dropped (not passed through), so keys such as `__proto__` never reach an object we use.
 */
const cardRefSchema = z
  .object({
    postId: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/),
    periodKey: z.string().regex(/^\d{4}-W\d{2}$/),
    itemId: z.string().min(1).max(40).regex(/^[a-z0-9-]+$/),
  })
  .strip();

export type InvokeAnswer = AdaptiveCard | string;

function parseRef(data: unknown): CardRef {
  const r = cardRefSchema.safeParse(data);
  if (!r.success) {
    throw new ServiceError('invalid-card-data', 'This card has data I cannot read.', 'Use the card as posted, or type "status" for this week.');
  }
  return { postId: r.data.postId, periodKey: r.data.periodKey, itemId: r.data.itemId };
}

function isAutomatic(ctx: TurnContext): boolean {
  // An automatic refresh (trigger "automatic") must never record anything.
  // https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards
  return (ctx.activity.value as { trigger?: string } | undefined)?.trigger === 'automatic';
}

async function guarded(ctx: TurnContext, bot: BotContext, fn: () => Promise<InvokeAnswer>): Promise<InvokeAnswer> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ServiceError) {
      bot.logger.info({ code: err.code, verb: (ctx.activity.value as { action?: { verb?: string } })?.action?.verb }, 'card action refused');
      // "Not allowed" keeps the card as it is for the clicker and shows a message; broken data gets an error card.
      if (err.code === 'not-allowed') return `🚫 ${err.userMessage} ${err.hint}`;
      return renderError(err.userMessage, err.hint);
    }
    if (err instanceof StoreUnavailableError) {
      bot.logger.error({ err }, 'store unavailable during a card action');
      return renderError('Rounds could not reach its storage, so nothing was recorded.', 'Try again in a minute.');
    }
    // Anything else: log it with a reference and answer with a card, never an HTTP error Teams shows as
    // "Something went wrong" (https://github.com/microsoft/botbuilder-js/issues/4445).
    const reference = randomUUID().slice(0, 8);
    bot.logger.error({ err, reference }, 'card action failed');
    return renderError('Something went wrong on my side; nothing was recorded.', 'Try again in a minute. If it keeps happening, give an admin this reference.', reference);
  }
}

function who(ctx: TurnContext, bot: BotContext) {
  const actor = actorOf(ctx.activity, bot.config.localMode);
  const origin = originOf(ctx.activity);
  if (!actor || !origin) {
    throw new ServiceError('invalid-card-data', 'I could not tell who clicked or where.', 'Use the card inside Teams.');
  }
  return { actor, origin };
}

export async function onAck(ctx: TurnContext, bot: BotContext, data: unknown): Promise<InvokeAnswer> {
  return guarded(ctx, bot, async () => {
    const ref = parseRef(data);
    const { actor, origin } = who(ctx, bot);
    if (isAutomatic(ctx)) return 'Nothing to do.';
    return (await bot.services.acks.ack(ref, origin, actor)).card;
  });
}

export async function onUnack(ctx: TurnContext, bot: BotContext, data: unknown): Promise<InvokeAnswer> {
  return guarded(ctx, bot, async () => {
    const ref = parseRef(data);
    const { actor, origin } = who(ctx, bot);
    if (isAutomatic(ctx)) return 'Nothing to do.';
    return (await bot.services.acks.unack(ref, origin, actor)).card;
  });
}

export async function onRunCheck(ctx: TurnContext, bot: BotContext, data: unknown): Promise<InvokeAnswer> {
  return guarded(ctx, bot, async () => {
    const ref = parseRef(data);
    const { actor, origin } = who(ctx, bot);
    if (isAutomatic(ctx)) return 'Nothing to do.';
    const { post, target } = await bot.services.acks.resolve(ref, origin);
    bot.services.checks.startForPost(target, post, ref.itemId, actor.name);
    // Answer the invoke at once with the item marked running; the check runs outside the invoke.
    return bot.services.acks.cardFor(post, target);
  });
}

export async function onUnknownVerb(ctx: TurnContext, bot: BotContext): Promise<InvokeAnswer> {
  const verb = String((ctx.activity.value as { action?: { verb?: unknown } })?.action?.verb ?? '').slice(0, 40);
  bot.logger.info({ verb }, 'unknown card verb');
  return renderError('This button is not one I know.', 'The card may be from an older or newer version of Rounds. Type "status" for this week.');
}
