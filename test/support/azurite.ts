import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Starts Azurite (the Azure Storage emulator, the `azurite` npm package) for tests: loopback only, telemetry off, a
 * temporary workspace, free ports. Runs `node <azurite script>` directly (not npx) in its own process group, so the
 * PID we stop is the server's.
 */

export const DEV_ACCOUNT = 'devstoreaccount1';
/** The emulator's well-known dev-account key (as in azurite's own constants; it is public, not a secret). */
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  connectionString: string;
  tableEndpoint: string;
  blobEndpoint?: string;
  tablePort: number;
  blobPort?: number;
  pid: number;
  location: string;
  /** Stops the server (SIGTERM to its process group, SIGKILL after a grace period) and removes the workspace. */
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Also start the blob service (for BlobsStorage); default table only. */
  blob?: boolean;
  /** Keep data in memory only (default: on disk in the temp workspace). */
  inMemory?: boolean;
  startTimeoutMs?: number;
}

function azuriteScript(rel: string): string {
  const pkg = require.resolve('azurite/package.json', { paths: [process.cwd(), __dirname] });
  return path.join(path.dirname(pkg), rel);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  // Last resort if a test run ends without teardown (mocha --exit): never leave an emulator behind.
  for (const child of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

function envWithoutAccounts(): NodeJS.ProcessEnv {
  // Custom AZURITE_ACCOUNTS from the caller's shell would replace the well-known dev account.
  const env = { ...process.env };
  delete env.AZURITE_ACCOUNTS;
  return env;
}

async function startOnce(opts: AzuriteOptions): Promise<Azurite> {
  const location = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-azurite-'));
  const tablePort = await freePort();
  const blobPort = opts.blob ? await freePort() : undefined;
  const common = ['--disableTelemetry', '--skipApiVersionCheck', '--silent'];
  // Azurite refuses --location with --inMemoryPersistence; it then runs in (and may write to) its cwd, the temp dir.
  common.push(...(opts.inMemory ? ['--inMemoryPersistence'] : ['--location', location]));
  const args = opts.blob
    ? [
        azuriteScript('dist/src/azurite.js'),
        ...common,
        '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
        '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
        '--queueHost', '127.0.0.1', '--queuePort', String(await freePort()),
      ]
    : [azuriteScript('dist/src/table/main.js'), ...common, '--tableHost', '127.0.0.1', '--tablePort', String(tablePort)];

  const child = spawn(process.execPath, args, {
    cwd: location,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: envWithoutAccounts(),
  });
  live.add(child);
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', () => live.delete(child));

  const stop = async () => {
    killGroup(child, 'SIGTERM');
    if (!(await waitExit(child, 5000))) {
      killGroup(child, 'SIGKILL');
      await waitExit(child, 2000);
    }
    live.delete(child);
    fs.rmSync(location, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`Azurite exited before it listened (code ${child.exitCode ?? child.signalCode}): ${output.trim()}`);
    }
    const ready = (await canConnect(tablePort)) && (blobPort === undefined || (await canConnect(blobPort)));
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Azurite did not listen on 127.0.0.1:${tablePort} in time: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const tableEndpoint = `http://127.0.0.1:${tablePort}/${DEV_ACCOUNT}`;
  const blobEndpoint = blobPort ? `http://127.0.0.1:${blobPort}/${DEV_ACCOUNT}` : undefined;
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    (blobEndpoint ? `BlobEndpoint=${blobEndpoint};` : '') +
    `TableEndpoint=${tableEndpoint};`;
  return { connectionString, tableEndpoint, blobEndpoint, tablePort, blobPort, pid: child.pid!, location, stop };
}

/** Starts Azurite; a port taken between choosing and binding it is retried with another. */
export async function startAzurite(opts: AzuriteOptions = {}): Promise<Azurite> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      last = err;
      if (!/EADDRINUSE|exited before/.test(String(err))) throw err;
    }
  }
  throw last;
}
