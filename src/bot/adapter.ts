import { ConfigurationServiceClientCredentialFactory, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';

/**
 * The Bot Framework adapter. With BOT_ID empty (local mode) no JWT is validated and no token is sent, as the
 * Emulator and the Agents Playground expect. Otherwise botbuilder validates every channel token itself (issuer,
 * audience, signing keys from the OpenID metadata, expiry, serviceUrl claim).
 * App types: https://learn.microsoft.com/azure/bot-service/bot-builder-authentication (multi-tenant creation is
 * deprecated after 2025-07-31, so SingleTenant is the default).
 */
export function createAdapter(config: Config): TeamsAdapter {
  const appType = config.BOT_TYPE === 'UserAssignedMsi' ? 'UserAssignedMSI' : config.BOT_TYPE;
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
    MicrosoftAppType: config.localMode ? 'MultiTenant' : appType,
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
  };
  if (config.BOT_OPENID_METADATA_URL) auth.BotOpenIdMetadata = config.BOT_OPENID_METADATA_URL;
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
    MicrosoftAppType: config.localMode ? 'MultiTenant' : appType,
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
  });
  return new TeamsAdapter(auth, credentials);
}
