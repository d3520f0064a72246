import { Cron } from 'croner';

/**
 * When things are due, in a target's own time zone. croner does the calendar and DST arithmetic
 * (https://github.com/Hexagon/croner#time-zones); nothing here touches the store or Teams.
 */

const patterns = new Map<string, Cron>();
function cron(pattern: string, timeZone: string): Cron {
  const key = `${timeZone}\u0000${pattern}`;
  let c = patterns.get(key);
  if (!c) {
    c = new Cron(pattern, { timezone: timeZone, paused: true });
    patterns.set(key, c);
  }
  return c;
}

/** Monday 00:00 local time of the ISO week containing `now`, as an instant (DST-safe). */
export function periodStart(now: Date, timeZone: string): Date {
  const candidates = cron('0 0 * * 1', timeZone).nextRuns(2, new Date(now.getTime() - 8 * 86_400_000));
  const past = candidates.filter((d) => d.getTime() <= now.getTime());
  return past.at(-1) ?? candidates[0];
}

/**
 * The first scheduled moment in [from, now], or undefined when the schedule has not fired in that span.
 * For the weekly post `from` is the period start; for a reminder, the later of that and when the card was posted.
 */
export function firstFireBetween(pattern: string, timeZone: string, from: Date, now: Date): Date | undefined {
  const next = cron(pattern, timeZone).nextRun(new Date(from.getTime() - 1));
  return next && next.getTime() <= now.getTime() ? next : undefined;
}

export function nextFire(pattern: string, timeZone: string, after: Date): Date | undefined {
  return cron(pattern, timeZone).nextRun(after) ?? undefined;
}
