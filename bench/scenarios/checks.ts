import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createCheckEnvironment, type CheckEnvironment } from '../../src/checks/environment';
import { CLOUD_APPS_ROUTES, GRAPH_ROUTES } from '../../src/sample-tenant/routes';
import { RunChecksService } from '../../src/services/run-checks';
import { CardUpdater } from '../../src/services/card-updater';
import { RunningChecks } from '../../src/services/running-checks';
import type { ServiceDeps } from '../../src/services/context';
import type { Store } from '../../src/store/store';
import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';
import { systemClock } from '../../src/domain/clock';
import { runSequentially } from '../naive/checks';
import { median, ratio, round, type Table } from '../support/stats';
import { removeDir, tempDir } from '../support/process';

/**
 * Scenario 3 — "check all". The check registry the server builds (createCheckEnvironment, SAMPLE_TENANT=true) with
 * every sample-tenant answer delayed by the upstream latency, paged answers (Secure Score profiles 10 per page,
 * Message center 3 per page), and the sample tenant enforcing Cloud Apps' 30 calls/minute (429 past it).
 * Rounds = RunChecksService.runMany (what "check all" calls); naive = the same checks one after another.
 * Each mode gets its own environment (own sample tenant, own Cloud Apps limiter).
 */
export interface ChecksMode {
  wallMs: number[];
  medianWallMs: number;
  upstreamCallsPerRun: number;
  cloudAppsCallsPerRun: number;
  graphCallsPerRun: number;
  maxCloudAppsPerMinute: number;
  cloudApps429s: number;
  statuses: Record<string, string>;
}

export interface ChecksResult {
  upstreamLatencyMs: number;
  reps: number;
  checks: string[];
  /** Median duration of each check run alone (from the sequential runs). */
  singleMs: Record<string, number>;
  slowestSingleMs: number;
  slowestCheck: string;
  product: ChecksMode;
  naive: ChecksMode & { perCheckMs: number[][] };
  /** Several "check all" at once in one tenant, past the 30/minute budget: does the limiter hold? */
  burst?: { concurrentRuns: number; wallMs: number; cloudAppsCalls: number; maxCloudAppsPerMinute: number; cloudApps429s: number; errors: number };
}

function makeService(env: CheckEnvironment): { service: RunChecksService; memory: Map<string, unknown> } {
  const memory = new Map<string, unknown>();
  // RunChecksService.run touches only the store's check memory; the rest of the Store is never called here.
  const store = {
    getMemory: async (scope: string, key: string) => memory.get(`${scope}\u0000${key}`),
    putMemory: async (scope: string, key: string, value: unknown) => void memory.set(`${scope}\u0000${key}`, value),
  } as unknown as Store;
  const refuse = async () => {
    throw new Error('the checks bench sends nothing to Teams');
  };
  const deps: ServiceDeps = {
    store,
    clock: systemClock,
    logger: createLogger('silent'),
    messenger: { post: refuse, update: refuse, reply: refuse },
    checklist: WEEKLY_CHECKLIST,
    checks: env.registry,
    settings: {
      defaultTimeZone: 'UTC',
      checklistSchedule: '0 9 * * 1',
      reminderSchedule: '0 9 * * 4',
      cardUpdateDelayMs: 1000,
      postLeaseMs: 120_000,
      checkInlineWaitMs: 3000,
      checkScope: 'sample',
      ackAllowed: [],
      instanceId: 'bench',
    },
  };
  const running = new RunningChecks();
  return { service: new RunChecksService(deps, new CardUpdater(deps, running), running), memory };
}

async function environment(upstreamLatencyMs: number, dataDir: string): Promise<CheckEnvironment> {
  const config = loadConfig({ SAMPLE_TENANT: 'true', DATA_DIR: dataDir, LOG_LEVEL: 'silent', HOST: '127.0.0.1' });
  const env = await createCheckEnvironment(config, createLogger('silent'), {
    sampleTenant: { cloudAppsBudget: { perMinute: 30, mode: '429' } },
  });
  if (!env.sampleTenant) throw new Error('the sample tenant did not start');
  if (upstreamLatencyMs > 0) env.sampleTenant.faults.add({ route: '*', delayMs: upstreamLatencyMs });
  return env;
}

function tally(env: CheckEnvironment, runs: number) {
  const log = env.sampleTenant!.log;
  const ca = [...CLOUD_APPS_ROUTES];
  return {
    upstreamCallsPerRun: round(log.count() / runs, 1),
    cloudAppsCallsPerRun: round(log.count(ca) / runs, 1),
    graphCallsPerRun: round(log.count([...GRAPH_ROUTES]) / runs, 1),
    maxCloudAppsPerMinute: log.maxInWindow(ca, 60_000),
    cloudApps429s: log.requests.filter((r) => ca.includes(r.route as (typeof ca)[number]) && r.status === 429).length,
  };
}

