import {
  CallerIdConstants,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';
import { ConnectorClientCache } from './connector-cache';
import { envelopeProblems } from './envelope';

/**
 * Bot Framework public-cloud endpoints, the values of botframework-connector's AuthenticationConstants (4.23), which
 * botbuilder does not re-export.
 */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
};

/**
 * The Bot Framework adapter. With BOT_ID empty (local mode) no JWT is validated and no token is sent, as the
 * Emulator and the Agents Playground expect. Otherwise botbuilder validates every channel token itself (issuer,
 * audience, signing keys from the OpenID metadata, expiry, serviceUrl claim).
 * App types: https://learn.microsoft.com/azure/bot-service/bot-builder-authentication (multi-tenant creation is
 * deprecated after 2025-07-31, so SingleTenant is the default).
 */
export function createAdapter(config: Config): RoundsAdapter {
  const appType = config.BOT_TYPE === 'UserAssignedMsi' ? 'UserAssignedMSI' : config.BOT_TYPE;
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
    MicrosoftAppType: config.localMode ? 'MultiTenant' : appType,
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
  };
  if (config.BOT_OPENID_METADATA_URL) {
    // botbuilder's BotFrameworkAuthenticationFactory switches to a fully *parameterized* configuration as soon as
    // any one endpoint is given: every other value (token issuer, outbound login URL and scope, caller id) is then
    // taken as given, i.e. undefined. With only the metadata URL set, the issuer list would be [undefined] and every
    // channel token would be refused. So: the public-cloud values, with only the OpenID metadata URL replaced.
    Object.assign(auth, {
      ValidateAuthority: true,
      ...PUBLIC_CLOUD,
      ToBotFromChannelOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
      CallerId: CallerIdConstants.PublicAzureChannel,
    });
  }
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
    MicrosoftAppType: config.localMode ? 'MultiTenant' : appType,
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
  });
  return new RoundsAdapter(auth, credentials);
}

/** A request whose channel token botbuilder refused. The HTTP layer answers 401 with no details. */
export class ChannelAuthError extends Error {
  readonly status = 401;
  constructor(readonly reason: string) {
    super('channel authentication failed');
    this.name = 'ChannelAuthError';
  }
}

/** An authenticated request whose activity envelope has wrong types: 400, the turn never starts. */
export class MalformedActivity extends Error {
  readonly status = 400;
  readonly expose = true;
  constructor(readonly fields: string[]) {
    super('malformed activity');
    this.name = 'MalformedActivity';
  }
}

/** The signing keys could not be loaded (OpenID metadata unreachable): 503, so the channel retries later. */
export class ChannelAuthUnavailable extends Error {
  readonly status = 503;
  constructor(readonly reason: string) {
    super('channel authentication unavailable');
    this.name = 'ChannelAuthUnavailable';
  }
}

type Logic = (context: TurnContext) => Promise<void>;
interface HttpRequest {
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}
interface HttpResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

function classifyAuthFailure(err: unknown): Error {
  const e = err as { name?: string; message?: string; statusCode?: number; code?: string; type?: string };
  const reason = String(e?.message ?? err).slice(0, 300);
  // botbuilder raises AuthenticationError(500) when the metadata or key set cannot be loaded; node-fetch raises a
  // FetchError (type "system") when the host cannot be reached. Neither says anything about the caller.
  if ((e?.name === 'AuthenticationError' && e.statusCode === 500) || e?.name === 'FetchError' || e?.type === 'system') {
    return new ChannelAuthUnavailable(reason);
  }
  // Everything else raised while validating is a refusal. botbuilder only wraps some failures in
  // AuthenticationError; jsonwebtoken's own errors (bad signature, "jwt not active", "jwt signature is required"
  // for alg none, malformed) come through raw, and CloudAdapter.process would answer those with 500 and the
  // error message as the body.
  return new ChannelAuthError(reason);
}

/**
 * TeamsAdapter whose HTTP entry authenticates first and reports failures as typed errors to the express error
 * handler, instead of CloudAdapter.process's behaviour: console.error of the raw error, 500 for any validation
 * error that is not an AuthenticationError, and the error message sent back to the caller.
 * The validation itself is botbuilder's (BotFrameworkAuthentication.authenticateRequest), unchanged.
 */
export class RoundsAdapter extends TeamsAdapter {
  readonly connectorClients = new ConnectorClientCache();

  constructor(...args: ConstructorParameters<typeof TeamsAdapter>) {
    super(...args);
    this.connectorClients.patch(this.botFrameworkAuthentication);
  }

  override process(...args: unknown[]): Promise<void> {
    if (args.length !== 3) return (TeamsAdapter.prototype.process as (...a: unknown[]) => Promise<void>).apply(this, args);
    const [req, res, logic] = args as [HttpRequest, HttpResponse, Logic];
    return this.processHttp(req, res, logic);
  }

  private async processHttp(req: HttpRequest, res: HttpResponse, logic: Logic): Promise<void> {
    const activity = req.body as Activity;
    if (!activity || typeof activity !== 'object' || typeof activity.type !== 'string') {
      res.status(400);
      res.end();
      return;
    }
    // As botbuilder's activity validator does: keep the raw strings, turn timestamps into dates.
    for (const [key, raw] of [
      ['timestamp', 'rawTimestamp'],
      ['localTimestamp', 'rawLocalTimestamp'],
      ['expiration', 'rawExpiration'],
    ] as const) {
      const v = (activity as unknown as Record<string, unknown>)[key];
      if (typeof v === 'string') {
        (activity as unknown as Record<string, unknown>)[raw] = v;
        (activity as unknown as Record<string, unknown>)[key] = new Date(v);
      }
    }
    const header = req.headers.authorization ?? req.headers.Authorization;
    const authHeader = Array.isArray(header) ? (header[0] ?? '') : (header ?? '');
    const auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader).catch((err: unknown) => {
      throw classifyAuthFailure(err);
    });
    // After authentication (an unauthenticated caller learns nothing), before botbuilder/teams-ai touch it.
    const problems = envelopeProblems(activity);
    if (problems) throw new MalformedActivity(problems);
    if (auth.connectorFactory) auth.connectorFactory = this.connectorClients.wrap(auth.connectorFactory, auth.claimsIdentity);
    let invokeResponse = await this.processActivity(auth, activity, logic);
    if (activity.type === 'invoke' && invokeResponse?.status === 501 && invokeResponse.body === undefined) {
      // botbuilder's answer when no route answered the invoke (a name we do not handle). That is not a server
      // failure: ignore it like any other unknown activity.
      invokeResponse = { status: 200 };
    }
    res.status(invokeResponse?.status ?? 200);
    if (invokeResponse?.body === undefined) {
      res.end();
      return;
    }
    // Written directly: express's res.send (type sniffing, freshness check, Buffer copy) was a tenth of an ack.
    const json = JSON.stringify(invokeResponse.body);
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', String(Buffer.byteLength(json)));
    res.end(json);
  }
}
