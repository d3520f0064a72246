import assert from 'node:assert/strict';
import { buildApplication, buildHuntingRows, buildStreams, buildAlerts } from '../../src/sample-tenant/data';
import { memoryPort, run, sampleEnv, titles } from './support';

const H = 3_600_000;
const D = 24 * H;

/** A tenant where everything the connectors check can see is healthy. */
function healthy(now: Date) {
  return {
    alerts: buildAlerts(now).filter((a) => !/system alert/i.test(String(a.title))),
    streams: buildStreams(now).map((s) => (s.streamType === 1 ? { ...s, lastDataReceived: new Date(now.getTime() - 2 * H).toISOString() } : s)),
    application: { ...buildApplication(now), passwordCredentials: [{ ...buildApplication(now).passwordCredentials[0], endDateTime: new Date(now.getTime() + 200 * D).toISOString() }] },
    huntingRows: buildHuntingRows(now).map((r) => ({ ...r, LastEvent: new Date(now.getTime() - 3 * H).toISOString() })),
  };
}

describe('connectors check against the sample tenant', () => {
  let env: Awaited<ReturnType<typeof sampleEnv>>;
  beforeEach(async () => (env = await sampleEnv()));
  afterEach(async () => env.close());

  it('finds the open system alert, the stale log collector, the expiring secret and a quiet connector (fail)', async () => {
    const o = await run(env, 'connectors');
    assert.equal(o.status, 'fail');
    const t = titles(o);
    assert.ok(t.includes('Open system alert: System alert: app connector error for ServiceNow'));
    assert.ok(t.some((x) => /^Log collector FW-EDGE-02 silent for 60 h$/.test(x)));
    assert.ok(t.includes('App secret "rounds-bot" expires in 10 days'));
    assert.ok(t.includes('App connector Salesforce: no events for 30 h'));
    assert.ok(t.includes('SIEM agents: check in the portal'));
    assert.ok(t.includes('API tokens: review in the portal'));
    // A system alert recognised by its title alone (isSystemAlert false), closed → low.
    assert.equal(o.findings.find((f) => f.title.startsWith('Closed system alert'))!.severity, 'low');
    // Every page of alerts was read with limit 100: 132 alerts in 7 days → 2 pages.
    const alerts = o.evidence.calls.find((c) => c.request.includes('/alerts/'))!;
    assert.equal(alerts.pages, 2);
    assert.equal(alerts.items, 132);
    assert.equal(env.tenant.log.count('alerts'), 2);
    assert.equal(o.findings[0]!.severity, 'high');
    assert.equal(o.sample, true);
    assert.deepEqual(o.evidence.parts, {
      systemAlerts: 'fail',
      logCollectors: 'fail',
      ownCredentials: 'warn',
      appConnectors: 'warn',
      caacApps: 'manual',
      siemAgents: 'manual',
      apiTokens: 'manual',
    });
  });

  it('passes when alerts, collectors, credentials and connectors are healthy', async () => {
    env.tenant.setData(healthy(new Date()));
    const o = await run(env, 'connectors');
    assert.equal(o.status, 'pass', o.summary);
    assert.match(o.summary, /^No system alerts/);
  });

  it('warns when system alerts exist but all are closed', async () => {
    const now = new Date();
    const h = healthy(now);
    const closed = buildAlerts(now).filter((a) => /system alert/i.test(String(a.title))).map((a) => ({ ...a, resolutionStatusValue: 2 }));
    env.tenant.setData({ ...h, alerts: [...h.alerts, ...closed] });
    const o = await run(env, 'connectors');
    assert.equal(o.status, 'warn');
    assert.equal(o.evidence.parts && (o.evidence.parts as Record<string, string>).systemAlerts, 'warn');
  });

  it('warns for a collector silent 24-48 h and when failed files grew since the last run', async () => {
    const now = new Date();
    const h = healthy(now);
    const memory = memoryPort();
    env.tenant.setData({ ...h, streams: h.streams.map((s) => (s.displayName === 'FW-EDGE-01' ? { ...s, lastDataReceived: new Date(now.getTime() - 30 * H).toISOString() } : s)) });
    let o = await run(env, 'connectors', memory, now);
    assert.equal(o.status, 'warn');
    assert.ok(titles(o).includes('Log collector FW-EDGE-01 silent for 30 h'));

    env.tenant.setData(h);
    o = await run(env, 'connectors', memory, now);
    assert.equal(o.status, 'pass', 'same fail counts as last run');
    env.tenant.setData({ streams: h.streams.map((s) => (s.displayName === 'Proxy-Zscaler' ? { ...s, logFilesFailsCount: 4 } : s)) });
    o = await run(env, 'connectors', memory, now);
    assert.equal(o.status, 'warn');
    assert.ok(titles(o).includes('Log collector Proxy-Zscaler: 4 more failed log files'));
  });

  it('fails for an expired secret', async () => {
    const now = new Date();
    const h = healthy(now);
    env.tenant.setData({ ...h, application: { ...h.application, passwordCredentials: [{ displayName: 'old', keyId: 'k1', endDateTime: new Date(now.getTime() - D).toISOString() }] } });
    const o = await run(env, 'connectors', memoryPort(), now);
    assert.equal(o.status, 'fail');
    assert.ok(titles(o).includes('App secret "old" expired'));
  });

  it('fails when a connector has been quiet for more than 72 h, or an expected one is missing', async () => {
    await env.close();
    env = await sampleEnv({ EXPECTED_APP_CONNECTORS: 'Salesforce,Box' });
    const now = new Date();
    const h = healthy(now);
    env.tenant.setData({ ...h, huntingRows: h.huntingRows.map((r) => (r.Application === 'ServiceNow' ? { ...r, LastEvent: new Date(now.getTime() - 80 * H).toISOString() } : r)) });
    const o = await run(env, 'connectors', memoryPort(), now);
    assert.equal(o.status, 'fail');
    assert.ok(titles(o).includes('App connector ServiceNow: no events for 80 h'));
    assert.ok(titles(o).includes('App connector Box: no events in 7 days'));
    assert.ok(!titles(o).includes('App connector Salesforce: no events in 7 days'));
  });

  it('without ThreatHunting.Read.All (403) app connectors are manual with the permission named and the deep link', async () => {
    env.tenant.setData(healthy(new Date()));
    env.tenant.faults.add({ route: 'huntingQuery', status: 403 });
    const o = await run(env, 'connectors');
    assert.equal(o.status, 'manual');
    const f = o.findings.find((x) => x.title === 'App connectors: check in the portal')!;
    assert.match(f.detail, /ThreatHunting\.Read\.All/);
    assert.equal(f.link, 'https://security.microsoft.com/cloudapps/settings?tabid=appConnectors');
    assert.match(o.summary, /ThreatHunting\.Read\.All/);
    assert.equal(env.tenant.log.count('huntingQuery'), 1, '403 is not retried');
  });

  it('a 403 on Cloud Apps alerts names Investigation.Read; other parts still run', async () => {
    env.tenant.faults.add({ route: 'alerts', status: 403 });
    const o = await run(env, 'connectors');
    assert.equal(o.status, 'fail', 'the stale collector is still found');
    assert.match(o.findings.find((f) => f.title === 'System alerts not checked')!.detail, /Investigation\.Read/);
  });

  it('an upstream outage becomes status error with a clear summary, never a throw', async () => {
    env.tenant.setData(healthy(new Date()));
    env.tenant.faults.add({ route: 'cloud-apps', status: 500 });
    const o = await run(env, 'connectors');
    assert.equal(o.status, 'error');
    assert.match(o.summary, /Defender for Cloud Apps answered 500/);
  });
});
