import type { Context } from '@microsoft/microsoft-graph-client';
import type { Middleware } from '@microsoft/microsoft-graph-client';
import { isNetError } from '../net/errors';
import type { HttpSender } from '../net/http-sender';
import { RequestTrace } from './request-trace';

/** Headers' constructor argument (lib has no DOM, so HeadersInit is not global). */
type HeadersInitLike = ConstructorParameters<typeof Headers>[0];

function headerRecord(init: HeadersInitLike | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init ?? {}).forEach((v, k) => (out[k] = v));
  return out;
}

/**
 * The last link of the Graph SDK's middleware chain: sends through our HTTP layer (timeout, Retry-After, backoff,
 * concurrency bound) instead of the SDK's own RetryHandler/HTTPMessageHandler, so Graph and Cloud Apps share one
 * retry policy. Custom chains: https://github.com/microsoftgraph/msgraph-sdk-javascript/blob/dev/docs/CustomMiddlewareChain.md
 */
export class TransportMiddleware implements Middleware {
  constructor(private readonly send: HttpSender) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = context.options ?? {};
    const trace = context.middlewareControl?.getMiddlewareOptions(RequestTrace) as RequestTrace | undefined;
    const body = options.body;
    try {
      const res = await this.send(
        {
          method: (options.method ?? 'GET').toUpperCase() as 'GET' | 'POST',
          url,
          headers: headerRecord(options.headers as HeadersInitLike | undefined),
          body: typeof body === 'string' ? body : body == null ? undefined : String(body),
        },
        trace?.send,
      );
      if (trace) trace.attempts = res.attempts;
      const noBody = res.status === 204 || res.status === 304;
      context.response = new Response(noBody ? null : res.text, { status: res.status, headers: res.headers });
    } catch (e) {
      if (trace && isNetError(e)) trace.error = e;
      throw e;
    }
  }
}
