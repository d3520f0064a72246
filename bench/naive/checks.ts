import type { Check } from '../../src/checks/check';
import type { CheckOutcome } from '../../src/domain/outcome';
import type { RunChecksService } from '../../src/services/run-checks';

/**
 * The NAIVE "check all", for comparison only: the same checks through the same RunChecksService.run, one after
 * another. Returns each check's own duration too — run alone, which is also how the slowest single check is timed.
 */
export async function runSequentially(service: RunChecksService, checks: Check[]): Promise<{ outcomes: CheckOutcome[]; perCheckMs: number[] }> {
  const outcomes: CheckOutcome[] = [];
  const perCheckMs: number[] = [];
  for (const c of checks) {
    const t0 = performance.now();
    outcomes.push(await service.run(c));
    perCheckMs.push(performance.now() - t0);
  }
  return { outcomes, perCheckMs };
}
