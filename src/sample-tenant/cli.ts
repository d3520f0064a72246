/**
 * Start the sample tenant on its own: `npx tsx src/sample-tenant/cli.ts [port]`. Prints the base URL to use as
 * GRAPH_BASE_URL and CLOUD_APPS_BASE_URL, and how to flip faults from another process.
 */
import { startSampleTenant } from './server';

async function main() {
  const port = Number(process.argv[2] ?? 0);
  const tenant = await startSampleTenant({ port });
  process.stdout.write(
    [
      `sample tenant listening on ${tenant.url}`,
      `  GRAPH_BASE_URL=${tenant.url} CLOUD_APPS_BASE_URL=${tenant.url}`,
      `  faults: curl -X POST ${tenant.url}/_sample/faults -H 'content-type: application/json' -d '{"route":"alerts","status":429,"retryAfter":2,"times":1}'`,
      `  stats:  curl ${tenant.url}/_sample/stats`,
      '',
    ].join('\n'),
  );
  const stop = () => void tenant.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
