import type { Checklist } from '../domain/checklist';
import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { CheckRegistry } from '../checks/check';
import type { Messenger } from './messenger';

/** What every service gets from the composition root. */
export interface ServiceDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  messenger: Messenger;
  checklist: Checklist;
  checks: CheckRegistry;
  settings: {
    defaultTimeZone: string;
    checklistSchedule: string;
    reminderSchedule: string;
    cardUpdateDelayMs: number;
    /** How long a claim on a weekly post holds before another instance may take it over (crash recovery). */
    postLeaseMs: number;
    checkInlineWaitMs: number;
    /** Memory scope for check runs: the Microsoft tenant the checks read. */
    checkScope: string;
    /** Who may acknowledge: Entra user/group object ids, optionally "itemId:<id>". Empty = any team member. */
    ackAllowed: string[];
    /** Identifies this process in claims. */
    instanceId: string;
  };
}
