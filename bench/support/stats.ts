import os from 'node:os';
import { execFileSync } from 'node:child_process';

/** Nearest-rank percentile of `values` (0 < p ≤ 100). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

/** "12.3×" ratio text; guards 0/0. */
export function ratio(naive: number, product: number): string {
  if (product === 0 && naive === 0) return '=';
  if (product === 0) return `${naive} vs 0`;
  return `${round(naive / product, 1)}×`;
}

export interface Row {
  metric: string;
  product: string | number;
  naive?: string | number;
  ratio?: string;
  target?: string;
  ok?: boolean;
}

export interface Table {
  title: string;
  rows: Row[];
  notes?: string[];
}

const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** A GitHub-flavoured Markdown table (readable in a terminal too). */
export function renderTable(t: Table): string {
  const withNaive = t.rows.some((r) => r.naive !== undefined);
  const head = ['Metric', 'Rounds', ...(withNaive ? ['Naive', 'Naive ÷ Rounds'] : []), 'Target', 'Met'];
  const lines = t.rows.map((r) => [
    r.metric,
    cell(r.product),
    ...(withNaive ? [cell(r.naive), cell(r.ratio)] : []),
    cell(r.target),
    r.ok === undefined ? '' : r.ok ? 'yes' : '**NO**',
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
  return [
    `### ${t.title}`,
    '',
    fmt(head),
    `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(fmt),
    ...(t.notes?.length ? ['', ...t.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}

export interface Machine {
  nproc: number;
  cpu: string;
  memory: string;
  node: string;
  platform: string;
  at: string;
  /** 1-minute load average when the run started and when it ended (other work on the machine skews timings). */
  loadAverage: { start: number; end?: number };
}

export function machine(): Machine {
  let memory = `${Math.round(os.totalmem() / 2 ** 30)} GiB total`;
  try {
    const free = execFileSync('free', ['-h'], { encoding: 'utf8' });
    const m = /^Mem:\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(free);
    if (m) memory = `${m[1]} total, ${m[2]} used, ${m[3]} free (free -h)`;
  } catch {
    /* not Linux */
  }
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memory,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    at: new Date().toISOString(),
    loadAverage: { start: round(os.loadavg()[0]!, 2) },
  };
}
