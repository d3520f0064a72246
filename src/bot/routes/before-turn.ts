import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { BotContext } from '../bot-context';
import { targetInputOf, tenantOf } from '../activity';

const INVOKE_RESPONSE = 'invokeResponse';

/**
 * Runs before every route. Refuses activities from tenants outside ALLOWED_TENANT_IDS (nothing recorded), and
 * refreshes the target's serviceUrl from every activity of a known conversation.
 */
export async function onBeforeTurn(ctx: TurnContext, bot: BotContext): Promise<boolean> {
  const allowed = bot.config.ALLOWED_TENANT_IDS;
  if (allowed.length) {
    const raw = tenantOf(ctx.activity);
    const tenant = typeof raw === 'string' ? raw.toLowerCase() : undefined;
    if (!tenant || !allowed.some((t) => t.toLowerCase() === tenant)) {
      bot.logger.warn(
        { tenant: tenant ? tenant.slice(0, 64) : null, type: String(ctx.activity.type).slice(0, 40), name: typeof ctx.activity.name === 'string' ? ctx.activity.name.slice(0, 60) : undefined },
        'activity from a tenant that is not allowed; ignored',
      );
      await answerRefusedInvoke(ctx, 403, 'TenantNotAllowed', 'Rounds is not enabled for your organization.');
      return false;
    }
  }
  const type = ctx.activity.type;
  if (type === 'message' || type === 'invoke') {
    const input = targetInputOf(ctx.activity);
    if (input) await bot.services.targets.touch(input);
  }
  return true;
}

/**
 * An invoke that is never routed would be answered 501 by botbuilder, which Teams shows as "Something went
 * wrong". Card actions get a Universal Actions error response (HTTP 200, statusCode 4xx), other invokes the 4xx.
 */
async function answerRefusedInvoke(ctx: TurnContext, status: number, code: string, message: string): Promise<void> {
  if (ctx.activity.type !== ActivityTypes.Invoke) return;
  const value =
    ctx.activity.name === 'adaptiveCard/action'
      ? { status: 200, body: { statusCode: status, type: 'application/vnd.microsoft.error', value: { code, message } } }
      : { status, body: { error: message } };
  await ctx.sendActivity({ type: INVOKE_RESPONSE, value });
}
