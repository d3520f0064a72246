import assert from 'node:assert/strict';
import { startSampleTenant, type SampleTenant } from '../../src/sample-tenant/server';

const AUTH = { Authorization: 'Bearer t' };

describe('sample tenant server', () => {
  let t: SampleTenant;
  afterEach(async () => t.close());

  it('listens on loopback only, on a random port', async () => {
    t = await startSampleTenant();
    assert.match(t.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(t.port > 0);
  });

  it('accepts /api/ and /cas/api/ prefixes, with or without a trailing slash', async () => {
    t = await startSampleTenant();
    for (const path of ['/api/discovery/streams/', '/api/discovery/streams', '/cas/api/discovery/streams/', '/cas/api/discovery/streams']) {
      const r = await fetch(`${t.url}${path}`, { headers: AUTH });
      assert.equal(r.status, 200, path);
      assert.equal(((await r.json()) as { streams: unknown[] }).streams.length, 4);
    }
  });

  it('answers 401 without credentials, 403 for a Bearer token on the governance log, data for a legacy token', async () => {
    t = await startSampleTenant();
    assert.equal((await fetch(`${t.url}/v1.0/security/secureScores`)).status, 401);
    assert.equal((await fetch(`${t.url}/v1.0/security/secureScores`, { headers: { Authorization: 'Token abc' } })).status, 401);
    assert.equal((await fetch(`${t.url}/api/v1/governance/`, { method: 'POST', headers: AUTH, body: '{}' })).status, 403);
    const ok = await fetch(`${t.url}/api/v1/governance/`, { method: 'POST', headers: { Authorization: 'Token abc' }, body: '{}' });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { data: unknown[] }).data.length, 5);
  });

  it('flips faults over the admin HTTP endpoint (for other processes) and counts requests per route and minute', async () => {
    t = await startSampleTenant();
    const post = (path: string, body: unknown) => fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post('/_sample/faults', { route: 'secureScores', status: 429, retryAfter: 7, times: 1 })).status, 200);
    const r1 = await fetch(`${t.url}/v1.0/security/secureScores?$top=1`, { headers: AUTH });
    assert.equal(r1.status, 429);
    assert.equal(r1.headers.get('retry-after'), '7');
    assert.equal(((await r1.json()) as { error: { code: string } }).error.code, 'TooManyRequests');
    assert.equal((await fetch(`${t.url}/v1.0/security/secureScores?$top=1`, { headers: AUTH })).status, 200, 'times: 1');

    await post('/_sample/faults', { faults: [{ route: 'cloud-apps', status: 500 }] });
    assert.equal((await fetch(`${t.url}/api/v1/alerts/`, { method: 'POST', headers: AUTH, body: '{}' })).status, 500);
    assert.equal((await fetch(`${t.url}/_sample/faults`, { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(`${t.url}/api/v1/alerts/`, { method: 'POST', headers: AUTH, body: '{}' })).status, 200);

    const stats = (await (await fetch(`${t.url}/_sample/stats`)).json()) as {
      total: number;
      byRoute: Record<string, { count: number; maxPerMinute: number }>;
      perMinute: Record<string, Record<string, number>>;
      requests: Array<{ auth?: string }>;
    };
    assert.equal(stats.total, 4);
    assert.equal(stats.byRoute.secureScores!.count, 2);
    assert.equal(stats.byRoute.alerts!.maxPerMinute, 2);
    assert.equal(Object.values(stats.perMinute.alerts!).reduce((a, b) => a + b, 0), 2);
    assert.ok(stats.requests.every((r) => r.auth?.startsWith('Bearer sha256:')), 'tokens are fingerprinted, not shown');
    assert.ok(!JSON.stringify(stats).includes('Bearer t"'));
  });

  it('rejects an invalid fault', async () => {
    t = await startSampleTenant();
    const r = await fetch(`${t.url}/_sample/faults`, { method: 'POST', body: JSON.stringify({ route: 'nope', status: 500 }) });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { error: string }).error, /fault.route must be one of/);
    assert.throws(() => t.faults.add({ route: 'alerts' }));
  });

  it('replaces data and resets over HTTP', async () => {
    t = await startSampleTenant();
    await fetch(`${t.url}/_sample/data`, { method: 'POST', body: JSON.stringify({ streams: [] }) });
    assert.deepEqual(((await (await fetch(`${t.url}/api/discovery/streams/`, { headers: AUTH })).json()) as { streams: unknown[] }).streams, []);
    await fetch(`${t.url}/_sample/reset`, { method: 'POST' });
    assert.equal(t.data.streams.length, 4);
    assert.equal(t.log.count(), 0);
  });

  it('slow answers are delayed', async () => {
    t = await startSampleTenant();
    t.faults.add({ route: 'application', delayMs: 200, times: 1 });
    const started = Date.now();
    const r = await fetch(`${t.url}/v1.0/applications(appId='abc')`, { headers: AUTH });
    assert.equal(r.status, 200);
    assert.ok(Date.now() - started >= 190);
  });

  it('emulates the Cloud Apps 30-per-minute budget with 429s when asked', async () => {
    t = await startSampleTenant({ cloudAppsBudget: { perMinute: 2, mode: '429' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${t.url}/api/discovery/streams/`, { headers: AUTH })).status);
    assert.deepEqual(statuses, [200, 200, 429, 429]);
  });

  it('serves realistic data: profile pages, two MDA products, a secret expiring in 10 days', async () => {
    t = await startSampleTenant();
    const services = new Set(t.data.controlProfiles.map((p) => p.service));
    assert.ok(services.has('MCAS') && services.has('MDA_SF') && services.has('MDA_SNOW'));
    const secret = (t.data.application.passwordCredentials as Array<{ endDateTime: string }>)[0]!;
    const days = (Date.parse(secret.endDateTime) - Date.now()) / 86_400_000;
    assert.ok(days > 9.9 && days <= 10);
    const first = (await (await fetch(`${t.url}/v1.0/security/secureScoreControlProfiles`, { headers: AUTH })).json()) as Record<string, unknown>;
    assert.match(String(first['@odata.nextLink']), /\$skiptoken=/);
  });
});
