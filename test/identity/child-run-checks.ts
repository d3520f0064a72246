/**
 * Runs in a child process started by identity.test.ts, because NODE_EXTRA_CA_CERTS (trust for the test's
 * self-signed certificate) is read only at process start. Builds the real environment from process.env, runs two
 * checks and prints their outcomes as one JSON line.
 */
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createCheckEnvironment } from '../../src/checks/environment';

async function main() {
  const env = await createCheckEnvironment(loadConfig(process.env), createLogger('silent'));
  const memory = new Map<string, unknown>();
  const ctx = { now: new Date(), memory: { get: async <T>(k: string) => memory.get(k) as T | undefined, put: async (k: string, v: unknown) => void memory.set(k, v) } };
  const outcomes = [];
  for (const id of ['sspm', 'connectors']) outcomes.push(await env.registry.get(id)!.run(ctx));
  await env.close();
  process.stdout.write(JSON.stringify(outcomes) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e));
  process.exit(1);
});
