import type { TurnContext } from 'botbuilder';
import type { BotContext } from '../bot-context';
import { targetInputOf, tenantOf } from '../activity';

/**
 * Runs before every route. Refuses activities from tenants outside ALLOWED_TENANT_IDS (nothing recorded), and
 * refreshes the target's serviceUrl from every activity of a known conversation.
 */
export async function onBeforeTurn(ctx: TurnContext, bot: BotContext): Promise<boolean> {
  const allowed = bot.config.ALLOWED_TENANT_IDS;
  if (allowed.length) {
    const tenant = tenantOf(ctx.activity)?.toLowerCase();
    if (!tenant || !allowed.some((t) => t.toLowerCase() === tenant)) {
      bot.logger.warn({ tenant: tenant ?? null, type: ctx.activity.type }, 'activity from a tenant that is not allowed; ignored');
      return false;
    }
  }
  const type = ctx.activity.type;
  if (type === 'message' || type === 'invoke') {
    const input = targetInputOf(ctx.activity);
    if (input) await bot.services.targets.refresh(input);
  }
  return true;
}
