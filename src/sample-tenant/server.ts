import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { buildSampleData, type SampleData } from './data';
import { FaultSet, type Fault } from './faults';
import { RequestLog } from './request-log';
import { isGraphRoute, type RouteName } from './routes';

export interface SampleTenantOptions {
  /** Default 127.0.0.1: the sample tenant never listens beyond loopback. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
  /** The data's "now" (default: the real clock, read when data is built and when filters run). */
  now?: () => Date;
  /** Serve https with this key/certificate (PEM), e.g. for the @azure/identity test. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** secureScoreControlProfiles page size; small so the catalog spans several pages. Default 10. */
  profilesPageSize?: number;
  /** serviceAnnouncement/messages page size (Graph's default is 100). Default 3. */
  messagesPageSize?: number;
  /** When set, only these bearer tokens are accepted (others get 401): proves which token arrived. */
  acceptBearerTokens?: string[];
  /** Length of a "minute" for counters and the budget emulation; tests with a fast clock shorten it. */
  minuteMs?: number;
  /**
   * Emulate Cloud Apps' 30-per-minute tenant budget: beyond `perMinute` requests in a rolling minute either answer
   * 429 without Retry-After or hold the request until the minute frees up (both observed, cloud-apps-apis.md §4).
   */
  cloudAppsBudget?: { perMinute: number; mode: '429' | 'hold' };
}

