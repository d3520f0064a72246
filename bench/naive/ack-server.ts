/**
 * The NAIVE acknowledgement handler, for comparison only (never shipped): one updateActivity per click, sent inside
 * the invoke before answering it — what teams-ai's `REPLACE_FOR_ALL` response type does — with no pacing and no
 * coalescing. It records the ack in the same SQLite store and renders the same card as Rounds, so the difference is
 * only the update strategy. A 429 is retried after its Retry-After (as botbuilder's HTTP pipeline does) while the
 * invoke still has time (Teams wants the answer within ~5 s); after that the update is dropped.
 *
 * Run as a child process: DATA_DIR=<dir> PORT=<port> node --require tsx/cjs bench/naive/ack-server.ts
 */
import http from 'node:http';
import { openSqliteStore } from '../../src/store/sqlite';
import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';
import { renderPostCard } from '../../src/services/weekly-view';
import { RunningChecks } from '../../src/services/running-checks';

const INVOKE_BUDGET_MS = 4_500;
const MAX_RETRIES = 3;

const store = openSqliteStore(process.env.DATA_DIR ?? './data');
const running = new RunningChecks();
const stats = { invokes: 0, updatesOk: 0, updatesDropped: 0, throttled: 0 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readJson(req: http.IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function answer(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function updateForEveryone(serviceUrl: string, threadId: string, activityId: string, card: object, started: number) {
  const url = `${serviceUrl.replace(/\/?$/, '/')}v3/conversations/${encodeURIComponent(threadId)}/activities/${encodeURIComponent(activityId)}`;
  const activity = { type: 'message', id: activityId, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await r.text();
    if (r.ok) {
      stats.updatesOk++;
      return;
    }
    if (r.status !== 429) break;
    stats.throttled++;
    const waitMs = Number(r.headers.get('retry-after') ?? '1') * 1000;
    if (attempt >= MAX_RETRIES || Date.now() + waitMs > started + INVOKE_BUDGET_MS) break;
    await sleep(waitMs);
  }
  stats.updatesDropped++;
}

async function onInvoke(activity: any): Promise<object> {
  const started = Date.now();
  const data = activity?.value?.action?.data ?? {};
  const post = await store.getPost(String(data.postId));
  if (!post?.activityId || !post.threadId) throw new Error('unknown post');
  const target = await store.getTarget(post.targetId);
  if (!target) throw new Error('unknown target');
  const from = activity.from ?? {};
  await store.ack({
    post,
    itemId: String(data.itemId),
    userId: String(from.aadObjectId ?? from.id),
    userName: String(from.name ?? 'Someone'),
    at: new Date().toISOString(),
  });
  const card = await renderPostCard({ store, checklist: WEEKLY_CHECKLIST }, running, post, target);
  await updateForEveryone(String(activity.serviceUrl), post.threadId, post.activityId, card, started);
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://naive');
  if (req.method === 'GET' && url.pathname === '/healthz') return answer(res, 200, { status: 'ok', naive: true });
  if (req.method === 'GET' && url.pathname === '/stats') return answer(res, 200, stats);
  if (req.method === 'POST' && url.pathname === '/api/messages') {
    readJson(req)
      .then(async (activity) => {
        if (activity?.type !== 'invoke' || activity?.name !== 'adaptiveCard/action') return answer(res, 200, {});
        stats.invokes++;
        answer(res, 200, await onInvoke(activity));
      })
      .catch((err: unknown) => answer(res, 500, { error: err instanceof Error ? err.message : String(err) }));
    return;
  }
  answer(res, 404, { error: 'not found' });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');

const stop = () => {
  server.close(() => void store.close().then(() => process.exit(0)));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
