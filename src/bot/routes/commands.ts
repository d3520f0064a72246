import type { TurnContext } from 'botbuilder';
import { parseCommand, type CommandName } from '../../domain/commands';
import { periodOf } from '../../domain/period';
import { cleanUserText, escapeMarkdown } from '../../domain/text';
import type { Target } from '../../domain/records';
import { renderHelp } from '../../cards/welcome';
import { runFromChat } from '../../services/run-checks';
import { ServiceError } from '../../services/errors';
import type { BotContext } from '../bot-context';
import { actorOf, targetInputOf } from '../activity';
import { replyCard, replyError, replyNotice, replyText } from '../reply';

/**
 * A Teams deep link to a channel post, so "already posted" can point at it.
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-link-teams#generate-deep-links-to-a-chat-or-channel-message
 */
function messageLink(target: Target, activityId: string | undefined): string | undefined {
  if (target.kind !== 'channel' || !activityId || !/^\d+$/.test(activityId)) return undefined;
  const q = new URLSearchParams({ tenantId: target.tenantId, parentMessageId: activityId });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(target.conversationId)}/${activityId}?${q}`;
}

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
      case 'already': {
        const link = messageLink(target, result.post.activityId);
        const where = link ? `[Open it](${link})` : 'Scroll to that post';
        return replyText(
          ctx,
          `This week's checklist (${result.post.periodKey}) is already posted here${result.post.sentAt ? ` (${new Date(result.post.sentAt).toUTCString()})` : ''}. ${where}, or type "status" for a summary.`,
        );
      }
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

  subscribe: async (ctx, bot, target) => {
    if (target.subscribed) return replyText(ctx, '✅ This conversation already gets the weekly checklist.');
    await bot.services.targets.setSubscribed(target, true);
    await replyText(ctx, `✅ Subscribed. ${bot.scheduleText(target.timeZone ?? bot.config.CHECKLIST_TIMEZONE)}`);
  },

  unsubscribe: async (ctx, bot, target) => {
    if (!target.subscribed) return replyText(ctx, 'This conversation is not subscribed. Type "subscribe" to get the weekly checklist here.');
    await bot.services.targets.setSubscribed(target, false);
    await replyText(ctx, '🔕 Unsubscribed: no more weekly posts here. "post checklist" still works, and "subscribe" brings the schedule back.');
  },

  subscriptions: async (ctx, bot, target) => {
    await replyCard(ctx, await bot.services.history.subscriptionsCard(target));
  },

  history: async (ctx, bot, target) => {
    await replyCard(ctx, await bot.services.history.historyCard(target));
  },

  export: async (ctx, bot, target) => {
    const base = bot.publicBaseUrl();
    if (!base) {
      return replyError(ctx, 'Export needs the public address of the bot.', 'An admin sets PUBLIC_BASE_URL (for example https://rounds.contoso.com).');
    }
    const { token, expiresAt } = bot.services.exports.createToken(target);
    const minutes = Math.round((expiresAt.getTime() - Date.now()) / 60_000);
    await replyNotice(
      ctx,
      '📄 Audit trail export',
      `[Download the CSV](${base}/api/exports/${token}) — every acknowledgement and undo in this conversation (period, item, user, action, time, evidence).`,
      `The link works for ${minutes} minutes; anyone with it can download the file, so share it with care.`,
    );
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
    const said = parsed.name === 'unknown' ? `I don't know "${escapeMarkdown(cleanUserText(parsed.text, 40))}". ` : '';
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
