import assert from 'node:assert/strict';
import { buildGovernance } from '../../src/sample-tenant/data';
import { run, sampleEnv } from './support';

const H = 3_600_000;

describe('governance-log check against the sample tenant', () => {
  let env: Awaited<ReturnType<typeof sampleEnv>>;
  afterEach(async () => env.close());

  it('is manual with the deep link by default and calls nothing', async () => {
    env = await sampleEnv();
    const o = await run(env, 'governance-log');
    assert.equal(o.status, 'manual');
    assert.equal(o.findings[0]!.link, 'https://security.microsoft.com/cloudapps/governance-log');
    assert.match(o.findings[0]!.detail, /CLOUD_APPS_API_TOKEN/);
    assert.equal(env.tenant.log.count('governance'), 0);
    assert.equal(o.evidence.calls[0]!.status, 'skipped');
  });

  describe('legacy-token mode', () => {
    beforeEach(async () => (env = await sampleEnv({ CLOUD_APPS_API_TOKEN: 'a'.repeat(64) })));

    it('fails on a failed governance action, read-only with the legacy token', async () => {
      const o = await run(env, 'governance-log');
      assert.equal(o.status, 'fail');
      const t = o.findings.map((f) => `${f.severity} ${f.title}`);
      assert.ok(t.includes('high Failed SuspendUserTask on megan@contoso.com'));
      assert.ok(t.includes('medium Failed DiscoveryParseLogTask on fw-edge-02_2024-01-01.log'));
      assert.ok(t.some((x) => /^medium QuarantineTask pending for 30 h/.test(x)));
      assert.ok(!t.some((x) => x.includes('TrashFileTask')), 'the 10-day-old failure is outside the week');
      const reqs = env.tenant.log.requests.filter((r) => r.route === 'governance');
      assert.equal(reqs.length, 1);
      assert.equal(reqs[0]!.authorization, `Token ${'a'.repeat(64)}`);
      assert.ok(env.tenant.log.requests.every((r) => !/retry/i.test(r.path)), 'never calls retry');
      assert.ok(!JSON.stringify(o).includes('a'.repeat(64)), 'the token is not in the outcome');
    });

    it('warns when only a retriable parse task failed, or a task is pending over 24 h', async () => {
      const now = new Date();
      const all = buildGovernance(now);
      env.tenant.setData({ governance: all.filter((t) => t.type === 'DiscoveryParseLogTask' || t.type === 'RmsProtectTask') });
      assert.equal((await run(env, 'governance-log', undefined, now)).status, 'warn');
      env.tenant.setData({ governance: all.filter((t) => t.type === 'QuarantineTask') });
      assert.equal((await run(env, 'governance-log', undefined, now)).status, 'warn');
    });

    it('fails on repeated log-parse failures', async () => {
      const now = new Date();
      const parse = buildGovernance(now).find((t) => t.type === 'DiscoveryParseLogTask')!;
      env.tenant.setData({ governance: [parse, { ...parse, _id: 'second', timestamp: now.getTime() - 5 * H }] });
      const o = await run(env, 'governance-log', undefined, now);
      assert.equal(o.status, 'fail');
    });

    it('passes with no failed or long-pending task', async () => {
      env.tenant.setData({ governance: buildGovernance(new Date()).filter((t) => t.status.isSuccess === true) });
      const o = await run(env, 'governance-log');
      assert.equal(o.status, 'pass');
      assert.match(o.summary, /No failed governance tasks/);
    });

    it('a 403 is manual and says what access is needed', async () => {
      env.tenant.faults.add({ route: 'governance', status: 403 });
      const o = await run(env, 'governance-log');
      assert.equal(o.status, 'manual');
      assert.match(o.summary, /legacy API token/);
    });
  });
});
