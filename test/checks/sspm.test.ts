import assert from 'node:assert/strict';
import { buildSecureScores, SAMPLE_CONTROL_FRACTIONS } from '../../src/sample-tenant/data';
import { run, sampleEnv, titles } from './support';

describe('sspm check (Secure Score by product) against the sample tenant', () => {
  let env: Awaited<ReturnType<typeof sampleEnv>>;
  beforeEach(async () => (env = await sampleEnv()));
  afterEach(async () => env.close());

  it('joins controlScores to every page of profiles, groups by product and warns on open recommendations and a drop', async () => {
    const o = await run(env, 'sspm');
    assert.equal(o.status, 'warn');
    assert.equal(o.sample, true);
    assert.match(o.summary, /3 open recommendations \(Defender for Cloud Apps 1, Salesforce 1, ServiceNow 1\)/);
    assert.match(o.summary, /ServiceNow down since last week/);
    assert.match(o.summary, /sample data/);
    const open = o.findings.filter((f) => f.severity === 'medium' && !f.title.includes('dropped'));
    assert.deepEqual(open.map((f) => f.title).sort(), [
      'Defender for Cloud Apps: Discover trends in shadow IT application usage',
      'Salesforce: Set a minimum password length of 12 characters',
      'ServiceNow: Configure a strong password policy',
    ]);
    // The action link is the profile's actionUrl, read from the second page of profiles.
    assert.equal(open.find((f) => f.title.startsWith('Defender'))!.link, 'https://security.microsoft.com/cloudapps/settings?tabid=discovery-autoUpload');
    // Ignored/ThirdParty/Reviewed controls and non-SSPM products (AzureAD, MDO) are not recommendations here.
    assert.ok(!titles(o).some((t) => /OAuth apps|login IP|Session activity|Safe Links|multifactor authentication can/.test(t)));
    const profilesCall = o.evidence.calls.find((c) => c.request.includes('secureScoreControlProfiles'))!;
    assert.equal(profilesCall.pages, 3);
    assert.equal(profilesCall.items, 26);
    assert.equal(env.tenant.log.count('controlProfiles'), 3);
    const products = o.evidence.products as Array<{ service: string; percent: number; weekAgoPercent: number }>;
    assert.deepEqual(products.map((p) => p.service).sort(), ['MCAS', 'MDA_SF', 'MDA_SNOW']);
    const snow = products.find((p) => p.service === 'MDA_SNOW')!;
    assert.ok(snow.percent < snow.weekAgoPercent);
  });

  it('passes when every MCAS/MDA control is complete or marked', async () => {
    const table = Object.fromEntries(Object.keys(SAMPLE_CONTROL_FRACTIONS).map((k) => [k, { today: 1, weekAgo: 1 }]));
    table.McasOAuthAppNotification = { today: 0, weekAgo: 0 }; // marked Ignored in its profile
    env.tenant.setData({ secureScores: buildSecureScores(new Date(), table) });
    const o = await run(env, 'sspm');
    assert.equal(o.status, 'pass', o.summary);
    assert.match(o.summary, /^All 15 controls for Defender for Cloud Apps and 2 SaaS apps are done or marked/);
  });

  it('fails when a high-maxScore control regressed since last week', async () => {
    const table = { ...SAMPLE_CONTROL_FRACTIONS, MDA_SNOW_enforceMfa: { today: 0.5, weekAgo: 1 } };
    env.tenant.setData({ secureScores: buildSecureScores(new Date(), table) });
    const o = await run(env, 'sspm');
    assert.equal(o.status, 'fail');
    assert.ok(titles(o).includes('ServiceNow: "Enforce multifactor authentication for all users" regressed'));
  });

  it('fails when connectors are expected but no MDA_* control is in the score', async () => {
    await env.close();
    env = await sampleEnv({ EXPECTED_APP_CONNECTORS: 'Salesforce,ServiceNow' });
    const table = Object.fromEntries(Object.entries(SAMPLE_CONTROL_FRACTIONS).filter(([k]) => !k.startsWith('MDA_')));
    env.tenant.setData({ secureScores: buildSecureScores(new Date(), table) });
    const o = await run(env, 'sspm');
    assert.equal(o.status, 'fail');
    assert.match(o.summary, /no SaaS \(SSPM\) recommendations although connectors are expected/i);
  });

  it('a 403 becomes manual naming SecurityEvents.Read.All', async () => {
    env.tenant.faults.add({ route: 'secureScores', status: 403 });
    const o = await run(env, 'sspm');
    assert.equal(o.status, 'manual');
    assert.match(o.summary, /SecurityEvents\.Read\.All/);
    assert.equal(o.evidence.calls.find((c) => c.request.includes('secureScores?'))!.status, 403);
  });

  it('retries a 500 on a later profiles page and still reads every page', async () => {
    env.tenant.faults.add({ route: 'controlProfiles', status: 500, times: 1, after: 1 });
    const o = await run(env, 'sspm');
    const served = env.tenant.log.requests.filter((r) => r.route === 'controlProfiles').map((r) => r.status);
    assert.equal(o.status, 'warn');
    assert.deepEqual(served, [200, 500, 200, 200]); // page 2 failed once, was retried, page 3 followed
  });

  it('never has more than 4 Secure Score requests in flight, even for parallel runs', async () => {
    env.tenant.faults.add({ route: 'secureScores', delayMs: 80 }, { route: 'controlProfiles', delayMs: 80 });
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => run(env, 'sspm')));
    assert.ok(outcomes.every((o) => o.status === 'warn'));
    const peak = env.tenant.log.maxConcurrent(['secureScores', 'controlProfiles']);
    assert.ok(peak <= 4, `peak ${peak}`);
    assert.ok(peak >= 2, `peak ${peak}: the runs did overlap`);
  });

  it('an error outcome when Graph keeps failing', async () => {
    env.tenant.faults.add({ route: 'secureScores', status: 503 });
    const o = await run(env, 'sspm');
    assert.equal(o.status, 'error');
    assert.match(o.summary, /503/);
    assert.match(o.summary, /after 3 attempts/);
  });
});
