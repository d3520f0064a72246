import { RateLimitedConnector, type ConnectorCall } from '../connector';
import { naiveFanOut, type NaiveFanOutResult } from '../naive/fanout';
import { channel } from '../support/activities';
import { PRODUCT_ENTRY, ServerProcess, removeDir, tempDir } from '../support/process';
import { seedTargets, withStore } from '../support/seed';
import { ratio, round, type Table } from '../support/stats';

/**
 * Scenario 2 — the weekly fan-out to many channels. Targets are seeded through the Store API (an install activity
 * writes the same row, plus a welcome card we do not want in the count), then POST /api/jobs/post-checklist
 * triggers the real fan-out. The bound is what the per-app limit in force allows: targets / rps.
 */
export interface ProductFanOut {
  targets: number;
  appRequestsPerSecond: number;
  connectorLatencyMs: number;
  fanOutConcurrency: number;
  boundMs: number;
  /** The job request, start to answer. */
  wallMs: number;
  /** First to last createConversation the connector saw. */
  spanMs: number;
  posted: number;
  duplicates: number;
  lost: number;
  throttled: number;
  throttledThenPosted: number;
  /** Which connector limit each 429 came from. */
  throttledBy: Record<string, number>;
  /** TEAMS_REQUESTS_PER_SECOND given to Rounds (normally = the connector's limit). */
  pacedAt: number;
  peakPerSecond: number;
  /** Accepted createConversation calls in each second of the run. */
  perSecond: number[];
  /** CPU the server process used during the job (ms): near wallMs means the server itself is the bottleneck. */
  serverCpuMs?: number;
  postsSentInStore: number;
  jobReport: unknown;
}

export interface FanOutResult {
  product: ProductFanOut;
  naive?: NaiveFanOutResult & { boundMs: number; peakPerSecond: number };
  /** The same fan-out at a slower (Teams-like) connector latency and the real 30 rps budget. */
  slow?: ProductFanOut;
}

const SECRET = 'bench-job-secret-0123456789abcdef';

function peakPerSecond(calls: ConnectorCall[]): number {
  const at = calls.filter((c) => c.status < 300).map((c) => c.at).sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; j < at.length; j++) {
    while (at[j]! - at[i]! >= 1000) i++;
    max = Math.max(max, j - i + 1);
  }
  return max;
}

function perSecond(calls: ConnectorCall[]): number[] {
  if (!calls.length) return [];
  const t0 = calls[0]!.at;
  const out: number[] = [];
  for (const c of calls) if (c.status < 300) out[Math.floor((c.at - t0) / 1000)] = (out[Math.floor((c.at - t0) / 1000)] ?? 0) + 1;
  return Array.from(out, (n) => n ?? 0);
}

