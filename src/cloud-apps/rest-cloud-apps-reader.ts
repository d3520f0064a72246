import type { TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { NotConfiguredError, UpstreamError } from '../net/errors';
import type { RollingWindowLimiter } from '../net/rate-limiter';
import { describeRequest, type HttpSender } from '../net/http-sender';
import type { Listed } from '../graph/types';
import { CLOUD_APPS_PERMISSIONS, CLOUD_APPS_SCOPE, type CloudAppsReader } from './cloud-apps-reader';
import { alertSchema, governanceTaskSchema, streamSchema } from './types';

export interface RestCloudAppsReaderOptions {
  /** CLOUD_APPS_BASE_URL, https://<tenant>.<region>.portal.cloudappsecurity.com */
  baseUrl: string;
  /** Entra app credential; preferred for alerts and streams. */
  credential?: TokenCredential;
  /** CLOUD_APPS_API_TOKEN: legacy token, sent as `Authorization: Token <key>`. */
  legacyToken?: string;
  send: HttpSender;
  /** One per tenant, shared by every check: the API allows 30 calls per minute per tenant. */
  limiter: RollingWindowLimiter;
  /** Wall-clock "now" for date filters (the HTTP timer may run fast in tests). */
  now?: () => Date;
}

/** The API's maximum page size (https://learn.microsoft.com/defender-cloud-apps/api-introduction, "Limits"). */
const PAGE_LIMIT = 100;
const MAX_PAGES = 50;
const DAY_MS = 86_400_000;

const pageSchema = z
  .object({ data: z.array(z.unknown()).default([]), hasNext: z.boolean().optional(), total: z.number().optional() })
  .passthrough();

/** Cloud Apps REST over fetch (through the shared HTTP layer), Bearer token for the API's audience or a legacy token. */
export function createRestCloudAppsReader(opts: RestCloudAppsReaderOptions): CloudAppsReader {
  const base = opts.baseUrl.replace(/\/+$/, '');
  if (!opts.credential && !opts.legacyToken) {
    throw new NotConfiguredError('cloud-apps', 'Defender for Cloud Apps access', ['AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET', 'or CLOUD_APPS_API_TOKEN']);
  }

  async function authorization(kind: 'prefer-entra' | 'legacy-only'): Promise<string> {
    if (kind === 'legacy-only' || !opts.credential) {
      if (!opts.legacyToken) throw new NotConfiguredError('cloud-apps', 'The governance log', ['CLOUD_APPS_API_TOKEN']);
      return `Token ${opts.legacyToken}`;
    }
    const token = await opts.credential.getToken(CLOUD_APPS_SCOPE);
    return `Bearer ${token!.token}`;
  }

  function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, request: string): T {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw new UpstreamError({
      api: 'cloud-apps',
      request,
      status: 200,
      code: 'UnexpectedResponse',
      detail: `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      attempts: 1,
    });
  }

  async function call(method: 'GET' | 'POST', path: string, auth: 'prefer-entra' | 'legacy-only', permission: string, body?: unknown) {
    const url = `${base}${path}`;
    const res = await opts.send(
      {
        method,
        url,
        headers: {
          Authorization: await authorization(auth),
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      },
      { rateLimiter: opts.limiter, permission },
    );
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new UpstreamError({ api: 'cloud-apps', request: describeRequest(method, url), status: res.status, code: 'NotJson', detail: res.text.slice(0, 100), attempts: res.attempts });
    }
  }

  /** skip/limit paging until hasNext is false (api-alerts-list: "hasNext", max 100 per response). */
  async function listPaged<T>(
    path: string,
    body: Record<string, unknown>,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    auth: 'prefer-entra' | 'legacy-only',
    permission: string,
  ): Promise<Listed<T>> {
    const request = describeRequest('POST', `${base}${path}`);
    const items: T[] = [];
    let pages = 0;
    for (let skip = 0; ; skip += PAGE_LIMIT) {
      if (pages >= MAX_PAGES) {
        throw new UpstreamError({ api: 'cloud-apps', request, status: 200, code: 'TooManyPages', detail: `stopped after ${MAX_PAGES} pages`, attempts: 1 });
      }
      const page = parse(pageSchema, await call('POST', path, auth, permission, { ...body, skip, limit: PAGE_LIMIT }), request);
      pages++;
      for (const d of page.data) items.push(parse(schema, d, request));
      // Stop on hasNext=false; a missing flag with a short page also means the end.
      if (page.hasNext === false || (page.hasNext === undefined && page.data.length < PAGE_LIMIT) || page.data.length === 0) break;
    }
    return { items, pages, request };
  }

  return {
    authMode: opts.credential ? 'entra-app' : 'legacy-token',
    hasLegacyToken: Boolean(opts.legacyToken),

    listAlerts(sinceDays) {
      return listPaged(
        '/api/v1/alerts/',
        { filters: { date: { gte_ndays: sinceDays } }, sortField: 'date', sortDirection: 'desc' },
        alertSchema,
        'prefer-entra',
        CLOUD_APPS_PERMISSIONS.alerts,
      );
    },

    async listDiscoveryStreams() {
      const path = '/api/discovery/streams/';
      const request = describeRequest('GET', `${base}${path}`);
      const body = await call('GET', path, 'prefer-entra', CLOUD_APPS_PERMISSIONS.streams);
      // The doc's example is one object; Microsoft's MCAS module reads `.streams`; other probes see an array or
      // `.data` (cloud-apps-apis.md §3.5). Accept all of them.
      const raw: unknown[] = Array.isArray(body)
        ? body
        : body && typeof body === 'object' && Array.isArray((body as { streams?: unknown }).streams)
          ? (body as { streams: unknown[] }).streams
          : body && typeof body === 'object' && Array.isArray((body as { data?: unknown }).data)
            ? (body as { data: unknown[] }).data
            : body && typeof body === 'object' && '_id' in body
              ? [body]
              : [];
      return { items: raw.map((s) => parse(streamSchema, s, request)), pages: 1, request };
    },

    listGovernanceTasks(sinceDays) {
      // Read-only: this module never calls …/governance/<id>/retry/ (cloud-apps-apis.md §3.9).
      // status eq [false, null] = Failed and Pending, as the MCAS module's $GovernanceStatus maps them.
      const since = (opts.now ?? (() => new Date()))().getTime() - sinceDays * DAY_MS;
      return listPaged(
        '/api/v1/governance/',
        { filters: { timestamp: { gte: since }, status: { eq: [false, null] } }, sortField: 'timestamp', sortDirection: 'desc' },
        governanceTaskSchema,
        'legacy-only',
        CLOUD_APPS_PERMISSIONS.governance,
      );
    },
  };
}
