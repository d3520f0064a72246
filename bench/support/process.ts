import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const PRODUCT_ENTRY = path.join(ROOT, 'src', 'index.ts');

export function tempDir(prefix = 'rounds-bench-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A free loopback port (closed again at once; the child binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A server as a child process (`node --require tsx/cjs <script>`, like test/support/bot-process.ts), on a port
 * chosen here, polled on /healthz until it answers. Records spawn→ready time; reads RSS from /proc.
 */
export class ServerProcess {
  child?: ChildProcess;
  port = 0;
  logs = '';
  exitCode: number | null = null;
  spawnedAt = 0;
  readyAt = 0;
  private exited?: Promise<number | null>;

  constructor(
    readonly script: string,
    readonly env: Record<string, string>,
    /** Extra node flags, e.g. ['--cpu-prof'] to profile a scenario. */
    readonly nodeArgs: string[] = [],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get startMs(): number {
    return this.readyAt - this.spawnedAt;
  }

  async start(timeoutMs = 30_000): Promise<this> {
    this.port = await freePort();
    this.spawnedAt = performance.now();
    const child = spawn(process.execPath, [...this.nodeArgs, '--require', 'tsx/cjs', this.script], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? os.tmpdir(),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SCHEDULER_ENABLED: 'false',
        ...this.env,
        PORT: String(this.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve((this.exitCode = code))));
    const onData = (d: Buffer) => {
      this.logs += d.toString();
      if (this.logs.length > 200_000) this.logs = this.logs.slice(-100_000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.exitCode !== null) throw new Error(`${path.basename(this.script)} exited with ${this.exitCode}:\n${this.logs.slice(-4000)}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        await res.text();
        if (res.ok) {
          this.readyAt = performance.now();
          return this;
        }
      } catch {
        /* not listening yet */
      }
      await sleep(10);
    }
    throw new Error(`${path.basename(this.script)} was not ready in ${timeoutMs} ms:\n${this.logs.slice(-4000)}`);
  }

  /** Resident set size of the child in KiB (Linux /proc). */
  rssKiB(): number | undefined {
    if (!this.child?.pid) return undefined;
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** CPU time (user + system) the child has used so far, in ms (Linux /proc; assumes CLK_TCK = 100). */
  cpuMs(): number | undefined {
    if (!this.child?.pid) return undefined;
    try {
      const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After "pid (comm) ": state is field 3, utime 14, stime 15 → indexes 11 and 12 here.
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return undefined;
    }
  }

  async post(pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: any }> {
    const res = await fetch(`${this.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }

  /** SIGTERM (graceful), SIGKILL after `graceMs`. Only this child is signalled. */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (!this.child || this.exitCode !== null) return this.exitCode;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    const code = await this.exited!;
    clearTimeout(t);
    return code;
  }
}