async function productFanOut(opts: { targets: number; appRps: number; latencyMs: number; logLevel: string; concurrency?: number; paceRps?: number }): Promise<{ result: ProductFanOut; template?: any; channels: string[] }> {
  const connector = await new RateLimitedConnector({ appRequestsPerSecond: opts.appRps, latencyMs: opts.latencyMs, keepBodies: ['create'] }).start();
  const dataDir = tempDir();
  const channels = Array.from({ length: opts.targets }, (_, i) => channel(`fan-${String(i).padStart(4, '0')}`));
  await seedTargets(dataDir, connector.url, channels);
  const concurrency = opts.concurrency ?? 32; // the product default (FANOUT_CONCURRENCY)
  const pacedAt = opts.paceRps ?? opts.appRps;
  const server = new ServerProcess(PRODUCT_ENTRY, {
    DATA_DIR: dataDir,
    JOB_SECRET: SECRET,
    CHECKLIST_TIMEZONE: 'UTC',
    TEAMS_REQUESTS_PER_SECOND: String(pacedAt),
    ...(opts.concurrency ? { FANOUT_CONCURRENCY: String(opts.concurrency) } : {}),
    LOG_LEVEL: opts.logLevel,
  });
  try {
    await server.start();
    const cpu0 = server.cpuMs();
    const t0 = performance.now();
    const job = await server.post('/api/jobs/post-checklist', {}, { authorization: `Bearer ${SECRET}` });
    const wallMs = performance.now() - t0;
    const cpu1 = server.cpuMs();
    if (job.status !== 200) throw new Error(`post-checklist answered ${job.status}: ${job.text}`);
    const creates = connector.calls.filter((c) => c.kind === 'create');
    const okPer = new Map<string, number>();
    for (const c of creates) if (c.status === 201) okPer.set(c.key, (okPer.get(c.key) ?? 0) + 1);
    const throttledKeys = new Set(creates.filter((c) => c.status === 429).map((c) => c.key));
    const postsSentInStore = await withStore(dataDir, async (s) => (await s.listPostsByStatus('sent')).length);
    // One body to replay in the naive run (same card, same size).
    const first = creates.find((c) => c.status === 201);
    const template = first?.body;
    for (const c of creates) delete c.body;
    return {
      channels,
      template,
      result: {
        targets: opts.targets,
        appRequestsPerSecond: opts.appRps,
        connectorLatencyMs: opts.latencyMs,
        fanOutConcurrency: concurrency,
        boundMs: (opts.targets / opts.appRps) * 1000,
        wallMs: round(wallMs, 0),
        spanMs: creates.length ? creates.at(-1)!.at - creates[0]!.at : 0,
        posted: [...okPer.values()].filter((n) => n > 0).length,
        duplicates: [...okPer.values()].reduce((s, n) => s + Math.max(0, n - 1), 0),
        lost: channels.filter((c) => !okPer.get(c)).length,
        throttled: creates.filter((c) => c.status === 429).length,
        throttledThenPosted: [...throttledKeys].filter((k) => okPer.get(k)).length,
        throttledBy: creates.filter((c) => c.status === 429).reduce<Record<string, number>>((m, c) => ((m[c.limit ?? '?'] = (m[c.limit ?? '?'] ?? 0) + 1), m), {}),
        pacedAt,
        peakPerSecond: peakPerSecond(connector.calls),
        perSecond: perSecond(creates),
        serverCpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined,
        postsSentInStore,
        jobReport: job.json?.result,
      },
    };
  } finally {
    await server.stop();
    await connector.stop();
    removeDir(dataDir);
  }
}

export async function runFanOut(opts: { targets: number; appRps: number; latencyMs: number; logLevel: string; slow?: boolean; paceRps?: number; naive?: boolean }): Promise<FanOutResult> {
  const { result: product, channels, template } = await productFanOut(opts);
  if (!template) throw new Error('Rounds posted nothing: no createConversation body to replay naively');

  let naive: FanOutResult['naive'];
  if (opts.naive !== false) {
    const connector = await new RateLimitedConnector({ appRequestsPerSecond: opts.appRps, latencyMs: opts.latencyMs, keepBodies: [] }).start();
    try {
      const r = await naiveFanOut({ connectorUrl: connector.url, channels, template, timeCapMs: 120_000 });
      naive = { ...r, boundMs: (opts.targets / opts.appRps) * 1000, peakPerSecond: peakPerSecond(connector.calls) };
    } finally {
      await connector.stop();
    }
  }

  let slow: ProductFanOut | undefined;
  if (opts.slow !== false) {
    slow = (await productFanOut({ targets: 150, appRps: 30, latencyMs: 400, logLevel: opts.logLevel })).result;
  }
  return { product, naive, slow };
}

