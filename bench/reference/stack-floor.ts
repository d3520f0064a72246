/**
 * The bot-stack floor (bench only, never shipped): Rounds' own HTTP server, adapter, envelope checks, teams-ai
 * application and routes, exactly as src/compose.ts wires them, but with services that answer at once: an ack
 * records nothing and answers with the card Rounds answered the last click with. No store, no render. The
 * difference between this and Rounds is what Rounds' own work costs; the difference between this and
 * floor-server.ts is what botbuilder and teams-ai cost per turn.
 *
 * Run as a child process: PORT=<port> BENCH_FLOOR_ANSWER=<file> node --require tsx/cjs bench/reference/stack-floor.ts
 */
import fs from 'node:fs';
import { createAdapter } from '../../src/bot/adapter';
import { createBotApp } from '../../src/bot/app';
import { createMessagesHandler } from '../../src/bot/http-handler';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createHttpApp, listen } from '../../src/server';
import type { Services } from '../../src/services';

const answer = JSON.parse(fs.readFileSync(process.env.BENCH_FLOOR_ANSWER ?? '', 'utf8')) as { value: object };
const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR ?? '/tmp/unused' });
const logger = createLogger(config.LOG_LEVEL);
// Only what an acknowledgement's turn touches; anything else is a bench bug and throws.
const services = {
  targets: { touch: async () => undefined },
  acks: { ack: async () => ({ card: answer.value, changed: true }) },
} as unknown as Services;
const adapter = createAdapter(config);
const botApp = createBotApp(adapter, { config, logger, services, scheduleText: () => '', publicBaseUrl: () => undefined });
const http = createHttpApp({ logger, maxBodyBytes: config.MAX_BODY_BYTES, handleMessages: createMessagesHandler(adapter, botApp), health: async () => ({}) });
void listen(http.app, config.PORT, config.host);
process.once('SIGTERM', () => process.exit(0));
