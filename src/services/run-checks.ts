import type { CheckOutcome } from '../domain/outcome';
import type { Post, Target } from '../domain/records';
import type { Check } from '../checks/check';
import { renderCheckResults } from '../cards/check-result';
import type { AdaptiveCard } from '../cards/templates';
import type { ServiceDeps } from './context';
import type { CardUpdater } from './card-updater';
import type { RunningChecks } from './running-checks';
import { ServiceError } from './errors';
import { cleanUserText, escapeMarkdown, safeUserText } from '../domain/text';

const CHECK_TIMEOUT_MS = 150_000;

/**
 * Runs checks. A check never crashes anything: an exception or a timeout becomes an `error` outcome.
 * Runs for a card happen outside the invoke (Teams wants the invoke answered in well under 5 s); the posted card
 * shows "running…", then the result, and the full result goes into the card's thread.
 */
export class RunChecksService {
  /** Pending out-of-band runs, so shutdown and tests can wait for them. */
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly updater: CardUpdater,
    private readonly running: RunningChecks,
  ) {}

  resolve(words: string): Check[] {
    const { checks } = this.deps;
    const w = words.trim().toLowerCase();
    if (w === 'all' || w === 'everything') return checks.list();
    const c = checks.resolve(w);
    if (!c) {
      const names = checks
        .list()
        .map((x) => x.aliases[0] ?? x.id)
        .concat('all');
      throw new ServiceError(
        'unknown-check',
        w ? `I don't know a check called "${escapeMarkdown(cleanUserText(w, 40))}".` : 'Which check?',
        `Try: ${names.map((n) => `check ${n}`).join(', ')}.`,
      );
    }
    return [c];
  }

  async run(check: Check): Promise<CheckOutcome> {
    const { store, clock, settings, logger } = this.deps;
    const started = Date.now();
    const scope = `checks:${settings.checkScope}`;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        check.run({
          now: clock.now(),
          signal: controller.signal,
          memory: {
            get: (key) => store.getMemory(scope, `${check.id}:${key}`),
            put: (key, value) => store.putMemory(scope, `${check.id}:${key}`, value),
          },
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(new Error(`timed out after ${CHECK_TIMEOUT_MS / 1000} s`));
          }, CHECK_TIMEOUT_MS);
        }),
      ]);
      return { ...outcome, durationMs: outcome.durationMs ?? Date.now() - started };
    } catch (err) {
      logger.error({ err, check: check.id }, 'check crashed');
      return {
        checkId: check.id,
        status: 'error',
        summary: `The check could not run: ${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'}. Try again later; if it persists, see the bot's logs.`,
        findings: [],
        evidence: { calls: [] },
        checkedAt: clock.now().toISOString(),
        apis: [],
        durationMs: Date.now() - started,
      };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Run several checks in parallel (each client paces itself), results in the order asked. */
  runMany(checks: Check[]): Promise<CheckOutcome[]> {
    return Promise.all(checks.map((c) => this.run(c)));
  }

  itemFor(checkId: string): string | undefined {
    return this.deps.checklist.items.find((i) => i.checkId === checkId)?.id;
  }

  titleFor(check: Check): string {
    return this.deps.checklist.items.find((i) => i.checkId === check.id)?.title ?? check.title;
  }

  resultCard(checks: Check[], outcomes: CheckOutcome[], timeZone: string, subheading = ''): AdaptiveCard {
    const heading = checks.length === 1 ? `Check: ${checks[0].title}` : `All checks (${checks.length})`;
    return renderCheckResults(
      heading,
      subheading,
      checks.map((c, i) => ({ title: this.titleFor(c), outcome: outcomes[i] })),
      timeZone,
    );
  }

  /** Record outcomes as evidence on a post (this week's card) and refresh the card. */
  async recordOnPost(post: Post, checks: Check[], outcomes: CheckOutcome[], requestedBy?: string): Promise<void> {
    for (let i = 0; i < checks.length; i++) {
      const itemId = this.itemFor(checks[i].id);
      if (itemId) await this.deps.store.putOutcome(post.id, itemId, outcomes[i], requestedBy);
    }
    this.updater.request(post.id);
  }

  /**
   * The card's Run check button: mark the item running (card updated for everyone), run out of band, store the
   * outcome, update the card, post the full result in the card's thread. Returns at once.
   */
  startForPost(target: Target, post: Post, itemId: string, requestedBy: string): { started: boolean } {
    const item = this.deps.checklist.items.find((i) => i.id === itemId);
    const check = item && this.deps.checks.get(item.checkId);
    if (!item || !check) {
      throw new ServiceError('unknown-check', 'This item has no automated check yet.', 'Open the link on the card and review it by hand.');
    }
    if (!this.running.add(post.id, itemId)) return { started: false };
    this.updater.request(post.id);
    const job = (async () => {
      try {
        const outcome = await this.run(check);
        await this.deps.store.putOutcome(post.id, itemId, outcome, requestedBy);
        this.running.delete(post.id, itemId);
        this.updater.request(post.id);
        if (post.threadId) {
          const card = this.resultCard([check], [outcome], post.timeZone, `Requested by ${safeUserText(requestedBy, 60)}`);
          await this.deps.messenger.reply(target, post.threadId, { card });
        }
      } catch (err) {
        this.deps.logger.error({ err, postId: post.id, itemId }, 'run check for card failed');
      } finally {
        this.running.delete(post.id, itemId);
        this.updater.request(post.id);
      }
    })();
    this.track(job);
    return { started: true };
  }

  track(job: Promise<unknown>): void {
    this.background.add(job);
    void job.finally(() => this.background.delete(job));
  }

  async drain(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background]);
  }
}

export type ChatRunResult = { kind: 'done'; card: AdaptiveCard } | { kind: 'running'; text: string };

/**
 * `check <words>` in chat: answer within CHECK_INLINE_WAIT_MS with the result, or say at once that it is running
 * and post the result into the same conversation when it finishes. When the conversation has this week's card,
 * the outcomes are recorded on it as evidence.
 */
export async function runFromChat(
  service: RunChecksService,
  deps: ServiceDeps,
  opts: { words: string; target: Target; replyTo: string; requestedBy: string; currentPost?: Post },
): Promise<ChatRunResult> {
  const checks = service.resolve(opts.words);
  const tz = opts.target.timeZone ?? deps.settings.defaultTimeZone;
  const sub = `Requested by ${safeUserText(opts.requestedBy, 60)}`;
  const work = (async () => {
    const outcomes = await service.runMany(checks);
    if (opts.currentPost) await service.recordOnPost(opts.currentPost, checks, outcomes, opts.requestedBy);
    return service.resultCard(checks, outcomes, tz, sub);
  })();
  let timer: NodeJS.Timeout | undefined;
  const quick = await Promise.race([
    work,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), deps.settings.checkInlineWaitMs);
    }),
  ]);
  if (timer) clearTimeout(timer);
  if (quick) return { kind: 'done', card: quick };
  service.track(
    work
      .then((card) => deps.messenger.reply(opts.target, opts.replyTo, { card }))
      .catch((err) => deps.logger.error({ err }, 'posting a check result failed')),
  );
  const names = checks.length === 1 ? checks[0].title : `${checks.length} checks`;
  return { kind: 'running', text: `⏳ Running ${names}… I'll post the result here when it's done.` };
}
