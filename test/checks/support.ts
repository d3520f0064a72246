import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createCheckEnvironment, type CheckEnvironment, type CheckEnvironmentOptions } from '../../src/checks/environment';
import type { CheckContext } from '../../src/checks/check';
import type { CheckOutcome } from '../../src/domain/outcome';

/** The per-tenant memory port, in memory (the store behind it is not under test here). */
export function memoryPort(): CheckContext['memory'] & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async <T>(k: string) => structuredClone(data.get(k)) as T | undefined,
    put: async (k: string, v: unknown) => void data.set(k, structuredClone(v)),
  };
}

/** Fast retries so fault tests take milliseconds, not seconds. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3, maxRetryAfterMs: 5000 };

/** A check environment on the in-process sample tenant, with real clients over real HTTP. */
export async function sampleEnv(env: Record<string, string> = {}, opts: CheckEnvironmentOptions = {}): Promise<CheckEnvironment & { tenant: NonNullable<CheckEnvironment['sampleTenant']> }> {
  const config = loadConfig({ SAMPLE_TENANT: 'true', LOG_LEVEL: 'silent', HTTP_TIMEOUT_MS: '2000', ...env });
  const e = await createCheckEnvironment(config, createLogger('silent'), { retry: FAST_RETRY, ...opts });
  if (!e.sampleTenant) throw new Error('sample tenant did not start');
  return Object.assign(e, { tenant: e.sampleTenant });
}

export async function run(e: CheckEnvironment, id: string, memory = memoryPort(), now = new Date()): Promise<CheckOutcome> {
  const check = e.registry.get(id);
  if (!check) throw new Error(`no check ${id}`);
  return check.run({ now, memory });
}

export const titles = (o: CheckOutcome) => o.findings.map((f) => f.title);
export const bySeverity = (o: CheckOutcome, s: string) => o.findings.filter((f) => f.severity === s);