export async function runChecks(opts: { upstreamLatencyMs: number; reps?: number; burstRuns?: number }): Promise<ChecksResult> {
  const reps = opts.reps ?? 3;
  const dataDir = tempDir();
  try {
    // ---- naive: one after another (also times each check alone) ----
    const envN = await environment(opts.upstreamLatencyMs, dataDir);
    const checks = envN.registry.list();
    const naiveWall: number[] = [];
    const perCheckMs: number[][] = [];
    let naiveStatuses: Record<string, string> = {};
    try {
      const { service, memory } = makeService(envN);
      await runSequentially(service, checks); // warm-up, not timed
      for (let i = 0; i < reps; i++) {
        memory.clear();
        const t0 = performance.now();
        const { outcomes, perCheckMs: ms } = await runSequentially(service, checks);
        naiveWall.push(performance.now() - t0);
        perCheckMs.push(ms.map((m) => round(m, 0)));
        naiveStatuses = Object.fromEntries(outcomes.map((o) => [o.checkId, o.status]));
      }
    } finally {
      await envN.close();
    }
    const naiveTally = tally(envN, reps + 1);

    // ---- Rounds: runMany (parallel, each client paces itself) ----
    const envP = await environment(opts.upstreamLatencyMs, dataDir);
    const productWall: number[] = [];
    let productStatuses: Record<string, string> = {};
    try {
      const { service, memory } = makeService(envP);
      await service.runMany(envP.registry.list()); // warm-up, not timed
      for (let i = 0; i < reps; i++) {
        memory.clear();
        const t0 = performance.now();
        const outcomes = await service.runMany(envP.registry.list());
        productWall.push(performance.now() - t0);
        productStatuses = Object.fromEntries(outcomes.map((o) => [o.checkId, o.status]));
      }
    } finally {
      await envP.close();
    }
    const productTally = tally(envP, reps + 1);

    const singleMs = Object.fromEntries(checks.map((c, i) => [c.id, round(median(perCheckMs.map((r) => r[i]!)), 0)]));
    const slowestCheck = Object.entries(singleMs).sort((a, b) => b[1] - a[1])[0]![0];

    // ---- burst: enough concurrent "check all" to pass the 30/minute budget ----
    let burst: ChecksResult['burst'];
    const perRun = productTally.cloudAppsCallsPerRun;
    const burstRuns = opts.burstRuns ?? (perRun > 0 ? Math.floor(30 / perRun) + 1 : 0);
    if (burstRuns > 0) {
      const envB = await environment(opts.upstreamLatencyMs, dataDir);
      try {
        const runs = Array.from({ length: burstRuns }, () => makeService(envB).service);
        const t0 = performance.now();
        const all = await Promise.all(runs.map((s) => s.runMany(envB.registry.list())));
        const wallMs = performance.now() - t0;
        const t = tally(envB, 1);
        burst = {
          concurrentRuns: burstRuns,
          wallMs: round(wallMs, 0),
          cloudAppsCalls: t.cloudAppsCallsPerRun,
          maxCloudAppsPerMinute: t.maxCloudAppsPerMinute,
          cloudApps429s: t.cloudApps429s,
          errors: all.flat().filter((o) => o.status === 'error').length,
        };
      } finally {
        await envB.close();
      }
    }

    return {
      upstreamLatencyMs: opts.upstreamLatencyMs,
      reps,
      checks: checks.map((c) => c.id),
      singleMs,
      slowestSingleMs: singleMs[slowestCheck]!,
      slowestCheck,
      product: { wallMs: productWall.map((m) => round(m, 0)), medianWallMs: round(median(productWall), 0), statuses: productStatuses, ...productTally },
      naive: { wallMs: naiveWall.map((m) => round(m, 0)), medianWallMs: round(median(naiveWall), 0), statuses: naiveStatuses, perCheckMs, ...naiveTally },
      burst,
    };
  } finally {
    removeDir(dataDir);
  }
}

export function checksTables(r: ChecksResult): Table[] {
  const p = r.product;
  const n = r.naive;
  const rows: Table['rows'] = [
    { metric: `Slowest single check (${r.slowestCheck}) (ms)`, product: r.slowestSingleMs, naive: r.slowestSingleMs },
    { metric: `Check all, median of ${r.reps} (ms)`, product: p.medianWallMs, naive: n.medianWallMs, ratio: ratio(n.medianWallMs, p.medianWallMs) },
    {
      metric: 'Check all ÷ slowest single',
      product: round(p.medianWallMs / r.slowestSingleMs, 2),
      naive: round(n.medianWallMs / r.slowestSingleMs, 2),
      target: '≤ 1.3',
      ok: p.medianWallMs / r.slowestSingleMs <= 1.3,
    },
    { metric: 'Upstream calls per check all (Graph + Cloud Apps)', product: `${p.upstreamCallsPerRun} (${p.graphCallsPerRun} + ${p.cloudAppsCallsPerRun})`, naive: `${n.upstreamCallsPerRun} (${n.graphCallsPerRun} + ${n.cloudAppsCallsPerRun})` },
    {
      metric: `Most Cloud Apps calls in any minute (${r.reps + 1} runs)`,
      product: p.maxCloudAppsPerMinute,
      naive: n.maxCloudAppsPerMinute,
      target: '≤ 30',
      ok: p.maxCloudAppsPerMinute <= 30,
    },
  ];
  if (r.burst) {
    const b = r.burst;
    rows.push({
      metric: `${b.concurrentRuns} × check all at once: Cloud Apps calls · max/minute · 429s`,
      product: `${b.cloudAppsCalls} · ${b.maxCloudAppsPerMinute} · ${b.cloudApps429s}`,
      target: 'max ≤ 30, 0 429s',
      ok: b.maxCloudAppsPerMinute <= 30 && b.cloudApps429s === 0,
    });
    rows.push({ metric: `${b.concurrentRuns} × check all at once: wall (ms) · errored checks`, product: `${b.wallMs} · ${b.errors}` });
  }
  return [
    {
      title: `3. Check all — ${r.checks.length} checks, ${r.upstreamLatencyMs} ms per upstream call, paged answers`,
      rows,
      notes: [
        `Single checks (median ms, run alone): ${Object.entries(r.singleMs).map(([k, v]) => `${k} ${v}`).join(', ')}. Outcomes: ${Object.entries(p.statuses).map(([k, v]) => `${k}=${v}`).join(', ')}.`,
        'Rounds = RunChecksService.runMany; naive = bench/naive/checks.ts, the same RunChecksService.run one check after another. Sample tenant answers 429 past 30 Cloud Apps calls in a rolling minute.',
      ],
    },
  ];
}