export function fanOutTables(r: FanOutResult): Table[] {
  const p = r.product;
  const n = r.naive;
  const s = (ms: number) => round(ms / 1000, 1);
  const rows: Table['rows'] = [
    { metric: `Bound = ${p.targets} / ${p.appRequestsPerSecond} rps (s)`, product: s(p.boundMs), naive: n ? s(n.boundMs) : undefined },
    {
      metric: 'Wall time (s)',
      product: s(p.wallMs),
      naive: n ? s(n.wallMs) : undefined,
      ratio: n ? ratio(n.wallMs, p.wallMs) : undefined,
    },
    {
      metric: 'Wall time ÷ bound',
      product: round(p.wallMs / p.boundMs, 2),
      naive: n ? round(n.wallMs / n.boundMs, 2) : undefined,
      target: '≤ 1.2',
      ok: p.wallMs / p.boundMs <= 1.2,
    },
    { metric: 'Channels posted', product: `${p.posted}/${p.targets}`, naive: n ? `${n.posted}/${n.targets}` : undefined },
    { metric: 'Duplicates', product: p.duplicates, naive: n ? 0 : undefined, target: '0', ok: p.duplicates === 0 },
    { metric: 'Lost', product: p.lost, naive: n ? n.lost + n.notAttempted : undefined, target: '0', ok: p.lost === 0 },
    {
      metric: '429s received (retried → posted)',
      product: `${p.throttled} (${p.throttledThenPosted})${p.throttled ? ` [${Object.entries(p.throttledBy).map(([k, v]) => `${k}: ${v}`).join(', ')}]` : ''}`,
      naive: n ? `${n.throttled}` : undefined,
      ratio: n ? ratio(n.throttled, p.throttled) : undefined,
    },
    { metric: 'Peak accepted calls in any 1 s', product: p.peakPerSecond, naive: n?.peakPerSecond },
    { metric: 'Server CPU during the job (s)', product: p.serverCpuMs === undefined ? '–' : s(p.serverCpuMs) },
    { metric: 'Posts marked sent in the store', product: `${p.postsSentInStore}/${p.targets}` },
  ];
  const tables: Table[] = [
    {
      title: `2. Weekly fan-out — ${p.targets} channels, per-app limit ${p.appRequestsPerSecond} rps`,
      rows,
      notes: [
        `Rounds: TEAMS_REQUESTS_PER_SECOND=${p.pacedAt}${p.pacedAt === p.appRequestsPerSecond ? ' (the limit in force)' : ` (connector limit ${p.appRequestsPerSecond})`}, FANOUT_CONCURRENCY=${p.fanOutConcurrency}; connector answers after ${p.connectorLatencyMs} ms and enforces the same ${p.appRequestsPerSecond} rps.`,
        'Naive = bench/naive/fanout.ts: one createConversation after another, unpaced, 429 retried after Retry-After (≤ 6 attempts).',
        `Job report: ${JSON.stringify(p.jobReport)}.`,
        `Accepted posts per second: ${p.perSecond.join(' ')}.`,
      ],
    },
  ];
  if (r.slow) {
    const q = r.slow;
    tables.push({
      title: `2b. Fan-out at a slower connector — ${q.targets} channels, ${q.appRequestsPerSecond} rps, ${q.connectorLatencyMs} ms per call`,
      rows: [
        { metric: `Bound = ${q.targets} / ${q.appRequestsPerSecond} rps (s)`, product: s(q.boundMs) },
        { metric: 'Wall time (s)', product: s(q.wallMs) },
        { metric: 'Wall time ÷ bound', product: round(q.wallMs / q.boundMs, 2), target: '≤ 1.2', ok: q.wallMs / q.boundMs <= 1.2 },
        { metric: 'Posted · duplicates · lost · 429s', product: `${q.posted} · ${q.duplicates} · ${q.lost} · ${q.throttled}` },
        { metric: 'Peak accepted calls in any 1 s', product: q.peakPerSecond },
        { metric: 'Server CPU during the job (s)', product: q.serverCpuMs === undefined ? '–' : s(q.serverCpuMs) },
      ],
      notes: [
        `With FANOUT_CONCURRENCY=${q.fanOutConcurrency} posts in flight, throughput is at most concurrency ÷ latency = ${round(q.fanOutConcurrency / (q.connectorLatencyMs / 1000), 1)}/s, whatever the rps budget.`,
      ],
    });
  }
  return tables;
}
