import { Transform } from 'node:stream';

/**
 * A small formatter for pino's JSON lines, for `npm run dev`: `12:01:32 INFO  message  key=value …`.
 * Lines that are not pino JSON pass through unchanged. Production keeps emitting JSON; this is console sugar only.
 */

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '\x1b[90m' },
  20: { name: 'DEBUG', color: '\x1b[36m' },
  30: { name: 'INFO ', color: '\x1b[32m' },
  40: { name: 'WARN ', color: '\x1b[33m' },
  50: { name: 'ERROR', color: '\x1b[31m' },
  60: { name: 'FATAL', color: '\x1b[35m' },
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Keys every pino line has, or that are shown elsewhere on the line. */
const HIDDEN = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname', 'v']);

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  if (v === null || typeof v !== 'object') return String(v);
  const json = JSON.stringify(v);
  return json.length > 200 ? `${json.slice(0, 197)}…` : json;
}

export function formatLogLine(line: string, color = false): string {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return line;
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof rec.level !== 'number' || typeof rec.time !== 'number') return line;
  const t = new Date(rec.time);
  const time = `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`;
  const level = LEVELS[rec.level] ?? { name: String(rec.level).padEnd(5), color: '' };
  const fields: string[] = [];
  let errText = '';
  for (const [k, v] of Object.entries(rec)) {
    if (HIDDEN.has(k)) continue;
    if (k === 'err' && v && typeof v === 'object') {
      const e = v as { type?: string; message?: string; stack?: string };
      errText = `\n${e.stack ?? `${e.type ?? 'Error'}: ${e.message ?? ''}`}`.replace(/\n/g, '\n    ');
      fields.push(`err=${formatValue(e.message ?? e.type ?? 'error')}`);
      continue;
    }
    fields.push(`${k}=${formatValue(v)}`);
  }
  const msg = typeof rec.msg === 'string' ? rec.msg : '';
  const rest = fields.length ? `  ${color ? DIM : ''}${fields.join(' ')}${color ? RESET : ''}` : '';
  const lvl = color ? `${level.color}${level.name}${RESET}` : level.name;
  return `${time} ${lvl} ${msg}${rest}${errText}`;
}

/** A stream that formats pino JSON line by line (partial lines are held until their newline). */
export function prettyLogStream(opts: { color?: boolean; prefix?: string } = {}): Transform {
  let pending = '';
  const prefix = opts.prefix ?? '';
  const emit = (stream: Transform, line: string) => stream.push(`${prefix}${formatLogLine(line, opts.color)}\n`);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) emit(this, line);
      done();
    },
    flush(done) {
      if (pending.trim()) emit(this, pending);
      pending = '';
      done();
    },
  });
}
