import pino from 'pino';
import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';
import { ManualClock } from '../../src/domain/clock';
import type { TargetInput } from '../../src/domain/records';
import { createRegistry, type Check } from '../../src/checks/check';
import { createServices, type Services } from '../../src/services';
import { allowAll, type AckPolicy } from '../../src/services/access';
import type { Messenger } from '../../src/services/messenger';
import type { Store } from '../../src/store/store';
import { openSqliteStore } from '../../src/store/sqlite';
import { tempDir } from './bot-process';
import { FakeMessenger } from './fake-messenger';

/** Real services over a real SQLite file, with a manual clock and a hand-written messenger. */
export function harness(
  opts: { clock?: ManualClock; store?: Store; messenger?: Messenger; instanceId?: string; checks?: Check[]; policy?: AckPolicy; tz?: string } = {},
) {
  const clock = opts.clock ?? new ManualClock(new Date('2026-11-30T08:00:00Z'));
  const store = opts.store ?? openSqliteStore(tempDir());
  const messenger = opts.messenger ?? new FakeMessenger();
  const services: Services = createServices(
    {
      store,
      clock,
      logger: pino({ level: 'silent' }),
      messenger,
      checklist: WEEKLY_CHECKLIST,
      checks: createRegistry(opts.checks ?? []),
      settings: {
        defaultTimeZone: opts.tz ?? 'UTC',
        checklistSchedule: '0 9 * * 1',
        reminderSchedule: '0 9 * * 4',
        cardUpdateDelayMs: 0,
        postLeaseMs: 60_000,
        checkInlineWaitMs: 1000,
        checkScope: 'test',
        ackAllowed: [],
        instanceId: opts.instanceId ?? 'test-1',
      },
    },
    opts.policy ?? allowAll,
    { fanOutConcurrency: 4, exportSigningKey: Buffer.from('k'.repeat(32)), exportTtlMs: 15 * 60_000 },
  );
  return { clock, store, messenger: messenger as FakeMessenger, services };
}

export function channelInput(n: number, tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47'): TargetInput {
  return {
    tenantId,
    conversationId: `19:channel-${n}@thread.tacv2`,
    kind: 'channel',
    teamId: `19:team-${n}@thread.tacv2`,
    teamName: `Team ${n}`,
    channelName: 'General',
    serviceUrl: 'https://smba.example/teams/',
    botId: '28:rounds',
  };
}
