import type { CloudAdapter } from 'botbuilder';

// botbuilder does not re-export botframework-connector's types; take them from the signatures that use them.
type BotFrameworkAuthentication = NonNullable<ConstructorParameters<typeof CloudAdapter>[0]>;
type ConnectorFactory = ReturnType<BotFrameworkAuthentication['createConnectorFactory']>;
type ClaimsIdentity = Parameters<BotFrameworkAuthentication['createUserTokenClient']>[0];
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<BotFrameworkAuthentication['createUserTokenClient']>>;

/**
 * Reuses Bot Connector clients across turns. CloudAdapter builds a new ConnectorClient and UserTokenClient (each with
 * its own credential object and HTTP pipeline) for every incoming activity and every proactive send; that was about
 * a sixth of an acknowledgement's CPU in `npm run bench`. A client holds no per-turn state: its credentials cache
 * and refresh their own token, so one per (app id, service URL, audience) is enough — the legacy
 * BotFrameworkAdapter kept exactly such a cache. Bounded, oldest first out: service URLs are a handful of regional
 * endpoints, but they come from activities, so the map must not grow without limit.
 */
export class ConnectorClientCache {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(private readonly maxEntries = 64) {}

  /** A factory that hands out cached clients and creates through `inner` on a miss. */
  wrap(inner: ConnectorFactory, claims: ClaimsIdentity): ConnectorFactory {
    const appId = appIdOf(claims);
    return {
      create: (serviceUrl: string, audience?: string) =>
        this.cached(this.clients, `${appId}\n${serviceUrl}\n${audience ?? ''}`, () => inner.create(serviceUrl, audience)),
    } as ConnectorFactory;
  }

  /**
   * Makes `auth` hand out cached clients for proactive sends (createConnectorFactory) and cached user-token clients
   * (one per app id). Incoming turns get theirs from the authentication result, which the adapter wraps.
   */
  patch(auth: BotFrameworkAuthentication): void {
    const factoryFor = auth.createConnectorFactory.bind(auth);
    auth.createConnectorFactory = (claims: ClaimsIdentity) => this.wrap(factoryFor(claims), claims);
    const tokenClientFor = auth.createUserTokenClient.bind(auth);
    auth.createUserTokenClient = (claims: ClaimsIdentity) => this.cached(this.tokenClients, appIdOf(claims), () => tokenClientFor(claims));
  }

  get size(): number {
    return this.clients.size + this.tokenClients.size;
  }

  private cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit) return hit;
    const made = make();
    // A failed creation is not remembered: the next turn tries again.
    made.catch(() => map.get(key) === made && map.delete(key));
    map.set(key, made);
    while (map.size > this.maxEntries) map.delete(map.keys().next().value as string);
    return made;
  }
}

/** As botframework-connector does: the audience claim (channel tokens), else the appid claim (emulator). */
function appIdOf(claims: ClaimsIdentity): string {
  return claims.getClaimValue('aud') ?? claims.getClaimValue('appid') ?? '';
}
