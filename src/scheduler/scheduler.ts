import { Cron } from 'croner';
import type { Clock } from '../domain/clock';
import { periodOf } from '../domain/period';
import type { Target } from '../domain/records';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { WeeklyService } from '../services/weekly';
import { firstFireBetween, periodStart } from './due';

export interface SchedulerOptions {
  store: Store;
  weekly: WeeklyService;
  clock: Clock;
  logger: Logger;
  checklistSchedule: string;
  reminderSchedule: string;
  defaultTimeZone: string;
  /** Recovery heartbeat: failed or abandoned posts are retried this often. */
  heartbeatMs: number;
}

/**
 * When to post: one croner job per time zone in use fires the checklist and reminder schedules at the right local
 * time; a heartbeat retries what failed; a tick at start-up catches up on a post missed while the bot was down.
 * Every tick asks the services to post what is due; the services' claims make a tick on every instance safe.
 */
export class Scheduler {
  private readonly jobs = new Map<string, Cron[]>();
  private heartbeat?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {}

  async start(): Promise<void> {
    this.heartbeat = setInterval(() => void this.tick('heartbeat'), this.o.heartbeatMs);
    this.heartbeat.unref();
    await this.tick('start-up catch-up');
  }

  private zoneOf(t: Target): string {
    return t.timeZone ?? this.o.defaultTimeZone;
  }

  private syncJobs(zones: Set<string>): void {
    zones.add(this.o.defaultTimeZone);
    for (const [zone, crons] of this.jobs) {
      if (!zones.has(zone)) {
        crons.forEach((c) => c.stop());
        this.jobs.delete(zone);
      }
    }
    for (const zone of zones) {
      if (this.jobs.has(zone)) continue;
      const opts = { timezone: zone, protect: true, catch: (err: unknown) => this.o.logger.error({ err }, 'scheduled job failed') };
      this.jobs.set(zone, [
        new Cron(this.o.checklistSchedule, opts, () => void this.tick(`checklist schedule (${zone})`)),
        new Cron(this.o.reminderSchedule, opts, () => void this.tick(`reminder schedule (${zone})`)),
      ]);
    }
  }

  /** Post and remind whatever is due now. Ticks never overlap; one asked for during a tick runs right after it. */
  tick(reason: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.runOnce(reason);
        } while (this.again && !this.stopped);
      } catch (err) {
        this.o.logger.error({ err, reason }, 'scheduler tick failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async runOnce(reason: string): Promise<void> {
    const now = this.o.clock.now();
    const targets = await this.o.weekly.subscribedTargets();
    const duePosts: Target[] = [];
    const dueReminders: Target[] = [];
    for (const t of targets) {
      const tz = this.zoneOf(t);
      const start = periodStart(now, tz);
      const post = await this.o.store.getPostForPeriod(t.id, periodOf(now, tz).key);
      if (post?.status !== 'sent') {
        if (firstFireBetween(this.o.checklistSchedule, tz, start, now)) duePosts.push(t);
        continue;
      }
      if (!post.remindedAt) {
        const from = new Date(Math.max(start.getTime(), Date.parse(post.sentAt ?? post.claimedAt) + 1));
        if (firstFireBetween(this.o.reminderSchedule, tz, from, now)) dueReminders.push(t);
      }
    }
    if (duePosts.length || dueReminders.length) {
      this.o.logger.info({ reason, posts: duePosts.length, reminders: dueReminders.length }, 'scheduler: work due');
    }
    if (duePosts.length) await this.o.weekly.postTo(duePosts);
    if (dueReminders.length) await this.o.weekly.remindAll(dueReminders);
    if (!this.stopped) this.syncJobs(new Set(targets.map((t) => this.zoneOf(t))));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const crons of this.jobs.values()) crons.forEach((c) => c.stop());
    this.jobs.clear();
    await this.running;
  }
}
