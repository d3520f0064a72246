import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Cron } from 'croner';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { systemClock, type Clock } from './domain/clock';
import { formatShortTime } from './domain/period';
import { WEEKLY_CHECKLIST } from './checklists/weekly';
import { openStore } from './store/open-store';
import type { Store } from './store/store';
import { createCheckEnvironment } from './checks/environment';
import { createServices, type Services } from './services';
import { PacedMessenger } from './services/paced-messenger';
import { createAckPolicy } from './bot/ack-policy';
import { createAdapter } from './bot/adapter';
import { createBotApp } from './bot/app';
import { createMessagesHandler } from './bot/http-handler';
import { TeamsMessenger } from './bot/teams-messenger';
import { createHttpApp, listen } from './server';
import { mountJobRoutes } from './jobs-routes';
import { Scheduler } from './scheduler/scheduler';

export interface Running {
  config: Config;
  logger: Logger;
  store: Store;
  services: Services;
  server: Server;
  port: number;
  sampleTenantUrl?: string;
  /** Stop accepting, finish in-flight turns and background work, close the store. */
  stop(): Promise<void>;
}

export function describeSchedule(cron: string, timeZone: string, clock: Clock = systemClock): string {
  const next = new Cron(cron, { timezone: timeZone, paused: true }).nextRun(clock.now());
  return `The checklist is posted on schedule "${cron}" (${timeZone})${next ? `; next: ${formatShortTime(next, timeZone)}` : ''}.`;
}

/** Composition root: picks implementations from Config and wires them. The only place that knows them all. */
export async function start(config: Config, opts: { clock?: Clock; logger?: Logger } = {}): Promise<Running> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const store = await openStore(config, logger);
  const checkEnv = await createCheckEnvironment(config, logger, { now: () => clock.now() });

  const adapter = createAdapter(config);
  const messenger = new PacedMessenger(new TeamsMessenger(adapter, config.BOT_ID ?? ''), {
    requestsPerSecond: config.TEAMS_REQUESTS_PER_SECOND,
    logger,
  });
  const services = createServices(
    {
      store,
      clock,
      logger,
      messenger,
      checklist: WEEKLY_CHECKLIST,
      checks: checkEnv.registry,
      settings: {
        defaultTimeZone: config.CHECKLIST_TIMEZONE,
        checklistSchedule: config.CHECKLIST_SCHEDULE,
        reminderSchedule: config.REMINDER_SCHEDULE,
        cardUpdateDelayMs: config.CARD_UPDATE_DELAY_MS,
        postLeaseMs: config.POST_LEASE_MS,
        checkInlineWaitMs: config.CHECK_INLINE_WAIT_MS,
        checkScope: config.SAMPLE_TENANT ? 'sample' : (config.AZURE_TENANT_ID ?? 'default'),
        ackAllowed: config.ACK_ALLOWED,
        instanceId,
      },
    },
    createAckPolicy({ config, adapter, logger, checklist: WEEKLY_CHECKLIST }),
    {
      fanOutConcurrency: config.FANOUT_CONCURRENCY,
      // Export links must verify on every instance: derive the key from a shared secret when there is one.
      exportSigningKey: createHash('sha256')
        .update(`rounds-export:${config.JOB_SECRET ?? config.BOT_PASSWORD ?? randomBytes(32).toString('hex')}`)
        .digest(),
      exportTtlMs: config.EXPORT_LINK_TTL_MINUTES * 60_000,
    },
  );
  let publicBaseUrl = config.PUBLIC_BASE_URL;

  const botApp = createBotApp(adapter, {
    config,
    logger,
    services,
    scheduleText: (tz) => describeSchedule(config.CHECKLIST_SCHEDULE, tz, clock),
    publicBaseUrl: () => publicBaseUrl,
  });
  const http = createHttpApp({
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    handleMessages: createMessagesHandler(adapter, botApp),
    health: async () => ({ store: config.STORE, mode: config.localMode ? 'local' : 'teams', sampleTenant: config.SAMPLE_TENANT }),
    mount: (app) => mountJobRoutes(app, { logger, jobSecret: config.JOB_SECRET, weekly: services.weekly, exports: services.exports }),
  });
  const server = await listen(http.app, config.PORT, config.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    { port, host: config.host, mode: config.localMode ? 'local (no authentication, loopback only)' : 'teams', store: config.STORE, instanceId },
    `Rounds listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/api/messages`,
  );

  if (!publicBaseUrl && config.localMode) publicBaseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  const scheduler = new Scheduler({
    store,
    weekly: services.weekly,
    clock,
    logger,
    checklistSchedule: config.CHECKLIST_SCHEDULE,
    reminderSchedule: config.REMINDER_SCHEDULE,
    defaultTimeZone: config.CHECKLIST_TIMEZONE,
    heartbeatMs: config.SCHEDULER_HEARTBEAT_MS,
  });
  if (config.SCHEDULER_ENABLED) {
    // Not awaited: catch-up posting must not delay readiness.
    void scheduler.start();
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: no new requests, finishing in-flight turns');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections?.();
      await scheduler.stop();
      await http.whenIdle();
      await services.drain();
      await closed;
      await checkEnv.close();
      await store.close();
      logger.info('stopped');
    })());

  return { config, logger, store, services, server, port, sampleTenantUrl: checkEnv.sampleTenantUrl, stop };
}
