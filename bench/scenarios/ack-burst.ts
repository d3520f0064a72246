import fs from 'node:fs';
import path from 'node:path';
import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';
import { RateLimitedConnector, type ConnectorCall } from '../connector';
import { cardAction, channel, channelMessage, installationAdd, user } from '../support/activities';
import { acksShown, cardRef, cardsIn, jsonBytes } from '../support/cards';
import { PRODUCT_ENTRY, ROOT, ServerProcess, removeDir, sleep, tempDir } from '../support/process';
import { BurstClient } from '../support/http-client';
import { seedPostedCard, withStore } from '../support/seed';
import { median, percentile, ratio, round, type Table } from '../support/stats';

/**
 * Scenario 1 — acknowledgement burst. N distinct users each click Acknowledge on one item of the same posted card,
 * all at once, as real HTTP invokes to the real server (embedded SQLite). Rounds vs the naive handler
 * (bench/naive/ack-server.ts: one updateActivity per click, inside the invoke), each against its own
 * rate-limit-enforcing connector. Each size is repeated on fresh cards and the latencies pooled, since one burst
 * of 50 is one sample of its slowest click. The same bursts against two servers that do no work at all and answer
 * with the same bytes (bench/reference/floor-server.ts: bare node:http, bare express) give the machine's floor.
 */
export interface BurstResult {
  /** p99 of the same number of simultaneous GET /healthz: what the HTTP stack alone costs in this harness. */
  httpFloorP99?: number;
  users: number;
  /** Bursts of `users` clicks pooled into this result (each on its own fresh card). */
  repeats: number;
  /** Every click's latency (ms), for pooling. */
  samples: number[];
  /** Server process CPU (user + system) from the first click sent to the last answer, per click. */
  serverCpuMsPerInvoke?: number;
  clicks: number;
  answered: number;
  failedInvokes: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Burst wall (all sent at once → last answer) ÷ clicks: the server time each invoke costs under load. */
  perInvokeMs: number;
  acksRecorded: number;
  acksOnFinalCard?: number;
  acksInStatus?: number;
  updateCalls: number;
  updatesAccepted: number;
  throttled: number;
  /** Burst start → last card update accepted by the connector (everyone sees the final state). */
  convergedMs?: number;
  finalCardBytes?: number;
  finalActivityBytes?: number;
}

export interface VariantResult {
  startMs: number;
  idleRssKiB?: number;
  rssAfterKiB?: number;
  unloadedLatencyMs: { p50: number; max: number };
  bursts: BurstResult[];
  serverStats?: unknown;
}

/** The floor servers under the same bursts: pooled p99 per burst size. */
export interface FloorResult {
  users: number;
  bareHttpP99: number;
  bareExpressP99: number;
  /** Rounds' own HTTP and bot stack with services that answer at once (bench/reference/stack-floor.ts). */
  stackP99?: number;
  /** Floor server CPU per request under the same bursts (ms). */
  bareHttpCpuMs?: number;
  bareExpressCpuMs?: number;
  stackCpuMs?: number;
  answerBytes: number;
}

export interface AckBurstResult {
  sizes: number[];
  repeats: Record<number, number>;
  floors: FloorResult[];
  cardUpdateDelayMs: number;
  appRequestsPerSecond: number;
  connectorLatencyMs: number;
  product: VariantResult;
  naive: VariantResult;
}

const ITEMS = WEEKLY_CHECKLIST.items.map((i) => i.id);
const WARM_CLICKS = 20;

interface Card {
  channelId: string;
  postId: string;
  periodKey: string;
  thread: { conversationId: string; activityId: string };
}

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

async function timedPost(client: BurstClient, body: string): Promise<{ ms: number; status: number; hasCard: boolean; text: string }> {
  const r = await client.request('POST', '/api/messages', body);
  return { ms: r.ms, status: r.status, hasCard: r.status === 200 && r.body.includes(CARD_TYPE), text: r.body };
}

