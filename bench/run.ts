/**
 * `npm run bench` — drives the real Rounds server over HTTP against a loopback Bot Connector that enforces Teams'
 * rate limits, and the check registry against the sample tenant with upstream latency; each scenario side by side
 * with the naive way. Prints Markdown tables and writes bench/results.json (gitignored).
 *
 *   npm run bench                         all scenarios
 *   npm run bench -- --only=ack,fanout    some of: ack, fanout, checks, footprint
 *   npm run bench -- --docs               also rewrite docs/performance.md with this run's tables
 *   npm run bench -- --docs-only          rewrite docs/performance.md from the last bench/results.json, run nothing
 *
 * Knobs (environment): BENCH_APP_RPS (per-app limit for the fan-out, default 100), BENCH_FANOUT_TARGETS (1000),
 * BENCH_TEAMS_LATENCY_MS (connector answer delay, default 20), BENCH_UPSTREAM_LATENCY_MS (sample tenant, 200),
 * BENCH_LOG_LEVEL (server log level, default info).
 * All traffic stays on 127.0.0.1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ackBurstTables, runAckBurst, type AckBurstResult } from './scenarios/ack-burst';
import { fanOutTables, runFanOut, type FanOutResult } from './scenarios/fanout';
import { checksTables, runChecks, type ChecksResult } from './scenarios/checks';
import { footprintTables, runFootprint, type FootprintResult } from './scenarios/footprint';
import { ROOT } from './support/process';
import { machine, renderTable, type Table } from './support/stats';
import { renderDocs } from './support/docs';

const num = (name: string, dflt: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && process.env[name] !== '' && process.env[name] !== undefined ? v : dflt;
};

export interface BenchResults {
  machine: ReturnType<typeof machine>;
  settings: Record<string, number | string>;
  durationMs: number;
  ack?: AckBurstResult;
  fanOut?: FanOutResult;
  checks?: ChecksResult;
  footprint?: FootprintResult;
  tables: Table[];
  errors: Array<{ scenario: string; error: string }>;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--docs-only')) {
    const last = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
    fs.writeFileSync(path.join(ROOT, 'docs', 'performance.md'), renderDocs(last));
    process.stdout.write('Wrote docs/performance.md from bench/results.json.\n');
    return;
  }
  const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
  const want = (s: string) => !only || only.includes(s);
  const settings = {
    appRpsFanOut: num('BENCH_APP_RPS', 100),
    appRpsAck: 30,
    fanOutTargets: num('BENCH_FANOUT_TARGETS', 1000),
    teamsLatencyMs: num('BENCH_TEAMS_LATENCY_MS', 20),
    upstreamLatencyMs: num('BENCH_UPSTREAM_LATENCY_MS', 200),
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
  const started = Date.now();
  const results: BenchResults = { machine: machine(), settings, durationMs: 0, tables: [], errors: [] };
  const show = (tables: Table[]) => {
    for (const t of tables) {
      results.tables.push(t);
      process.stdout.write(`\n${renderTable(t)}`);
    }
  };
  const step = async (name: string, fn: () => Promise<void>) => {
    if (!want(name)) return;
    const t = Date.now();
    process.stdout.write(`\n▶ ${name} …\n`);
    try {
      await fn();
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.errors.push({ scenario: name, error });
      process.stdout.write(`✖ ${name} failed: ${error}\n`);
    }
    process.stdout.write(`  (${name}: ${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
  };

  process.stdout.write(
    `Rounds bench on ${results.machine.nproc} CPU (${results.machine.cpu}), ${results.machine.memory}, Node ${results.machine.node}, load average ${results.machine.loadAverage.start}\n`,
  );

  await step('ack', async () => {
    results.ack = await runAckBurst({ sizes: [50, 200], latencyMs: settings.teamsLatencyMs, appRps: settings.appRpsAck, logLevel: settings.logLevel });
    show(ackBurstTables(results.ack));
  });
  await step('fanout', async () => {
    results.fanOut = await runFanOut({
      targets: settings.fanOutTargets,
      appRps: settings.appRpsFanOut,
      latencyMs: settings.teamsLatencyMs,
      logLevel: settings.logLevel,
    });
    show(fanOutTables(results.fanOut));
  });
  await step('checks', async () => {
    results.checks = await runChecks({ upstreamLatencyMs: settings.upstreamLatencyMs });
    show(checksTables(results.checks));
  });
  await step('footprint', async () => {
    results.footprint = await runFootprint({ ack: results.ack });
    show(footprintTables(results.footprint));
  });

  results.durationMs = Date.now() - started;
  results.machine.loadAverage.end = Math.round(os.loadavg()[0]! * 100) / 100;
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nLoad average (1 min): ${results.machine.loadAverage.start} at start, ${results.machine.loadAverage.end} at end.`);
  process.stdout.write(`\nWrote bench/results.json (${(results.durationMs / 1000).toFixed(1)} s total).\n`);
  if (args.includes('--docs')) {
    fs.writeFileSync(path.join(ROOT, 'docs', 'performance.md'), renderDocs(results));
    process.stdout.write('Wrote docs/performance.md.\n');
  }
  if (results.errors.length) process.exitCode = 1;
}

void main();
