import express from 'express';
import type { Server } from 'node:http';

/**
 * A Bot Connector on loopback that speaks the Bot Framework REST protocol the way Teams does: records every call the
 * bot makes, answers createConversation with a `<channel>;messageid=<id>` thread id, and can be told to fail
 * (429 with Retry-After, 403 BotNotInConversationRoster, 404 on update, 5xx) for the next N calls of a kind.
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference
 */
export type CallKind = 'create' | 'send' | 'reply' | 'update';

export interface RecordedCall {
  kind: CallKind;
  method: string;
  conversationId: string;
  activityId?: string;
  body: any;
  at: number;
  status: number;
  authorization?: string;
  /** What the connector answered (ids), for successful calls. */
  response?: { id: string; activityId?: string };
}

interface Fault {
  kind: CallKind | 'any';
  status: number;
  retryAfterSeconds?: number;
  code?: string;
  remaining: number;
}

export class LoopbackConnector {
  readonly calls: RecordedCall[] = [];
  private faults: Fault[] = [];
  private server?: Server;
  private nextId = 1000;
  url = '';

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: '5mb' }));
    const handle = (kind: CallKind) => (req: express.Request, res: express.Response) => {
      const conversationId = decodeURIComponent(String(req.params.conv ?? ''));
      const activityId = req.params.activityId ? decodeURIComponent(String(req.params.activityId)) : undefined;
      const fault = this.takeFault(kind);
      const call: RecordedCall = {
        kind,
        method: req.method,
        conversationId,
        activityId,
        body: req.body,
        at: Date.now(),
        status: fault?.status ?? 200,
        authorization: req.headers.authorization,
      };
      this.calls.push(call);
      if (fault) {
        if (fault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
        res.status(fault.status).json({ error: { code: fault.code ?? 'Throttled', message: 'fault injected by test' } });
        return;
      }
      const id = String(this.nextId++);
      if (kind === 'create') {
        const channel = req.body?.channelData?.channel?.id ?? 'unknown';
        call.response = { id: `${channel};messageid=${id}`, activityId: id };
        res.status(201).json(call.response);
        return;
      }
      call.response = { id: kind === 'update' ? (activityId ?? id) : id };
      res.status(200).json(call.response);
    };
    app.post('/v3/conversations', handle('create'));
    app.post('/v3/conversations/:conv/activities', handle('send'));
    app.post('/v3/conversations/:conv/activities/:activityId', handle('reply'));
    app.put('/v3/conversations/:conv/activities/:activityId', handle('update'));
    app.use((req, res) => {
      res.status(404).json({ error: { code: 'NotFound', message: `${req.method} ${req.path}` } });
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = this.server!.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
    return this;
  }

  /** The next `count` calls of `kind` fail with `status`. */
  fail(kind: CallKind | 'any', status: number, opts: { count?: number; retryAfterSeconds?: number; code?: string } = {}): void {
    this.faults.push({ kind, status, retryAfterSeconds: opts.retryAfterSeconds, code: opts.code, remaining: opts.count ?? 1 });
  }

  private takeFault(kind: CallKind): Fault | undefined {
    const f = this.faults.find((x) => (x.kind === kind || x.kind === 'any') && x.remaining > 0);
    if (f) f.remaining--;
    return f;
  }

  of(kind: CallKind, status = 200): RecordedCall[] {
    return this.calls.filter((c) => c.kind === kind && c.status === status);
  }

  /** Wait until `predicate` holds over the recorded calls (the bot updates cards asynchronously). */
  async waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 10_000, what = 'connector calls'): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.calls.map((c) => `${c.kind}:${c.status}`))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Every Adaptive Card in a recorded activity body. */
export function cardsIn(body: any): any[] {
  const activity = body?.activity ?? body;
  return (activity?.attachments ?? [])
    .filter((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a: any) => a.content);
}

/** All text of a card, flattened: what a person would read. */
export function cardText(card: any): string {
  const out: string[] = [];
  const walk = (v: any) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v.text === 'string') out.push(v.text);
    if (typeof v.title === 'string') out.push(v.title);
    if (typeof v.value === 'string') out.push(v.value);
    Object.values(v).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}