function clicks(serviceUrl: string, card: Card, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify(
      cardAction(serviceUrl, card.channelId, card.thread, 'ack', { postId: card.postId, periodKey: card.periodKey, itemId: ITEMS[i % ITEMS.length] }, user(from + i)),
    ),
  );
}

async function warmUp(client: BurstClient, connector: RateLimitedConnector, card: Card): Promise<{ p50: number; max: number }> {
  const ms: number[] = [];
  for (const body of clicks(connector.url, card, 9000, WARM_CLICKS)) ms.push((await timedPost(client, body)).ms);
  await connector.waitQuiet(1500, 10_000);
  return { p50: round(percentile(ms, 50)), max: round(Math.max(...ms)) };
}

/** One burst: `users` clicks sent at once on `card`, over connections opened beforehand. */
async function burst(
  server: ServerProcess,
  client: BurstClient,
  connector: RateLimitedConnector,
  card: Card,
  users: number,
  firstUser: number,
  settle: { quietMs: number; maxMs: number },
  dataDir: string,
): Promise<BurstResult & { lastAnswer?: string; lastBody?: string }> {
  // The floor: the same burst of trivial requests on the same connections (this also opens them).
  await client.warm(users);
  const floor = await client.warm(users);
  const mark = connector.calls.length;
  const bodies = clicks(connector.url, card, firstUser, users);
  const cpu0 = server.cpuMs();
  const started = Date.now();
  const results = await Promise.all(bodies.map((b) => timedPost(client, b)));
  const cpu1 = server.cpuMs();
  await connector.waitQuiet(settle.quietMs, settle.maxMs);
  const calls: ConnectorCall[] = connector.since(mark);
  const updates = calls.filter((c) => c.kind === 'update' && c.key === card.channelId);
  const accepted = updates.filter((c) => c.status === 200);
  const last = accepted.at(-1);
  const lastCard = last ? cardsIn(last.body)[0] : undefined;
  const ms = results.map((r) => r.ms);
  const acksRecorded = await withStore(dataDir, async (s) => (await s.listAcks(card.postId)).length);
  return {
    httpFloorP99: round(percentile(floor, 99)),
    users,
    repeats: 1,
    samples: ms,
    serverCpuMsPerInvoke: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / users : undefined,
    clicks: users,
    answered: results.filter((r) => r.hasCard).length,
    failedInvokes: results.filter((r) => !r.hasCard).length,
    latencyMs: { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), p99: round(percentile(ms, 99)), max: round(Math.max(...ms)) },
    perInvokeMs: round(Math.max(...ms) / users, 2),
    acksRecorded,
    acksOnFinalCard: lastCard ? acksShown(lastCard) : undefined,
    updateCalls: updates.length,
    updatesAccepted: accepted.length,
    throttled: calls.filter((c) => c.status === 429).length,
    convergedMs: last ? (last.doneAt ?? last.at) - started : undefined,
    finalCardBytes: lastCard ? jsonBytes(lastCard) : undefined,
    finalActivityBytes: last ? jsonBytes(last.body) : undefined,
    lastAnswer: results.at(-1)?.text,
    lastBody: bodies.at(-1),
  };
}

/**
 * Bursts of one size pooled: latencies over every click; counts summed; per-burst figures (update calls, final
 * card) reported for the worst burst, since each target holds per burst.
 */
