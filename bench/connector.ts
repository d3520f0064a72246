import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback Bot Connector that ENFORCES Teams' rate limits, for the benchmarks.
 *
 * - Per conversation (per bot per thread; a channel is one conversation): 7 per 1 s, 8 per 2 s, 60 per 30 s,
 *   1800 per hour — the "send to conversation" / "create conversation" rows of the Teams rate-limit table.
 *   Threads of a channel (`<channel>;messageid=<id>`) count against their channel: the stricter reading.
 * - Per app: `appRequestsPerSecond` (default 30) across every call.
 * - Past any limit: 429 `Throttled` with `Retry-After` in whole seconds (as Teams does). Rejected calls do not
 *   consume budget; accepted ones do, at the moment they arrive.
 * - createConversation answers `{ id: "<channel>;messageid=<id>", activityId }` as Teams does; send, reply and
 *   update answer `{ id }`. Every call is recorded with arrival and answer timestamps.
 * - Optional `latencyMs`: every answer (200 or 429) is sent that long after the request arrived.
 *
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export type CallKind = 'create' | 'send' | 'reply' | 'update' | 'other';

export interface ConnectorCall {
  kind: CallKind;
  method: string;
  path: string;
  /** The conversation in the URL (create: the channel from channelData). */
  conversationId: string;
  /** The rate-limit key: the channel (conversation id without `;messageid=`). */
  key: string;
  activityId?: string;
  /** ms (Date.now()) when the request arrived and when the answer was sent. */
  at: number;
  doneAt?: number;
  status: number;
  /** Set on 429s. */
  retryAfterSeconds?: number;
  /** Which limit a 429 came from: "app 30/1s", "conversation 7/1s", ... */
  limit?: string;
  bytes: number;
  body?: any;
  response?: { id: string; activityId?: string };
}

export interface ConnectorOptions {
  /** Per-app (global) requests per second. Default 30, Teams' documented budget. */
  appRequestsPerSecond?: number;
  /** Per-conversation windows; default Teams' table (7/1 s, 8/2 s, 60/30 s, 1800/1 h). */
  perConversation?: Array<{ limit: number; windowMs: number }>;
  /** Answer delay in ms (models the service's own latency). Default 0. */
  latencyMs?: number;
  /** Keep request bodies of these kinds (cards are large). Default create and update. */
  keepBodies?: CallKind[];
}

export const TEAMS_CONVERSATION_LIMITS = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
];

/** Accepted-call timestamps of one key, ascending. */
class Windows {
  private readonly at: number[] = [];
  constructor(private readonly limits: Array<{ limit: number; windowMs: number }>) {}

  /** 0 when a call may go now, else ms until the tightest violated window frees a slot. */
  wait(now: number): { waitMs: number; limit?: string } {
    let waitMs = 0;
    let limit: string | undefined;
    for (const w of this.limits) {
      if (this.at.length < w.limit) continue;
      // The call `limit` places back must have left the window for one more to fit.
      const oldest = this.at[this.at.length - w.limit]!;
      const free = oldest + w.windowMs - now;
      if (free > 0 && free > waitMs) {
        waitMs = free;
        limit = `${w.limit}/${w.windowMs >= 1000 ? `${w.windowMs / 1000}s` : `${w.windowMs}ms`}`;
      }
    }
    return { waitMs, limit };
  }

  record(now: number): void {
    this.at.push(now);
    const keep = Math.max(...this.limits.map((l) => l.limit));
    if (this.at.length > keep * 4) this.at.splice(0, this.at.length - keep);
  }
}

export function channelOf(conversationId: string): string {
  const i = conversationId.indexOf(';messageid=');
  return i >= 0 ? conversationId.slice(0, i) : conversationId;
}

export class RateLimitedConnector {
  readonly calls: ConnectorCall[] = [];
  private readonly app: Windows;
  private readonly conversations = new Map<string, Windows>();
  private server?: http.Server;
  private nextId = 100_000;
  readonly appRequestsPerSecond: number;
  readonly latencyMs: number;
  private readonly perConversation: Array<{ limit: number; windowMs: number }>;
  private readonly keepBodies: Set<CallKind>;
  url = '';

