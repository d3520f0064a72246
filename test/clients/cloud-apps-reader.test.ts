import assert from 'node:assert/strict';
import { createRestCloudAppsReader } from '../../src/cloud-apps/rest-cloud-apps-reader';
import { createHttpSender } from '../../src/net/http-sender';
import { RollingWindowLimiter } from '../../src/net/rate-limiter';
import { realTimer } from '../../src/net/timer';
import { NotConfiguredError, UpstreamError } from '../../src/net/errors';
import { clients, TOKEN } from './support';

describe('CloudAppsReader over fetch, against the sample tenant', () => {
  let c: Awaited<ReturnType<typeof clients>>;
  afterEach(async () => c.tenant.close());

  it('pages alerts with skip/limit 100 until hasNext is false, 7-day filter in the body', async () => {
    c = await clients();
    const r = await c.cloudApps.listAlerts(7);
    assert.equal(r.pages, 2);
    assert.equal(r.items.length, 132);
    assert.ok(r.items.every((a) => a.timestamp! > Date.now() - 7 * 86_400_000));
    assert.ok(c.tenant.log.requests.every((x) => x.method === 'POST' && x.authorization === `Bearer ${TOKEN}`));
  });

  it('accepts streams as {streams}, {data} or a bare array', async () => {
    c = await clients();
    for (const shape of ['streams', 'data', 'array'] as const) {
      c.tenant.setData({ streamsShape: shape });
      const r = await c.cloudApps.listDiscoveryStreams();
      assert.equal(r.items.length, 4, shape);
      assert.equal(r.items[1]!.displayName, 'FW-EDGE-02');
    }
  });

  it('works with a /cas base path and sends the legacy token as "Token <key>" when no Entra app is set', async () => {
    c = await clients();
    const reader = createRestCloudAppsReader({
      baseUrl: `${c.tenant.url}/cas/`,
      legacyToken: 'L'.repeat(64),
      send: createHttpSender({ api: 'cloud-apps', timeoutMs: 2000 }),
      limiter: new RollingWindowLimiter(30, 60_000, realTimer),
    });
    assert.equal(reader.authMode, 'legacy-token');
    await reader.listDiscoveryStreams();
    const tasks = await reader.listGovernanceTasks(7);
    assert.deepEqual(tasks.items.map((t) => t.type), ['SuspendUserTask', 'QuarantineTask', 'DiscoveryParseLogTask']);
    assert.ok(c.tenant.log.requests.every((x) => x.path.startsWith('/cas/api/') && x.authorization === `Token ${'L'.repeat(64)}`));
  });

  it('governance needs the legacy token; without it, it is not configured (no call)', async () => {
    c = await clients();
    await assert.rejects(c.cloudApps.listGovernanceTasks(7), (e: unknown) => e instanceof NotConfiguredError && e.variables.includes('CLOUD_APPS_API_TOKEN'));
    assert.equal(c.tenant.log.count('governance'), 0);
  });

  it('a 403 names the Cloud Apps permission', async () => {
    c = await clients();
    c.tenant.faults.add({ route: 'streams', status: 403 });
    const err = await c.cloudApps.listDiscoveryStreams().catch((e: unknown) => e);
    assert.ok(err instanceof UpstreamError);
    assert.match(err.message, /Discovery\.Read/);
  });

  it('needs a credential or a legacy token', () => {
    assert.throws(
      () => createRestCloudAppsReader({ baseUrl: 'https://x', send: createHttpSender({ api: 'cloud-apps', timeoutMs: 100 }), limiter: new RollingWindowLimiter(1, 1, realTimer) }),
      NotConfiguredError,
    );
  });
});