function pooled(bursts: BurstResult[]): BurstResult {
  const ms = bursts.flatMap((b) => b.samples);
  const worst = <K extends keyof BurstResult>(k: K, pick: (a: number, b: number) => number) =>
    bursts.map((b) => b[k] as number | undefined).reduce<number | undefined>((a, v) => (v === undefined ? a : a === undefined ? v : pick(a, v)), undefined);
  const cpu = bursts.map((b) => b.serverCpuMsPerInvoke).filter((v): v is number => v !== undefined);
  const sum = (k: 'clicks' | 'answered' | 'failedInvokes' | 'acksRecorded' | 'throttled') => bursts.reduce((a, b) => a + b[k], 0);
  return {
    httpFloorP99: worst('httpFloorP99', Math.max),
    users: bursts[0]!.users,
    repeats: bursts.length,
    samples: ms,
    serverCpuMsPerInvoke: cpu.length ? round(cpu.reduce((a, b) => a + b, 0) / cpu.length, 2) : undefined,
    clicks: sum('clicks'),
    answered: sum('answered'),
    failedInvokes: sum('failedInvokes'),
    latencyMs: { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), p99: round(percentile(ms, 99)), max: round(Math.max(...ms)) },
    perInvokeMs: round(median(bursts.map((b) => b.perInvokeMs)), 2),
    acksRecorded: sum('acksRecorded'),
    acksOnFinalCard: worst('acksOnFinalCard', Math.min),
    acksInStatus: worst('acksInStatus', Math.min),
    updateCalls: worst('updateCalls', Math.max) ?? 0,
    updatesAccepted: worst('updatesAccepted', Math.min) ?? 0,
    throttled: sum('throttled'),
    convergedMs: worst('convergedMs', Math.max),
    finalCardBytes: worst('finalCardBytes', Math.max),
    finalActivityBytes: worst('finalActivityBytes', Math.max),
  };
}

/** The same bursts against a server that does no work and answers with `answer` (bench/reference/floor-server.ts). */
async function floorP99(kind: 'http' | 'express' | 'stack', answerFile: string, body: string, users: number, repeats: number): Promise<{ p99: number; cpuMs?: number }> {
  const script = kind === 'stack' ? 'stack-floor.ts' : 'floor-server.ts';
  const server = new ServerProcess(path.join(ROOT, 'bench', 'reference', script), { BENCH_FLOOR: kind, BENCH_FLOOR_ANSWER: answerFile });
  await server.start();
  const client = new BurstClient(server.url, users);
  try {
    const ms: number[] = [];
    let cpu = 0;
    for (let i = 0; i < WARM_CLICKS; i++) await client.request('POST', '/api/messages', body);
    for (let r = 0; r < repeats; r++) {
      await client.warm(users);
      const cpu0 = server.cpuMs() ?? NaN;
      const answers = await Promise.all(Array.from({ length: users }, () => client.request('POST', '/api/messages', body)));
      cpu += (server.cpuMs() ?? NaN) - cpu0;
      if (answers.some((a) => a.status !== 200 || !a.body.includes(CARD_TYPE))) throw new Error(`floor server (${kind}) did not answer a click with the card`);
      ms.push(...answers.map((a) => a.ms));
      await sleep(300);
    }
    const cpuMs = cpu / (users * repeats);
    return { p99: round(percentile(ms, 99)), cpuMs: Number.isFinite(cpuMs) ? round(cpuMs, 2) : undefined };
  } finally {
    client.close();
    await server.stop();
  }
}

/** `status` in the channel; the acknowledgements the status card lists. */
async function acksInStatus(server: ServerProcess, connector: RateLimitedConnector, channelId: string): Promise<number | undefined> {
  const msg = channelMessage(connector.url, channelId, 'status');
  const mark = connector.calls.length;
  await server.post('/api/messages', msg);
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const reply = connector.since(mark).find((c) => c.kind === 'reply' && c.activityId === msg.id && c.status === 200);
    if (reply) {
      // Replies are not kept in full by default; the status card is small, so fetch it from the recorded call.
      return reply.body ? acksShown(cardsIn(reply.body)[0]) : undefined;
    }
    await sleep(50);
  }
  return undefined;
}

