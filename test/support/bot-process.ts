import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Runs the real bot as a child process (the production entry, through tsx so no build step is needed), on a random
 * port, and waits until it listens. Logs are kept so tests can assert on them.
 */
export class BotProcess {
  child?: ChildProcess;
  port = 0;
  logs = '';
  exitCode: number | null = null;
  private exited?: Promise<number | null>;

  constructor(readonly env: Record<string, string>) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 20_000): Promise<this> {
    this.logs = '';
    this.exitCode = null;
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src/index.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), PORT: '0', LOG_LEVEL: 'info', SCHEDULER_ENABLED: 'false', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve((this.exitCode = code))));
    const onData = (d: Buffer) => {
      this.logs += d.toString();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const m = /"port":(\d+)[^\n]*Rounds listening/.exec(this.logs);
      if (m) {
        this.port = Number(m[1]);
        return this;
      }
      if (this.exitCode !== null) throw new Error(`bot exited with ${this.exitCode}:\n${this.logs}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`bot did not start in ${timeoutMs} ms:\n${this.logs}`);
  }

  /** Start and expect the process to exit (configuration errors). */
  async startExpectingExit(timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src/index.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`did not exit:\n${output}`));
      }, timeoutMs);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    return { code, output };
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (!this.child || this.exitCode !== null) return this.exitCode;
    this.child.kill(signal);
    return this.exited!;
  }

  async post(pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; text: string }> {
    const res = await fetch(`${this.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  }
}

export function tempDir(prefix = 'rounds-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
