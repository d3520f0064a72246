import { scrubSecrets } from '../logger';

/**
 * Typed failures of an outbound call. Messages are written for the person reading a result card and never contain
 * tokens: every message passes through scrubSecrets, and request descriptions carry the path only.
 */
export abstract class NetError extends Error {
  abstract readonly kind: 'upstream' | 'timeout' | 'network' | 'auth' | 'not-configured';
  /** "graph" or "cloud-apps": which service the call went to. */
  readonly api: string;
  /** "GET /v1.0/security/secureScores?$top=8": method and path, never headers. */
  readonly request: string;
  constructor(api: string, request: string, message: string) {
    super(scrubSecrets(message));
    this.name = new.target.name;
    this.api = api;
    this.request = request;
  }
}

/** The service answered with a non-success status after all retries. */
export class UpstreamError extends NetError {
  readonly kind = 'upstream' as const;
  readonly status: number;
  /** Service error code, e.g. Graph's "Authorization_RequestDenied" or "TooManyRequests". */
  readonly code?: string;
  /** On 403: the permission to grant, e.g. "ThreatHunting.Read.All". */
  readonly permission?: string;
  /** On 429: the wait the service asked for, when we gave up instead of waiting that long. */
  readonly retryAfterMs?: number;
  readonly attempts: number;
  constructor(init: {
    api: string;
    request: string;
    status: number;
    code?: string;
    detail?: string;
    permission?: string;
    retryAfterMs?: number;
    attempts: number;
  }) {
    super(init.api, init.request, UpstreamError.describe(init));
    this.status = init.status;
    this.code = init.code;
    this.permission = init.permission;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts;
  }

  private static describe(i: { api: string; request: string; status: number; code?: string; detail?: string; permission?: string; attempts: number }): string {
    const who = i.api === 'graph' ? 'Microsoft Graph' : i.api === 'cloud-apps' ? 'Defender for Cloud Apps' : i.api;
    const code = i.code ? ` ${i.code}` : '';
    const detail = i.detail ? `: ${i.detail.slice(0, 200).replace(/[.\s]+$/, '')}` : '';
    let what = `${who} answered ${i.status}${code} to ${i.request}${detail}`;
    if (i.status === 403 && i.permission) what += `. Grant the permission ${i.permission} (and admin consent)`;
    if (i.status === 401) what += '. The credential was rejected: check the tenant id, client id and secret/certificate or API token';
    if (i.attempts > 1) what += ` (after ${i.attempts} attempts)`;
    return what;
  }
}

export class TimeoutError extends NetError {
  readonly kind = 'timeout' as const;
  readonly timeoutMs: number;
  constructor(api: string, request: string, timeoutMs: number) {
    super(api, request, `${request} took longer than ${timeoutMs} ms (HTTP_TIMEOUT_MS) and was abandoned`);
    this.timeoutMs = timeoutMs;
  }
}

export class NetworkError extends NetError {
  readonly kind = 'network' as const;
  constructor(api: string, request: string, cause: unknown, attempts: number) {
    const why = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    super(api, request, `${request} could not reach the service: ${why}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`);
  }
}

/** No token could be obtained: wrong tenant/client/secret, unreachable authority, or no managed identity. */
export class AuthError extends NetError {
  readonly kind = 'auth' as const;
  constructor(api: string, scope: string, cause: unknown, variables: string[]) {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super(api, `token for ${scope}`, `Could not get a token for ${scope}: ${why}. Check ${variables.join(', ')}`);
  }
}

/** The client cannot be built: these variables must be set first. */
export class NotConfiguredError extends NetError {
  readonly kind = 'not-configured' as const;
  readonly variables: string[];
  constructor(api: string, what: string, variables: string[]) {
    super(api, what, `${what} is not configured: set ${variables.join(', ')}`);
    this.variables = variables;
  }
}

export function isNetError(e: unknown): e is NetError {
  return e instanceof NetError;
}
