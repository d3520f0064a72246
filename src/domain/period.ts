/**
 * The checklist period: the ISO 8601 week in a given IANA time zone. Pure functions, no clock.
 * A week runs Monday..Sunday; week 1 holds the year's first Thursday.
 */
export interface Period {
  /** e.g. "2026-W49"; the stable key stored with every post. */
  key: string;
  isoYear: number;
  week: number;
  /** Local calendar dates (YYYY-MM-DD) of Monday and Sunday. */
  start: string;
  end: string;
  timeZone: string;
}

/**
 * Intl.DateTimeFormat is costly to build (~0.2 ms) and a card render formats a dozen times: keep one per
 * (options, zone). The set of zones in use is small.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (y, m 1-12, d) of an instant as seen in a time zone. */
export function localDate(at: Date, timeZone: string): { y: number; m: number; d: number } {
  const parts = formatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

function ymd(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function periodOf(at: Date, timeZone: string): Period {
  const { y, m, d } = localDate(at, timeZone);
  // Work on a UTC date that carries the local calendar date; only the calendar matters from here.
  const day = new Date(Date.UTC(y, m - 1, d));
  const dow = (day.getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(day.getTime() - dow * 86_400_000);
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const jan1 = Date.UTC(isoYear, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / 86_400_000 / 7) + 1;
  return {
    key: `${isoYear}-W${String(week).padStart(2, '0')}`,
    isoYear,
    week,
    start: ymd(monday),
    end: ymd(sunday),
    timeZone,
  };
}

const PERIOD_KEY = /^(\d{4})-W(\d{2})$/;

export function isPeriodKey(key: string): boolean {
  const m = PERIOD_KEY.exec(key);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 53;
}

/** "1 Dec – 7 Dec 2026" for card headers. */
export function formatPeriodDates(p: Period): string {
  const fmt = (s: string, withYear: boolean) =>
    formatter('en-GB', { day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' }).format(
      new Date(`${s}T00:00:00Z`),
    );
  return `${fmt(p.start, false)} – ${fmt(p.end, true)}`;
}

/** "Mon 10:02" in the target's zone: what a status line shows. */
export function formatShortTime(at: Date | string, timeZone: string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  return formatter('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false, timeZone })
    .format(date)
    .replace(',', '');
}
