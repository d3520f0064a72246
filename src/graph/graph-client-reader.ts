import { AuthenticationHandler, Client, GraphError, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { AuthError, NotConfiguredError, UpstreamError, isNetError } from '../net/errors';
import type { ConcurrencyLimiter } from '../net/concurrency-limiter';
import { describeRequest, type HttpSender, type SendOptions } from '../net/http-sender';
import { AZURE_IDENTITY_VARIABLES, BoundedCredential } from '../net/azure-credential';
import { GRAPH_PERMISSIONS, type GraphReader } from './graph-reader';
import { RequestTrace } from './request-trace';
import { TransportMiddleware } from './transport-middleware';
import { LoopbackAuthMiddleware, isLoopbackHttp } from './loopback-auth-middleware';
import {
  applicationSchema,
  controlProfileSchema,
  huntingResultSchema,
  secureScoreSchema,
  serviceMessageSchema,
  type Listed,
} from './types';

export interface GraphClientReaderOptions {
  /** GRAPH_BASE_URL, e.g. https://graph.microsoft.com (no version). */
  baseUrl: string;
  credential: TokenCredential;
  send: HttpSender;
  /** Shared per tenant: Secure Score allows 4 concurrent requests. */
  secureScoreConcurrency: ConcurrencyLimiter;
  /** Scope for the token; https://graph.microsoft.com/.default unless a national cloud says otherwise. */
  scope?: string;
}

const VERSION = 'v1.0';
/** A guard against a server that never stops sending nextLink. 200 profiles arrive in a handful of pages. */
const MAX_PAGES = 100;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const collectionSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() }).passthrough();