export async function runAckBurst(opts: {
  sizes: number[];
  /** Bursts per size, each on a fresh card; default 5 of 50 and 2 of 200. */
  repeats?: Record<number, number>;
  latencyMs: number;
  appRps: number;
  logLevel: string;
}): Promise<AckBurstResult> {
  const cardUpdateDelayMs = 1000; // the product default (CARD_UPDATE_DELAY_MS)
  const settle = { quietMs: cardUpdateDelayMs + 1200, maxMs: 30_000 };
  const repeats = Object.fromEntries(opts.sizes.map((n) => [n, opts.repeats?.[n] ?? (n <= 50 ? 5 : 2)]));
  // One fresh card per burst: a channel per (size, repeat), plus one for the warm-up clicks.
  const plan = opts.sizes.flatMap((n) => Array.from({ length: repeats[n]! }, (_, r) => ({ n, name: `burst-${n}-${r + 1}` })));
  const channelNames = ['warm', ...plan.map((p) => p.name)];
  const maxUsers = Math.max(...opts.sizes);
  const answers = new Map<number, { answer: string; body: string }>();

  // ---- Rounds ------------------------------------------------------------------------------------
  const connector = await new RateLimitedConnector({ appRequestsPerSecond: opts.appRps, latencyMs: opts.latencyMs, keepBodies: ['create', 'update', 'reply'] }).start();
  const dataDir = tempDir();
  const server = new ServerProcess(PRODUCT_ENTRY, {
    DATA_DIR: dataDir,
    JOB_SECRET: 'bench-job-secret-0123456789abcdef',
    CHECKLIST_TIMEZONE: 'UTC',
    CARD_UPDATE_DELAY_MS: String(cardUpdateDelayMs),
    TEAMS_REQUESTS_PER_SECOND: String(opts.appRps),
    LOG_LEVEL: opts.logLevel,
  });
  let product: VariantResult;
  let client: BurstClient | undefined;
  try {
    await server.start();
    await sleep(1000);
    const idleRssKiB = server.rssKiB();
    const channels = channelNames.map(channel);
    for (const c of channels) {
      const r = await server.post('/api/messages', installationAdd(connector.url, c));
      if (r.status !== 200) throw new Error(`install failed: ${r.status} ${r.text}`);
    }
    const job = await server.post('/api/jobs/post-checklist', {}, { authorization: 'Bearer bench-job-secret-0123456789abcdef' });
    if (job.status !== 200 || job.json?.result?.posted !== channels.length) throw new Error(`post-checklist: ${job.status} ${job.text}`);
    const cards = new Map<string, Card>();
    for (const c of connector.calls.filter((x) => x.kind === 'create' && x.status === 201)) {
      const ref = cardRef(cardsIn(c.body)[0]);
      if (ref && c.response?.activityId) cards.set(c.key, { channelId: c.key, ...ref, thread: { conversationId: c.response.id, activityId: c.response.activityId } });
    }
    await connector.waitQuiet(500, 5000);
    client = new BurstClient(server.url, maxUsers);
    const unloaded = await warmUp(client, connector, cards.get(channels[0]!)!);
    const bySize = new Map<number, BurstResult[]>();
    for (const [i, p] of plan.entries()) {
      const card = cards.get(channel(p.name))!;
      const { lastAnswer, lastBody, ...b } = await burst(server, client, connector, card, p.n, 10_000 * (i + 1), settle, dataDir);
      b.acksInStatus = await acksInStatus(server, connector, card.channelId);
      bySize.set(p.n, [...(bySize.get(p.n) ?? []), b]);
      if (lastAnswer && lastBody) answers.set(p.n, { answer: lastAnswer, body: lastBody });
    }
    const bursts = opts.sizes.map((n) => pooled(bySize.get(n)!));
    product = { startMs: round(server.startMs), idleRssKiB, rssAfterKiB: server.rssKiB(), unloadedLatencyMs: unloaded, bursts };
  } finally {
    client?.close();
    await server.stop();
    await connector.stop();
    removeDir(dataDir);
  }

  // ---- Naive -------------------------------------------------------------------------------------
  const nConnector = await new RateLimitedConnector({ appRequestsPerSecond: opts.appRps, latencyMs: opts.latencyMs }).start();
  const nDir = tempDir();
  const naiveServer = new ServerProcess(path.join(ROOT, 'bench', 'naive', 'ack-server.ts'), { DATA_DIR: nDir });
  let naive: VariantResult;
  let nClient: BurstClient | undefined;
  try {
    const cards = new Map<string, Card>();
    for (const name of channelNames) {
      const c = channel(name);
      const { post, thread } = await seedPostedCard(nDir, nConnector.url, c);
      cards.set(c, { channelId: c, postId: post.id, periodKey: post.periodKey, thread });
    }
    await naiveServer.start();
    await sleep(1000);
    const idleRssKiB = naiveServer.rssKiB();
    nClient = new BurstClient(naiveServer.url, maxUsers);
    const unloaded = await warmUp(nClient, nConnector, cards.get(channel('warm'))!);
    const bySize = new Map<number, BurstResult[]>();
    for (const [i, p] of plan.entries()) {
      // Updates happen inside the invokes: once all are answered, nothing more is coming.
      const { lastAnswer: _a, lastBody: _b, ...b } = await burst(naiveServer, nClient, nConnector, cards.get(channel(p.name))!, p.n, 10_000 * (i + 1), { quietMs: 300, maxMs: 10_000 }, nDir);
      bySize.set(p.n, [...(bySize.get(p.n) ?? []), b]);
    }
    const stats = await (await fetch(`${naiveServer.url}/stats`)).json();
    naive = { startMs: round(naiveServer.startMs), idleRssKiB, rssAfterKiB: naiveServer.rssKiB(), unloadedLatencyMs: unloaded, bursts: opts.sizes.map((n) => pooled(bySize.get(n)!)), serverStats: stats };
  } finally {
    nClient?.close();
    await naiveServer.stop();
    await nConnector.stop();
    removeDir(nDir);
  }

  // ---- The floor: servers that do no work, answering with Rounds' own last answer -----------------
  const floors: FloorResult[] = [];
  const answerDir = tempDir();
  try {
    for (const n of opts.sizes) {
      const a = answers.get(n);
      if (!a) continue;
      const file = path.join(answerDir, `answer-${n}.json`);
      fs.writeFileSync(file, a.answer);
      const bare = await floorP99('http', file, a.body, n, repeats[n]!);
      const withExpress = await floorP99('express', file, a.body, n, repeats[n]!);
      const stack = await floorP99('stack', file, a.body, n, repeats[n]!);
      floors.push({
        users: n,
        bareHttpP99: bare.p99,
        bareHttpCpuMs: bare.cpuMs,
        bareExpressP99: withExpress.p99,
        bareExpressCpuMs: withExpress.cpuMs,
        stackP99: stack.p99,
        stackCpuMs: stack.cpuMs,
        answerBytes: Buffer.byteLength(a.answer),
      });
    }
  } finally {
    removeDir(answerDir);
  }

  return { sizes: opts.sizes, repeats, floors, cardUpdateDelayMs, appRequestsPerSecond: opts.appRps, connectorLatencyMs: opts.latencyMs, product, naive };
}

