import type { TurnContext } from 'botbuilder';
import { parseCommand, type CommandName } from '../../domain/commands';
import { periodOf } from '../../domain/period';
import type { Target } from '../../domain/records';
import { renderHelp } from '../../cards/welcome';
import { runFromChat } from '../../services/run-checks';
import { ServiceError } from '../../services/errors';
import type { BotContext } from '../bot-context';
import { actorOf, targetInputOf } from '../activity';
import { replyCard, replyError, replyNotice, replyText } from '../reply';

type CommandHandler = (ctx: TurnContext, bot: BotContext, target: Target, args: string) => Promise<void>;

/** One handler per command, listed explicitly. Each parses, calls one service, renders, replies. */
const HANDLERS: Partial<Record<CommandName, CommandHandler>> = {
  help: async (ctx, bot, target) => {
    await replyCard(ctx, renderHelp({ scheduleText: bot.scheduleText(target.timeZone ?? bot.config.CHECKLIST_TIMEZONE) }));
  },

  'post-checklist': async (ctx, bot, target) => {
    const result = await bot.services.posting.postForTarget(target);
    switch (result.kind) {
      case 'posted':
        return replyText(ctx, `✅ Posted this week's checklist (${result.post.periodKey}) as a new post in this ${target.kind === 'channel' ? 'channel' : 'chat'}.`);
      case 'already':
        return replyText(
          ctx,
          `This week's checklist (${result.post.periodKey}) is already posted here${result.post.sentAt ? ` (${new Date(result.post.sentAt).toUTCString()})` : ''}. Scroll to that post, or type "status" for a summary.`,
        );
      case 'in-progress':
        return replyText(ctx, `This week's checklist is being posted right now; it will appear in a moment.`);
      case 'retired':
        return replyText(ctx, `I can no longer post here. Reinstall Rounds in this team to start again.`);
      case 'failed':
        return replyError(ctx, 'Teams did not accept the checklist post.', result.retryable ? 'Try again in a minute.' : 'Ask an admin to look at the bot logs.');
    }
  },

  status: async (ctx, bot, target) => {
    await replyCard(ctx, await bot.services.status.statusCard(target));
  },

  check: async (ctx, bot, target, args) => {
    const actor = actorOf(ctx.activity, bot.config.localMode);
    const tz = target.timeZone ?? bot.config.CHECKLIST_TIMEZONE;
    const current = await bot.services.deps.store.getPostForPeriod(target.id, periodOf(bot.services.deps.clock.now(), tz).key);
    const result = await runFromChat(bot.services.checks, bot.services.deps, {
      words: args,
      target,
      replyTo: ctx.activity.conversation.id,
      requestedBy: actor?.name ?? 'someone',
      currentPost: current?.status === 'sent' ? current : undefined,
    });
    if (result.kind === 'done') await replyCard(ctx, result.card);
    else await replyText(ctx, result.text);
  },

  'set-timezone': async (ctx, bot, target, args) => {
    const updated = await bot.services.targets.setTimeZone(target, args);
    await replyText(ctx, `🕘 Time zone here is now ${updated.timeZone}. Weekly posts, weeks and times follow it from the next period.`);
  },
};

export async function onMessage(ctx: TurnContext, bot: BotContext): Promise<void> {
  const parsed = parseCommand(ctx.activity.text);
  const input = targetInputOf(ctx.activity);
  if (!input) {
    await replyText(ctx, 'I could not tell which conversation this is. Message me from Teams.');
    return;
  }
  const target = await bot.services.targets.refresh(input);
  if (parsed.name === 'empty' || parsed.name === 'unknown') {
    const said = parsed.name === 'unknown' ? `I don't know "${parsed.text.slice(0, 40)}". ` : '';
    await replyText(ctx, `${said}Type "help" to see what I can do (for example "post checklist", "status", "check connectors").`);
    return;
  }
  const handler = HANDLERS[parsed.name];
  if (!handler) {
    await replyText(ctx, `"${parsed.name.replace('-', ' ')}" is not available yet. Type "help" for the commands I know.`);
    return;
  }
  try {
    await handler(ctx, bot, target, parsed.args);
  } catch (err) {
    if (err instanceof ServiceError) {
      await replyNotice(ctx, err.userMessage, err.hint);
      return;
    }
    throw err;
  }
}
