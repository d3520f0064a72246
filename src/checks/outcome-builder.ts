import type { CheckOutcome, EvidenceCall, Finding, OutcomeStatus } from '../domain/outcome';
import { worstStatus } from '../domain/outcome';
import { AuthError, NetError, NotConfiguredError, TimeoutError, UpstreamError } from '../net/errors';
import { scrubSecrets } from '../logger';
import type { CheckContext } from './check';
import type { CheckSettings } from './check-deps';

/** What a failed call means for an outcome: a status, a sentence saying what to do, and the evidence status. */
export interface FailureMeaning {
  status: Extract<OutcomeStatus, 'manual' | 'error'>;
  summary: string;
  evidenceStatus: EvidenceCall['status'];
}

/**
 * Missing permission or configuration is "manual" (a person can still do the item, and the text says what to grant
 * or set); everything else that stops a check is "error".
 */
export function meaningOf(e: unknown): FailureMeaning {
  if (e instanceof NotConfiguredError) return { status: 'manual', summary: e.message, evidenceStatus: 'not-configured' };
  if (e instanceof UpstreamError) {
    if (e.status === 403) return { status: 'manual', summary: e.message, evidenceStatus: 403 };
    if (e.status === 429) {
      const wait = e.retryAfterMs !== undefined ? ` The service asked to wait ${Math.ceil(e.retryAfterMs / 1000)} s; run the check again later.` : ' Run the check again in a minute.';
      return { status: 'error', summary: `${e.message}.${wait}`, evidenceStatus: 429 };
    }
    return { status: 'error', summary: e.message, evidenceStatus: e.status };
  }
  if (e instanceof TimeoutError) return { status: 'error', summary: e.message, evidenceStatus: 'timeout' };
  if (e instanceof AuthError) return { status: 'error', summary: e.message, evidenceStatus: 401 };
  if (e instanceof NetError) return { status: 'error', summary: e.message, evidenceStatus: 0 };
  const msg = e instanceof Error ? e.message : String(e);
  return { status: 'error', summary: `The check failed unexpectedly: ${scrubSecrets(msg).slice(0, 200)}`, evidenceStatus: 0 };
}

/** Collects calls, findings and APIs while a check runs, then produces the outcome. */
export class OutcomeBuilder {
  readonly calls: EvidenceCall[] = [];
  readonly findings: Finding[] = [];
  readonly extra: Record<string, unknown> = {};
  private readonly apis = new Set<string>();
  private readonly started = Date.now();

  constructor(
    private readonly checkId: string,
    private readonly ctx: CheckContext,
    private readonly settings: CheckSettings,
  ) {}

  /** A successful call: counts and ids only. */
  ok(api: string, request: string, r: { pages?: number; items?: number; ids?: string[]; note?: string }): void {
    this.apis.add(`${api} ${request.replace(/\?.*$/, '')}`);
    this.calls.push({ api, request, status: 200, ...r, ids: r.ids?.slice(0, 50) });
  }

  /** A failed (or skipped) call, with its meaning. */
  failed(api: string, request: string, e: unknown): FailureMeaning {
    const m = meaningOf(e);
    const req = e instanceof NetError && e.request ? e.request : request;
    this.apis.add(`${api} ${req.replace(/\?.*$/, '')}`);
    this.calls.push({ api, request: req, status: m.evidenceStatus, note: m.summary.slice(0, 300) });
    return m;
  }

  skipped(api: string, request: string, note: string): void {
    this.calls.push({ api, request, status: 'skipped', note });
  }

  add(...f: Finding[]): void {
    this.findings.push(...f);
  }

  finish(status: OutcomeStatus, summary: string): CheckOutcome {
    const sampleNote = this.settings.sample ? ' (sample data)' : '';
    const sentence = /[.!?)]$/.test(summary.trim()) ? summary.trim() : `${summary.trim()}.`;
    return {
      checkId: this.checkId,
      status,
      summary: `${sentence}${sampleNote}`,
      findings: this.findings,
      evidence: { calls: this.calls, ...this.extra },
      checkedAt: this.ctx.now.toISOString(),
      apis: [...this.apis],
      ...(this.settings.sample ? { sample: true } : {}),
      durationMs: Date.now() - this.started,
    };
  }
}

/** Status from findings: any high → fail, any medium/low → warn, else pass. */
export function statusFromFindings(findings: Finding[]): OutcomeStatus {
  if (findings.some((f) => f.severity === 'high')) return 'fail';
  if (findings.some((f) => f.severity === 'medium' || f.severity === 'low')) return 'warn';
  return 'pass';
}

export { worstStatus };

/** Runs a check body so that nothing escapes: an unexpected throw becomes an error outcome. */
export async function neverThrow(checkId: string, ctx: CheckContext, settings: CheckSettings, body: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
  try {
    return await body();
  } catch (e) {
    const b = new OutcomeBuilder(checkId, ctx, settings);
    const m = meaningOf(e);
    return b.finish(m.status, m.summary);
  }
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

export function shortDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