export function ackBurstTables(r: AckBurstResult): Table[] {
  return r.sizes.map((n, i) => {
    const p = r.product.bursts[i]!;
    const q = r.naive.bursts[i]!;
    const f = r.floors.find((x) => x.users === n);
    const small = n <= 50;
    const reps = r.repeats?.[n] ?? p.repeats ?? 1;
    return {
      title: `1. Ack burst — ${n} distinct users click Acknowledge on one card at once (${reps} bursts, ${n * reps} clicks pooled)`,
      rows: [
        { metric: 'Invoke latency p50 (ms)', product: p.latencyMs.p50, naive: q.latencyMs.p50, ratio: ratio(q.latencyMs.p50, p.latencyMs.p50) },
        { metric: 'Invoke latency p95 (ms)', product: p.latencyMs.p95, naive: q.latencyMs.p95, ratio: ratio(q.latencyMs.p95, p.latencyMs.p95) },
        {
          metric: 'Invoke latency p99 (ms)',
          product: p.latencyMs.p99,
          naive: q.latencyMs.p99,
          ratio: ratio(q.latencyMs.p99, p.latencyMs.p99),
          target: '≤ 50',
          ok: p.latencyMs.p99 <= 50,
        },
        { metric: 'Floor: same burst of GET /healthz on Rounds, p99 (ms)', product: p.httpFloorP99 ?? '', naive: '' },
        { metric: `Floor: bare node:http answering the same ${f ? round(f.answerBytes / 1024) : '–'} KB, p99 (ms) · its CPU per request`, product: f ? `${f.bareHttpP99} · ${f.bareHttpCpuMs ?? '–'}` : '–', naive: '' },
        { metric: 'Floor: bare express + JSON parser, same answer, p99 (ms) · its CPU per request', product: f ? `${f.bareExpressP99} · ${f.bareExpressCpuMs ?? '–'}` : '–', naive: '' },
        { metric: "Floor: Rounds' HTTP + bot stack, services answering at once, p99 (ms) · its CPU per invoke", product: f?.stackP99 !== undefined ? `${f.stackP99} · ${f.stackCpuMs ?? '–'}` : '–', naive: '' },
        { metric: 'Server CPU per invoke under load (ms)', product: p.serverCpuMsPerInvoke ?? '–', naive: q.serverCpuMsPerInvoke ?? '–' },
        { metric: 'Last answer ÷ clicks (ms per invoke under load)', product: p.perInvokeMs, naive: q.perInvokeMs },
        { metric: 'Invokes answered with a card', product: `${p.answered}/${p.clicks}`, naive: `${q.answered}/${q.clicks}`, target: 'all', ok: p.answered === p.clicks },
        {
          metric: 'Acks recorded in the store / clicks',
          product: `${p.acksRecorded}/${p.clicks}`,
          naive: `${q.acksRecorded}/${q.clicks}`,
          target: 'equal',
          ok: p.acksRecorded === p.clicks,
        },
        {
          metric: 'Acks on the final card · in `status`',
          product: `${p.acksOnFinalCard ?? '–'} · ${p.acksInStatus ?? '–'}`,
          naive: `${q.acksOnFinalCard ?? '–'} · n/a`,
          target: `${n} · ${n}`,
          ok: p.acksOnFinalCard === n && p.acksInStatus === n,
        },
        {
          metric: 'Card-update calls (accepted)',
          product: `${p.updateCalls} (${p.updatesAccepted})`,
          naive: `${q.updateCalls} (${q.updatesAccepted})`,
          ratio: ratio(q.updateCalls, p.updateCalls),
          target: small ? '≤ 5' : '',
          ok: small ? p.updateCalls <= 5 : undefined,
        },
        { metric: '429s received', product: p.throttled, naive: q.throttled, ratio: ratio(q.throttled, p.throttled), target: '0', ok: p.throttled === 0 },
        { metric: 'Burst start → final card accepted (ms)', product: p.convergedMs ?? '–', naive: q.convergedMs ?? '–' },
      ],
      notes: [
        `Unloaded single click (sequential, after warm-up): p50 ${r.product.unloadedLatencyMs.p50} ms Rounds, ${r.naive.unloadedLatencyMs.p50} ms naive.`,
        `Clicks go over ${n} kept-alive connections opened before each burst (as Azure Bot Service's pooled client does); per-burst figures (update calls, final card) are the worst of the ${reps} bursts.`,
        'Floors: bench/reference/floor-server.ts does no work and answers every click with the bytes Rounds answered the last one with — what this machine\'s HTTP stack and this client cost before any bot code runs. bench/reference/stack-floor.ts is Rounds\' own server, adapter, teams-ai app and routes with services that answer at once (no store, no render): what the HTTP and bot stack (express, botbuilder, teams-ai, the activity checks) cost per turn.',
        `Connector enforces 7/1 s, 8/2 s, 60/30 s per conversation and ${r.appRequestsPerSecond} rps per app; answers after ${r.connectorLatencyMs} ms. CARD_UPDATE_DELAY_MS=${r.cardUpdateDelayMs} (default).`,
        'Naive = bench/naive/ack-server.ts: same store and card renderer, one updateActivity per click inside the invoke, 429 retried after Retry-After while the 5 s invoke budget lasts.',
      ],
    };
  });
}
