import type { CheckOutcome } from '../domain/outcome';

/** What a check may use while it runs. Checks read the outside world only through their own ports. */
export interface CheckContext {
  now: Date;
  /** Per-tenant memory across runs (seen Message-center ids, last failed-file counts, last run time). */
  memory: {
    get<T = unknown>(key: string): Promise<T | undefined>;
    put(key: string, value: unknown): Promise<void>;
  };
  signal?: AbortSignal;
}

/** One checklist item's automated check. `id` is a persisted contract (stored with outcomes): never rename. */
export interface Check {
  id: string;
  title: string;
  /** Words after "check " that select this check, e.g. ["secure score", "posture", "sspm"]. */
  aliases: string[];
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export interface CheckRegistry {
  list(): Check[];
  get(id: string): Check | undefined;
  /** Resolve the words a user typed after "check" to a check, or undefined. */
  resolve(words: string): Check | undefined;
}

export function createRegistry(checks: Check[]): CheckRegistry {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return {
    list: () => [...checks],
    get: (id) => byId.get(id),
    resolve: (words) => {
      const w = normalise(words);
      return checks.find((c) => normalise(c.id) === w || c.aliases.some((a) => normalise(a) === w));
    },
  };
}
