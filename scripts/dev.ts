/**
 * `npm run dev` — Rounds in Microsoft 365 Agents Playground, on this machine, with no Azure and no network:
 *
 *   1. `npm run build`
 *   2. the bot (`node dist/src/index.js`) in local mode (no BOT_ID), with the sample tenant in process
 *      (SAMPLE_TENANT=true), data in ./data/dev, on PORT (default 3978); its JSON logs are printed readably
 *   3. once /healthz answers, the Playground (Teams channel, telemetry off, no browser opened) on PLAYGROUND_PORT
 *      (default 56150), configured by .m365agentsplayground.yml (My Team, SOC Leads, Alex Wilber and colleagues)
 *
 * Ctrl-C (or SIGTERM) stops both process trees and exits 0. A second Ctrl-C kills them at once.
 *
 * The Playground keeps its chats in memory and starts them afresh on every start and page load, so ./data/dev is
 * emptied on start too (otherwise "post checklist" answers "already posted" about a card nobody can see).
 * `npm run dev -- --keep-data` keeps it. Environment overrides: PORT, PLAYGROUND_PORT, LOG_LEVEL, DATA_DIR,
 * CARD_UPDATE_DELAY_MS, SCHEDULER_ENABLED (default false here, so the checklist is posted when you ask).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { prettyLogStream } from './lib/pretty-log';
import { ROOT, exited, portInUse, startPlayground, spawnGroup, stopGroup, waitForHttp } from './lib/local-stack';

const color = process.stdout.isTTY === true;
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const say = (s: string) => process.stdout.write(`${color ? '\x1b[36m' : ''}[dev]${color ? '\x1b[0m' : ''} ${s}\n`);
const fail = (s: string) => process.stderr.write(`${color ? '\x1b[31m' : ''}[dev] ${s}${color ? '\x1b[0m' : ''}\n`);

function intEnv(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    fail(`${name}=${raw} is not a port number (1-65535).`);
    process.exit(2);
  }
  return n;
}

const botPort = intEnv('PORT', 3978);
const playgroundPort = intEnv('PLAYGROUND_PORT', 56150);
const keepData = process.argv.includes('--keep-data');
const dataDir = path.resolve(ROOT, process.env.DATA_DIR || 'data/dev');

let bot: ChildProcess | undefined;
let playground: ChildProcess | undefined;
let stopping = false;

async function stopAll(code: number, why: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    say(why);
    // The bot first: it finishes in-flight turns and flushes pending card updates to the still-running Playground.
    await stopGroup(bot, 'SIGTERM', 28_000);
    await stopGroup(playground, 'SIGTERM', 5_000);
    say('stopped.');
  }
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals) {
  if (stopping) {
    fail(`${signal} again: killing the bot and the Playground now.`);
    for (const c of [bot, playground]) {
      if (c?.pid) {
        try {
          process.kill(-c.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    process.exit(1);
  }
  void stopAll(0, `${signal}: stopping the bot and the Playground…`);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

async function run(cmd: string, args: string[]): Promise<number> {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? 1 : 0))));
}

async function main(): Promise<void> {
  const busy: string[] = [];
  if (await portInUse(botPort)) busy.push(`port ${botPort} (the bot; set PORT=<free port>)`);
  if (await portInUse(playgroundPort)) busy.push(`port ${playgroundPort} (the Playground; set PLAYGROUND_PORT=<free port>)`);
  if (busy.length) {
    fail(`cannot start: ${busy.join(' and ')} ${busy.length > 1 ? 'are' : 'is'} already in use.`);
    fail(`Is another "npm run dev" running? Find it with: ss -ltnp | grep -E ':(${botPort}|${playgroundPort})\\b'`);
    process.exit(1);
  }

  say('building (npm run build)…');
  const built = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build']);
  if (stopping) return;
  if (built !== 0) {
    fail('the build failed (errors above); nothing was started.');
    process.exit(1);
  }

  if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const playgroundLog = path.join(dataDir, 'playground.log');

  say(`starting the bot on http://127.0.0.1:${botPort} (local mode, sample tenant, data in ${path.relative(ROOT, dataDir) || dataDir}${keepData ? ', kept' : ', fresh'})…`);
  bot = spawnGroup(process.execPath, [path.join(ROOT, 'dist/src/index.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      // Local mode: the Playground sends no token, so no app id/password may be set.
      BOT_ID: '',
      BOT_PASSWORD: '',
      HOST: '127.0.0.1',
      PORT: String(botPort),
      SAMPLE_TENANT: 'true',
      DATA_DIR: dataDir,
      STORE: 'sqlite',
      LOG_LEVEL: process.env.LOG_LEVEL || 'info',
      SCHEDULER_ENABLED: process.env.SCHEDULER_ENABLED || 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bot.stdout!.pipe(prettyLogStream({ color, prefix: color ? '\x1b[35mbot\x1b[0m │ ' : 'bot │ ' })).pipe(process.stdout);
  bot.stderr!.pipe(prettyLogStream({ color, prefix: color ? '\x1b[35mbot\x1b[0m │ ' : 'bot │ ' })).pipe(process.stderr);
  void exited(bot).then(() => {
    if (!stopping) void stopAll(1, `the bot exited unexpectedly (${bot?.exitCode ?? bot?.signalCode}); stopping the Playground.`);
  });

  try {
    await waitForHttp(`http://127.0.0.1:${botPort}/healthz`, { timeoutMs: 30_000, child: bot, what: 'the bot' });
  } catch (err) {
    if (stopping) return;
    return stopAll(1, err instanceof Error ? err.message : String(err));
  }
  if (stopping) return;

  say(`starting Microsoft 365 Agents Playground on port ${playgroundPort} (offline; log in ${path.relative(ROOT, playgroundLog)})…`);
  playground = startPlayground({ port: playgroundPort, botEndpoint: `http://127.0.0.1:${botPort}/api/messages`, logFile: playgroundLog });
  const pgPrefix = color ? '\x1b[34mplayground\x1b[0m │ ' : 'playground │ ';
  playground.stdout!.pipe(prettyLogStream({ prefix: pgPrefix })).pipe(process.stdout);
  playground.stderr!.pipe(prettyLogStream({ prefix: pgPrefix })).pipe(process.stderr);
  void exited(playground).then(() => {
    if (!stopping) void stopAll(1, `the Playground exited unexpectedly (${playground?.exitCode ?? playground?.signalCode}); stopping the bot.`);
  });
  try {
    await waitForHttp(`http://127.0.0.1:${playgroundPort}/`, { timeoutMs: 30_000, child: playground, what: 'the Playground' });
  } catch (err) {
    if (stopping) return;
    return stopAll(1, err instanceof Error ? err.message : String(err));
  }
  if (stopping) return;

  process.stdout.write(
    [
      '',
      `  ${bold('Rounds is running in Microsoft 365 Agents Playground.')}`,
      '',
      `  Open ${bold(`http://localhost:${playgroundPort}`)}  (you are Alex Wilber; the sample tenant answers the checks)`,
      `  try: in My Team › General, type ${bold('@Rounds post checklist')} (pick Rounds from the @ suggestions), then`,
      `       Acknowledge an item, or ${bold('@Rounds check connectors')}; in Personal Chat just type ${bold('help')}.`,
      '  Reloading the page starts the Playground\'s chats afresh; restart npm run dev for a clean slate.',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n') + '\n',
  );
}

main().catch((err) => {
  void stopAll(1, `failed: ${err instanceof Error ? err.message : String(err)}`);
});