/** GraphReader on @microsoft/microsoft-graph-client with TokenCredentialAuthenticationProvider over @azure/identity. */
export function createGraphClientReader(opts: GraphClientReaderOptions): GraphReader {
  const base = new URL(opts.baseUrl);
  const scope = opts.scope ?? 'https://graph.microsoft.com/.default';
  const bounded = opts.credential instanceof BoundedCredential ? opts.credential : undefined;
  const authProvider = new TokenCredentialAuthenticationProvider(opts.credential, { scopes: [scope] });
  const middleware: Middleware[] = [new AuthenticationHandler(authProvider)];
  if (isLoopbackHttp(opts.baseUrl)) middleware.push(new LoopbackAuthMiddleware(authProvider, opts.baseUrl));
  middleware.push(new TransportMiddleware(opts.send));
  const client = Client.initWithMiddleware({
    baseUrl: base.origin + base.pathname.replace(/\/+$/, ''),
    defaultVersion: VERSION,
    // The SDK sends the token only to Graph's own hosts and to these (https only); a sovereign cloud or the https
    // test server needs its host here. https://github.com/microsoftgraph/msgraph-sdk-javascript/blob/dev/docs/CustomHosts.md
    customHosts: new Set([base.hostname]),
    middleware,
  });

  const fullUrl = (path: string) => `${base.origin}${base.pathname.replace(/\/+$/, '')}/${VERSION}${path}`;

  async function call<T>(method: 'GET' | 'POST', path: string, send: SendOptions, body?: unknown): Promise<T> {
    const trace = new RequestTrace(send);
    const request = describeRequest(method, fullUrl(path));
    try {
      const req = client.api(path).middlewareOptions([trace]);
      return (method === 'GET' ? await req.get() : await req.post(body)) as T;
    } catch (e) {
      if (trace.error) throw trace.error;
      if (isNetError(e)) throw e;
      if (e instanceof GraphError && e.code === 'AuthError') {
        throw bounded?.lastFailure ?? new AuthError('graph', scope, e, AZURE_IDENTITY_VARIABLES);
      }
      const err = e as { statusCode?: number; code?: string | null; message?: string };
      throw new UpstreamError({
        api: 'graph',
        request,
        status: err.statusCode ?? 0,
        code: err.code ?? undefined,
        detail: err.message,
        attempts: Math.max(1, trace.attempts),
      });
    }
  }

  function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, request: string): T {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw new UpstreamError({
      api: 'graph',
      request,
      status: 200,
      code: 'UnexpectedResponse',
      detail: `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      attempts: 1,
    });
  }

  /** nextLink is absolute; turn it into a path for client.api(), refusing any other origin (the token goes with it). */
  function nextPath(nextLink: string, request: string): string {
    const u = new URL(nextLink, base);
    const prefix = `${base.pathname.replace(/\/+$/, '')}/${VERSION}`;
    if (u.origin !== base.origin || !u.pathname.startsWith(prefix + '/')) {
      throw new UpstreamError({ api: 'graph', request, status: 200, code: 'ForeignNextLink', detail: `nextLink points to ${u.origin}`, attempts: 1 });
    }
    return u.pathname.slice(prefix.length) + u.search;
  }

  async function listAll<T>(path: string, itemSchema: z.ZodType<T, z.ZodTypeDef, unknown>, send: SendOptions): Promise<Listed<T>> {
    const request = describeRequest('GET', fullUrl(path));
    const items: T[] = [];
    let pages = 0;
    let next: string | undefined = path;
    while (next !== undefined) {
      if (pages >= MAX_PAGES) {
        throw new UpstreamError({ api: 'graph', request, status: 200, code: 'TooManyPages', detail: `stopped after ${MAX_PAGES} pages`, attempts: 1 });
      }
      const page: z.infer<typeof collectionSchema> = parse(collectionSchema, await call('GET', next, send), request);
      pages++;
      for (const v of page.value) items.push(parse(itemSchema, v, request));
      const link: string | undefined = page['@odata.nextLink'];
      next = link ? nextPath(link, request) : undefined;
    }
    return { items, pages, request };
  }

  const secureScoreSend: SendOptions = { concurrency: opts.secureScoreConcurrency, permission: GRAPH_PERMISSIONS.secureScore };

  return {
    async listSecureScores(top) {
      const listed = await listAll(`/security/secureScores?$top=${Math.max(1, Math.floor(top))}`, secureScoreSchema, secureScoreSend);
      // Documented as newest first (https://learn.microsoft.com/graph/api/resources/securescore); sort anyway so
      // "a week ago" never depends on server order.
      listed.items.sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
      return listed;
    },

    listControlProfiles() {
      return listAll('/security/secureScoreControlProfiles', controlProfileSchema, secureScoreSend);
    },

    async listMessages(since) {
      const send = { permission: GRAPH_PERMISSIONS.messages };
      const filter = encodeURIComponent(`lastModifiedDateTime ge ${since.toISOString()}`);
      let listed;
      try {
        listed = await listAll(`/admin/serviceAnnouncement/messages?$filter=${filter}`, serviceMessageSchema, send);
      } catch (e) {
        // Server-side $filter on lastModifiedDateTime is not confirmed in the docs (cloud-apps-apis.md §3.8):
        // on 400 read everything and filter here.
        if (!(e instanceof UpstreamError && e.status === 400)) throw e;
        listed = await listAll('/admin/serviceAnnouncement/messages', serviceMessageSchema, send);
      }
      listed.items = listed.items.filter((m) => Date.parse(m.lastModifiedDateTime) >= since.getTime());
      return listed;
    },

    async getApplicationCredentials(appId) {
      if (!GUID.test(appId)) throw new NotConfiguredError('graph', 'The bot app id', ['AZURE_CLIENT_ID (the application (client) id, a GUID)']);
      const path = `/applications(appId='${appId}')?$select=id,appId,displayName,passwordCredentials,keyCredentials`;
      const request = describeRequest('GET', fullUrl(path));
      const value = parse(applicationSchema, await call('GET', path, { permission: GRAPH_PERMISSIONS.application }), request);
      return { value, request };
    },

    async runHuntingQuery(query, timespan) {
      const path = '/security/runHuntingQuery';
      const request = describeRequest('POST', fullUrl(path));
      const body: Record<string, string> = { Query: query };
      if (timespan) body.Timespan = timespan;
      const value = parse(huntingResultSchema, await call('POST', path, { permission: GRAPH_PERMISSIONS.hunting }, body), request);
      return { value, request };
    },
  };
}
