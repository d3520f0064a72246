import type { ServiceDeps } from './context';
import type { AckPolicy } from './access';
import { AcknowledgeService } from './acknowledge';
import { CardUpdater } from './card-updater';
import { PostChecklistService } from './post-checklist';
import { RunChecksService } from './run-checks';
import { RunningChecks } from './running-checks';
import { StatusService } from './status';
import { TargetService } from './targets';
import { WeeklyService } from './weekly';
import { HistoryService } from './history';
import { ExportService } from './export';

export interface Services {
  deps: ServiceDeps;
  targets: TargetService;
  posting: PostChecklistService;
  acks: AcknowledgeService;
  status: StatusService;
  checks: RunChecksService;
  weekly: WeeklyService;
  history: HistoryService;
  exports: ExportService;
  updater: CardUpdater;
  running: RunningChecks;
  /** Wait for background work (card updates, out-of-band checks): graceful shutdown and tests. */
  drain(): Promise<void>;
}

export interface ServiceOptions {
  fanOutConcurrency: number;
  exportSigningKey: Buffer;
  exportTtlMs: number;
}

export function createServices(deps: ServiceDeps, policy: AckPolicy, opts: ServiceOptions): Services {
  const running = new RunningChecks();
  const posting = new PostChecklistService(deps, running);
  const updater = new CardUpdater(deps, running);
  const checks = new RunChecksService(deps, updater, running);
  return {
    deps,
    targets: new TargetService(deps),
    posting,
    weekly: new WeeklyService(deps, posting, opts.fanOutConcurrency),
    history: new HistoryService(deps),
    exports: new ExportService(deps, opts.exportSigningKey, opts.exportTtlMs),
    acks: new AcknowledgeService(deps, updater, running, policy),
    status: new StatusService(deps),
    checks,
    updater,
    running,
    async drain() {
      await checks.drain();
      await updater.drain();
    },
  };
}
