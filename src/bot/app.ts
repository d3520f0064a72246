import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Application, TurnState, type TeamsAdapter } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import type { BotContext } from './bot-context';
import { onMessage } from './routes/commands';
import { onAck, onRunCheck, onUnack, onUnknownVerb } from './routes/card-actions';
import { onInstallationUpdate, onMembersAdded, onMembersRemoved, onTeamDeleted } from './routes/installation';
import { onBeforeTurn } from './routes/before-turn';
import { replyError } from './reply';
import { StoreUnavailableError } from '../store/store';

/**
 * The teams-ai Application with every route registered from one explicit list.
 * No `storage` is given: teams-ai turn state is never persisted, so concurrent clicks on one card cannot conflict
 * on its conversation eTag (https://github.com/microsoft/teams-sdk/issues/2540). Acks live in our own store.
 */
export function createBotApp(adapter: TeamsAdapter, bot: BotContext): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter,
    botAppId: bot.config.BOT_ID ?? '',
    removeRecipientMention: true,
    // Note: teams-ai 1.7.4's run() starts its typing timer whatever this says, so a reply that takes over 1 s is
    // preceded by a "typing" activity. Harmless, but tests must look for the message, not the first activity.
    startTypingTimer: false,
    longRunningMessages: false,
  });

  app.turn('beforeTurn', (ctx) => onBeforeTurn(ctx, bot));

  app.activity(ActivityTypes.InstallationUpdate, (ctx) => onInstallationUpdate(ctx, bot));
  app.conversationUpdate('membersAdded', (ctx) => onMembersAdded(ctx, bot));
  app.conversationUpdate('membersRemoved', (ctx) => onMembersRemoved(ctx, bot));
  app.conversationUpdate('teamDeleted', (ctx) => onTeamDeleted(ctx, bot));
  app.conversationUpdate('teamHardDeleted', (ctx) => onTeamDeleted(ctx, bot));

  app.adaptiveCards.actionExecute('ack', (ctx, _s, data) => onAck(ctx, bot, data));
  app.adaptiveCards.actionExecute('unack', (ctx, _s, data) => onUnack(ctx, bot, data));
  app.adaptiveCards.actionExecute('runCheck', (ctx, _s, data) => onRunCheck(ctx, bot, data));
  // Registered last: any other verb gets a clear answer instead of the SDK's bare 501.
  app.adaptiveCards.actionExecute(/.*/, (ctx) => onUnknownVerb(ctx, bot));

  app.activity(ActivityTypes.Message, (ctx) => onMessage(ctx, bot));

  app.error(async (ctx: TurnContext, err: Error) => {
    const reference = randomUUID().slice(0, 8);
    bot.logger.error({ err, reference, activityType: ctx.activity?.type }, 'turn failed');
    try {
      if (ctx.activity?.type === ActivityTypes.Message) {
        if (err instanceof StoreUnavailableError) {
          await replyError(ctx, 'Rounds could not reach its storage just now, so nothing was read or recorded.', 'Try again in a minute. If it keeps happening, give an admin this reference.', reference);
        } else {
          await replyError(ctx, 'Something went wrong on my side; nothing you did was lost.', 'Try again in a minute. If it keeps happening, give an admin this reference.', reference);
        }
      }
    } catch (sendErr) {
      bot.logger.warn({ err: sendErr, reference }, 'could not tell the user about the failure');
    }
  });

  return app;
}
