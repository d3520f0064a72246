// TEMPORARY (lead): replaced by the checks helper's implementation.
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createRegistry, type CheckRegistry } from './check';
export async function createCheckEnvironment(_c: Config, _l: Logger, _o?: { now?: () => Date }): Promise<{ registry: CheckRegistry; sampleTenantUrl?: string; close(): Promise<void> }> {
  return { registry: createRegistry([]), close: async () => undefined };
}