export interface SampleTenant {
  /** Base URL for both GRAPH_BASE_URL and CLOUD_APPS_BASE_URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** The live data; change it (or call setData) to produce a case. */
  readonly data: SampleData;
  faults: FaultSet;
  log: RequestLog;
  setData(patch: Partial<SampleData>): void;
  /** Fresh data, no faults, empty log. */
  reset(): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown> | unknown[];

const DAY_MS = 86_400_000;

function send(res: http.ServerResponse, status: number, body: Json | string, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function graphError(code: string, message: string): Json {
  // Graph's error body; the 429 form is quoted from microsoft-graph-docs-contrib issue #1975 (cloud-apps-apis.md §4).
  return { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': crypto.randomUUID(), 'client-request-id': crypto.randomUUID() } } };
}

function faultAnswer(res: http.ServerResponse, fault: Fault, graph: boolean) {
  const status = fault.status!;
  const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
  if (graph) {
    const [code, message] =
      status === 429
        ? ['TooManyRequests', 'Too many requests.']
        : status === 403
          ? ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.']
          : status === 401
            ? ['InvalidAuthenticationToken', 'Access token validation failure.']
            : status >= 500
              ? ['InternalServerError', 'The service encountered an internal error.']
              : ['BadRequest', 'The request is invalid.'];
    return send(res, status, graphError(code, message), headers);
  }
  if (status === 429) return send(res, 429, 'TOO MANY REQUESTS', headers);
  if (status === 403) return send(res, 403, { detail: 'You do not have permission to perform this action.' }, headers);
  return send(res, status, status >= 500 ? 'Internal Server Error' : 'Bad Request', headers);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const v = JSON.parse(text) as unknown;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A loopback HTTP(S) server that answers the Graph and Cloud Apps endpoints Rounds calls, with the documented shapes
 * and paging, switchable faults, and request counters. Admin API (no auth, loopback only):
 *   GET/POST/DELETE /_sample/faults   list / add (one fault or an array) / clear
 *   GET/DELETE      /_sample/stats    counters and request log (tokens fingerprinted) / clear
 *   POST            /_sample/data     replace parts of the data ({"streams":[...]})
 *   POST            /_sample/reset    fresh data, no faults, empty log
 */
export async function startSampleTenant(options: SampleTenantOptions = {}): Promise<SampleTenant> {
  const now = options.now ?? (() => new Date());
  const minuteMs = options.minuteMs ?? 60_000;
  const profilesPageSize = options.profilesPageSize ?? 10;
  const messagesPageSize = options.messagesPageSize ?? 3;
  const data: SampleData = buildSampleData(now());
  const faults = new FaultSet();
  const log = new RequestLog();
  let origin = '';

  function route(method: string, path: string): { name: RouteName; appId?: string } | undefined {
    const p = path.replace(/\/+$/, '');
    if (method === 'GET' && p === '/v1.0/security/secureScores') return { name: 'secureScores' };
    if (method === 'GET' && p === '/v1.0/security/secureScoreControlProfiles') return { name: 'controlProfiles' };
    if (method === 'GET' && p === '/v1.0/admin/serviceAnnouncement/messages') return { name: 'messages' };
    if (method === 'POST' && p === '/v1.0/security/runHuntingQuery') return { name: 'huntingQuery' };
    const app = /^\/v1\.0\/applications\(appId='([^']+)'\)$/.exec(p);
    if (method === 'GET' && app) return { name: 'application', appId: app[1] };
    // Cloud Apps: the docs use /api/v1/..., the C# sample and the MCAS module /cas/api/v1/... (cloud-apps-apis.md §2.2).
    const ca = p.replace(/^\/cas\/api\//, '/api/');
    if ((method === 'GET' || method === 'POST') && ca === '/api/v1/alerts') return { name: 'alerts' };
    if (method === 'GET' && ca === '/api/discovery/streams') return { name: 'streams' };
    if ((method === 'GET' || method === 'POST') && ca === '/api/v1/governance') return { name: 'governance' };
    return undefined;
  }

  function cloudAppsInLastMinute(): number {
    const since = Date.now() - minuteMs;
    return log.requests.filter((r) => !isGraphRoute(r.route) && r.at > since).length;
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
    const body = req.method === 'POST' ? parseJson(await readBody(req)) : {};
    const raw = req.method === 'POST' ? body : undefined;
    if (path === '/_sample/health') return send(res, 200, { ok: true });
    if (path === '/_sample/faults') {
      if (req.method === 'GET') return send(res, 200, faults.list());
      if (req.method === 'DELETE') return faults.clear(), send(res, 200, { cleared: true });
      if (req.method === 'POST') {
        const list = Array.isArray((raw as { faults?: unknown }).faults) ? ((raw as { faults: Fault[] }).faults) : [raw as unknown as Fault];
        try {
          faults.add(...list);
        } catch (e) {
          return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
        }
        return send(res, 200, faults.list());
      }
    }
    if (path === '/_sample/stats') {
      if (req.method === 'GET') return send(res, 200, log.publicView(minuteMs));
      if (req.method === 'DELETE') return log.clear(), send(res, 200, { cleared: true });
    }
    if (path === '/_sample/data' && req.method === 'POST') {
      Object.assign(data, body);
      return send(res, 200, { updated: Object.keys(body) });
    }
    if (path === '/_sample/reset' && req.method === 'POST') return tenant.reset(), send(res, 200, { reset: true });
    return send(res, 404, { error: 'unknown admin route' });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sample');
    const path = decodeURIComponent(url.pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    if (path.startsWith('/_sample/')) return handleAdmin(req, res, path.replace(/\/+$/, ''));

    const r = route(method, path);
    if (!r) return send(res, 404, graphError('ResourceNotFound', `No sample route for ${method} ${path}`));
    const graph = isGraphRoute(r.name);
    const authorization = req.headers.authorization;
    const entry = log.add({ route: r.name, method, path: url.pathname + url.search, at: Date.now(), authorization });
    res.on('finish', () => (entry.finishedAt = Date.now()));
    res.on('close', () => (entry.finishedAt ??= Date.now()));
    const answer = (status: number, body: Json | string, headers?: Record<string, string>) => {
      entry.status = status;
      send(res, status, body, headers);
    };

    // Authentication: Graph takes only Bearer; Cloud Apps Bearer or legacy "Token <key>" (api-authentication*.md).
    const [scheme, token] = (authorization ?? '').split(' ');
    const schemeOk = scheme === 'Bearer' || (!graph && scheme === 'Token');
    if (!authorization || !schemeOk || !token) {
      return answer(401, graph ? graphError('InvalidAuthenticationToken', 'Access token is empty.') : { detail: 'Invalid token' });
    }
    if (scheme === 'Bearer' && options.acceptBearerTokens && !options.acceptBearerTokens.includes(token)) {
      return answer(401, graph ? graphError('InvalidAuthenticationToken', 'Access token validation failure.') : { detail: 'Invalid token' });
    }

    // The tenant budget counts requests as they arrive, before any emulated latency.
    const overBudget = !graph && !!options.cloudAppsBudget && cloudAppsInLastMinute() > options.cloudAppsBudget.perMinute;
    if (overBudget && options.cloudAppsBudget!.mode === '429') return answer(429, 'TOO MANY REQUESTS');
    while (overBudget && cloudAppsInLastMinute() > options.cloudAppsBudget!.perMinute) await sleep(Math.max(5, minuteMs / 20));

    const fault = faults.take(r.name, graph ? 'graph' : 'cloud-apps');
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (res.destroyed) return;
    if (fault?.status) {
      entry.status = fault.status;
      return faultAnswer(res, fault, graph);
    }

    const body = method === 'POST' ? parseJson(await readBody(req)) : {};
    const q = url.searchParams;
    switch (r.name) {
      case 'secureScores': {
        const top = Number(q.get('$top') ?? data.secureScores.length);
        const skip = Number(q.get('$skip') ?? 0);
        return answer(200, {
          '@odata.context': `${origin}/v1.0/$metadata#security/secureScores`,
          value: data.secureScores.slice(skip, skip + top),
        });
      }
      case 'controlProfiles': {
        const offset = q.get('$skiptoken') ? Number(Buffer.from(q.get('$skiptoken')!, 'base64url').toString()) : 0;
        const size = Math.min(Number(q.get('$top') ?? profilesPageSize), profilesPageSize);
        const value = data.controlProfiles.slice(offset, offset + size);
        const more = offset + size < data.controlProfiles.length;
        // Real nextLinks carry a literal "$skiptoken" (heimdall2 profiles.json capture, cloud-apps-apis.md §3.1).
        const next = `${origin}/v1.0/security/secureScoreControlProfiles?$skiptoken=${Buffer.from(String(offset + size)).toString('base64url')}`;
        return answer(200, {
          '@odata.context': `${origin}/v1.0/$metadata#security/secureScoreControlProfiles`,
          ...(more ? { '@odata.nextLink': next } : {}),
          value,
        });
      }
      case 'messages': {
        const filter = q.get('$filter');
        let items = data.messages;
        if (filter !== null) {
          const m = /^lastModifiedDateTime ge (\S+)$/.exec(filter.trim());
          if (data.messagesRejectFilter || !m || Number.isNaN(Date.parse(m[1]!))) {
            return answer(400, graphError('BadRequest', `Invalid filter clause: ${filter}`));
          }
          items = items.filter((x) => Date.parse(String(x.lastModifiedDateTime)) >= Date.parse(m[1]!));
        }
        const skip = Number(q.get('$skip') ?? 0);
        const value = items.slice(skip, skip + messagesPageSize);
        const next =
          `${origin}/v1.0/admin/serviceAnnouncement/messages?` +
          (filter !== null ? `$filter=${encodeURIComponent(filter)}&` : '') +
          `$skip=${skip + messagesPageSize}`;
        return answer(200, {
          '@odata.context': `${origin}/v1.0/$metadata#admin/serviceAnnouncement/messages`,
          ...(skip + messagesPageSize < items.length ? { '@odata.nextLink': next } : {}),
          value,
        });
      }
      case 'application':
        return answer(200, { '@odata.context': `${origin}/v1.0/$metadata#applications/$entity`, ...data.application, appId: r.appId });
      case 'huntingQuery': {
        const query = String(body.Query ?? '');
        if (!/CloudAppEvents/.test(query)) return answer(400, graphError('BadRequest', 'Query must read CloudAppEvents in the sample tenant'));
        const rows = data.huntingRows;
        const columns = rows[0] ? Object.keys(rows[0]) : [];
        return answer(200, {
          '@odata.context': `${origin}/v1.0/$metadata#microsoft.graph.security.huntingQueryResults`,
          schema: columns.map((name) => ({ name, type: typeof rows[0]![name] === 'number' ? 'Int64' : name === 'LastEvent' ? 'DateTime' : 'String' })),
          results: rows,
        });
      }
      case 'alerts': {
        const filters = (body.filters ?? {}) as { date?: { gte_ndays?: number; gte?: number } };
        const sinceMs = filters.date?.gte_ndays !== undefined ? now().getTime() - filters.date.gte_ndays * DAY_MS : filters.date?.gte ?? 0;
        const items = data.alerts.filter((a) => Number(a.timestamp) >= sinceMs).sort((a, b) => Number(b.timestamp) - Number(a.timestamp));
        return answer(200, cloudAppsPage(items, body, q));
      }
      case 'streams': {
        const streams = data.streams;
        return answer(200, data.streamsShape === 'array' ? streams : data.streamsShape === 'data' ? { data: streams } : { streams });
      }
      case 'governance': {
        // Entra app tokens are outside the documented Cloud Apps scopes for this route (cloud-apps-apis.md §3.9, §6).
        if (scheme === 'Bearer') return answer(403, { detail: 'You do not have permission to perform this action.' });
        const filters = (body.filters ?? {}) as { timestamp?: { gte?: number }; status?: { eq?: Array<boolean | null> }; type?: { eq?: string[] } };
        let items = data.governance;
        if (filters.timestamp?.gte !== undefined) items = items.filter((t) => Number(t.timestamp) >= filters.timestamp!.gte!);
        if (filters.status?.eq) {
          const allowed = filters.status.eq;
          items = items.filter((t) => allowed.includes(((t.status as { isSuccess?: boolean | null }) ?? {}).isSuccess ?? null));
        }
        if (filters.type?.eq) items = items.filter((t) => filters.type!.eq!.includes(String(t.type)));
        items = [...items].sort((a, b) => Number(b.timestamp) - Number(a.timestamp));
        return answer(200, cloudAppsPage(items, body, q));
      }
    }
  }

  /** skip/limit paging with limit clamped to 100 (api-introduction: max 100 items per response). */
  function cloudAppsPage(items: Record<string, unknown>[], body: Record<string, unknown>, q: URLSearchParams) {
    const skip = Number(body.skip ?? q.get('skip') ?? 0);
    const limit = Math.min(100, Math.max(1, Number(body.limit ?? q.get('limit') ?? 100)));
    const data = items.slice(skip, skip + limit);
    return { data, hasNext: skip + limit < items.length, total: items.length, max: limit, moreThanTotal: false };
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'SampleTenantError', message: e instanceof Error ? e.message : String(e) } });
    });
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const tenant: SampleTenant = {
    url: origin,
    port,
    data,
    faults,
    log,
    setData(patch) {
      Object.assign(data, patch);
    },
    reset() {
      Object.assign(data, buildSampleData(now()));
      faults.clear();
      log.clear();
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return tenant;
}
