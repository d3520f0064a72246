import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/**
 * Shared by `npm run dev` (scripts/dev.ts) and the browser test (test/e2e): ports, child process trees, and the
 * Microsoft 365 Agents Playground started fully offline.
 */

export const ROOT = path.resolve(__dirname, '..', '..');
export const PLAYGROUND_CONFIG = path.join(ROOT, '.m365agentsplayground.yml');

function tryListen(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'EADDRINUSE' && err.code !== 'EACCES'));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** True when something already listens on `port` (checked on loopback and on all interfaces). */
export async function portInUse(port: number): Promise<boolean> {
  return !(await tryListen(port, '127.0.0.1')) || !(await tryListen(port));
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx. Fails early when `child` exits. */
export async function waitForHttp(url: string, opts: { timeoutMs: number; child?: ChildProcess; what?: string }): Promise<void> {
  const until = Date.now() + opts.timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (opts.child && (opts.child.exitCode !== null || opts.child.signalCode !== null)) {
      throw new Error(`${opts.what ?? url} exited (${opts.child.exitCode ?? opts.child.signalCode}) before answering ${url}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${opts.what ?? url} did not answer ${url} within ${opts.timeoutMs} ms (${last})`);
}

/** Spawns `command` as the leader of its own process group, so the whole tree can be stopped by the group id. */
export function spawnGroup(command: string, args: string[], opts: SpawnOptions): ChildProcess {
  return spawn(command, args, { ...opts, detached: true });
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Sends `signal` to the child's process group (the child and everything it started), waits for the child to exit,
 * and SIGKILLs the group if it takes longer than `graceMs`.
 */
export async function stopGroup(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (!child?.pid) return;
  const pgid = child.pid;
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      /* group already gone */
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    kill(signal);
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    await exited(child);
    clearTimeout(timer);
  }
  // Anything the leader left behind in its group.
  kill('SIGKILL');
}

export interface PlaygroundOptions {
  port: number;
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** Where the Playground writes its log (else it creates ./devTools/). */
  logFile: string;
  configPath?: string;
  stdio?: SpawnOptions['stdio'];
}

/** The Playground's CLI script, run with this Node so the PID we hold is the server itself. */
export function playgroundCli(): string {
  return path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
}

/**
 * Starts Microsoft 365 Agents Playground (Teams channel) with no outbound traffic: `--dt` and
 * APPLICATION_INSIGHTS_NO_STATSBEAT disable telemetry, TEAMSAPPTESTER_BROWSER=none stops it opening a browser.
 */
export function startPlayground(o: PlaygroundOptions): ChildProcess {
  return spawnGroup(process.execPath, [playgroundCli(), '-e', o.botEndpoint, '-c', 'msteams', '--dt', '-p', String(o.port)], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: o.logFile,
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: o.configPath ?? PLAYGROUND_CONFIG,
    },
    stdio: o.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
}
