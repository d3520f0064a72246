import type { AuthenticationProvider, Context, Middleware } from '@microsoft/microsoft-graph-client';

/** Headers' constructor argument (lib has no DOM, so HeadersInit is not global). */
type HeadersInitLike = ConstructorParameters<typeof Headers>[0];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHttp(baseUrl: string): boolean {
  const u = new URL(baseUrl);
  return u.protocol === 'http:' && LOOPBACK.has(u.hostname);
}

/**
 * The Graph SDK's AuthenticationHandler attaches the token only to https URLs whose host is Graph's or in
 * `customHosts` (GraphRequestUtil.isValidEndpoint checks for "https://"), and strips Authorization otherwise. The
 * built-in sample tenant is plain http on loopback, so this handler, placed after it, adds the token for that one
 * origin. It refuses anything but http on a loopback host, so a token is never sent in clear over a network.
 */
export class LoopbackAuthMiddleware implements Middleware {
  private next?: Middleware;
  private readonly origin: string;
  constructor(
    private readonly provider: AuthenticationProvider,
    baseUrl: string,
  ) {
    if (!isLoopbackHttp(baseUrl)) throw new Error('LoopbackAuthMiddleware is only for http://127.0.0.1 style base URLs');
    this.origin = new URL(baseUrl).origin;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url).origin === this.origin) {
      const token = await this.provider.getAccessToken();
      const options = (context.options ??= {});
      const headers = new Headers((options.headers as HeadersInitLike | undefined) ?? {});
      headers.set('Authorization', `Bearer ${token}`);
      options.headers = headers;
    }
    await this.next!.execute(context);
  }
}