  constructor(opts: ConnectorOptions = {}) {
    this.appRequestsPerSecond = opts.appRequestsPerSecond ?? 30;
    this.latencyMs = opts.latencyMs ?? 0;
    this.perConversation = opts.perConversation ?? TEAMS_CONVERSATION_LIMITS;
    this.keepBodies = new Set(opts.keepBodies ?? ['create', 'update']);
    this.app = new Windows([{ limit: this.appRequestsPerSecond, windowMs: 1000 }]);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks)));
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  private limiterOf(key: string): Windows {
    let w = this.conversations.get(key);
    if (!w) this.conversations.set(key, (w = new Windows(this.perConversation)));
    return w;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://connector').pathname;
    let body: any;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    const seg = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    let kind: CallKind = 'other';
    let conversationId = '';
    let activityId: string | undefined;
    if (seg[0] === 'v3' && seg[1] === 'conversations') {
      if (seg.length === 2 && method === 'POST') {
        kind = 'create';
        conversationId = String(body?.channelData?.channel?.id ?? body?.activity?.conversation?.id ?? 'unknown');
      } else if (seg.length === 4 && seg[3] === 'activities' && method === 'POST') {
        kind = 'send';
        conversationId = seg[2]!;
      } else if (seg.length === 5 && seg[3] === 'activities') {
        conversationId = seg[2]!;
        activityId = seg[4];
        if (method === 'POST') kind = 'reply';
        else if (method === 'PUT') kind = 'update';
      }
    }
    const key = channelOf(conversationId);
    const call: ConnectorCall = {
      kind,
      method,
      path,
      conversationId,
      key,
      activityId,
      at,
      status: 200,
      bytes: raw.length,
      body: this.keepBodies.has(kind) ? body : undefined,
    };
    this.calls.push(call);

    const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      const text = JSON.stringify(json);
      const send = () => {
        call.doneAt = Date.now();
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
        res.end(text);
      };
      if (this.latencyMs > 0) setTimeout(send, this.latencyMs);
      else send();
    };

    if (kind === 'other') {
      this.app.record(at);
      reply(404, { error: { code: 'NotFound', message: `${method} ${path} is not served by the bench connector` } });
      return;
    }

    const conv = this.limiterOf(key);
    const a = this.app.wait(at);
    const c = conv.wait(at);
    if (a.waitMs > 0 || c.waitMs > 0) {
      const waitMs = Math.max(a.waitMs, c.waitMs);
      call.retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      call.limit = a.waitMs >= c.waitMs ? `app ${a.limit}` : `conversation ${c.limit}`;
      reply(
        429,
        { error: { code: 'Throttled', message: 'Too many requests. Also returns when to retry after.' } },
        { 'Retry-After': String(call.retryAfterSeconds) },
      );
      return;
    }
    this.app.record(at);
    conv.record(at);

    const id = String(this.nextId++);
    if (kind === 'create') {
      call.response = { id: `${conversationId};messageid=${id}`, activityId: id };
      reply(201, call.response);
      return;
    }
    call.response = { id: kind === 'update' ? (activityId ?? id) : id };
    reply(200, call.response);
  }

  /** Calls since index `from` (take `calls.length` as a mark before a phase). */
  since(from: number): ConnectorCall[] {
    return this.calls.slice(from);
  }

  /** Resolves once no call has arrived for `quietMs` (bounded by `maxMs`). Returns whether it went quiet. */
  /**
   * Resolves once no call has arrived for `quietMs`, counting from `since` at the earliest (pass the end of a burst:
   * calls still to come, such as a coalesced card update, must get their chance even if the line was already quiet).
   */
  async waitQuiet(quietMs: number, maxMs: number, since = Date.now()): Promise<boolean> {
    const until = Date.now() + maxMs;
    for (;;) {
      const last = this.calls.at(-1);
      const lastAt = Math.max(since, last ? Math.max(last.at, last.doneAt ?? 0) : 0);
      if (Date.now() - lastAt >= quietMs) return true;
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
}
