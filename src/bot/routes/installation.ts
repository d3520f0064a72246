import type { TurnContext } from 'botbuilder';
import { renderWelcome } from '../../cards/welcome';
import type { BotContext } from '../bot-context';
import { channelDataOf, targetInputOf, tenantOf } from '../activity';
import { replyCard } from '../reply';

/**
 * Install / uninstall. Teams sends installationUpdate (add/remove) and conversationUpdate (membersAdded /
 * membersRemoved with the bot, teamDeleted). Both may arrive for one install; install is idempotent and the welcome
 * card is posted only when the target was not already active.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
 */
async function install(ctx: TurnContext, bot: BotContext): Promise<void> {
  const input = targetInputOf(ctx.activity);
  if (!input) return;
  const { target, wasActive } = await bot.services.targets.install(input);
  if (!wasActive) {
    await replyCard(ctx, renderWelcome({ scheduleText: bot.scheduleText(target.timeZone ?? bot.config.CHECKLIST_TIMEZONE) }));
  }
}

async function uninstall(ctx: TurnContext, bot: BotContext, reason: string): Promise<void> {
  const input = targetInputOf(ctx.activity);
  if (!input) return;
  await bot.services.targets.uninstall(input.tenantId, input.conversationId, reason);
}

export async function onInstallationUpdate(ctx: TurnContext, bot: BotContext): Promise<void> {
  const action = String(ctx.activity.action ?? '');
  if (action.startsWith('add')) await install(ctx, bot);
  else if (action.startsWith('remove')) await uninstall(ctx, bot, 'uninstalled');
}

export async function onMembersAdded(ctx: TurnContext, bot: BotContext): Promise<void> {
  const botId = ctx.activity.recipient?.id;
  if ((ctx.activity.membersAdded ?? []).some((m) => m.id === botId)) await install(ctx, bot);
}

export async function onMembersRemoved(ctx: TurnContext, bot: BotContext): Promise<void> {
  const botId = ctx.activity.recipient?.id;
  if ((ctx.activity.membersRemoved ?? []).some((m) => m.id === botId)) await uninstall(ctx, bot, 'bot removed');
}

export async function onTeamDeleted(ctx: TurnContext, bot: BotContext): Promise<void> {
  const tenantId = tenantOf(ctx.activity);
  const teamId = channelDataOf(ctx.activity).team?.id;
  if (tenantId && teamId) await bot.services.targets.retireTeam(tenantId, teamId, 'team deleted');
}
