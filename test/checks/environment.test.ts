import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createCheckEnvironment } from '../../src/checks/environment';
import { memoryPort, sampleEnv } from './support';

describe('createCheckEnvironment', () => {
  it('registers the four checks with stable ids and the chat aliases', async () => {
    const env = await createCheckEnvironment(loadConfig({ LOG_LEVEL: 'silent' }), createLogger('silent'));
    try {
      assert.deepEqual(env.registry.list().map((c) => c.id), ['sspm', 'connectors', 'message-center', 'governance-log']);
      const resolve = (w: string) => env.registry.resolve(w)?.id;
      assert.equal(resolve('secure score'), 'sspm');
      assert.equal(resolve('posture'), 'sspm');
      assert.equal(resolve('SSPM'), 'sspm');
      assert.equal(resolve('connectors'), 'connectors');
      assert.equal(resolve('message center'), 'message-center');
      assert.equal(resolve('changes'), 'message-center');
      assert.equal(resolve('governance'), 'governance-log');
      assert.equal(resolve('governance log'), 'governance-log');
      assert.equal(env.sampleTenantUrl, undefined);
    } finally {
      await env.close();
    }
  });

  it('with no Azure or Cloud Apps configuration every check answers manual and names the variables', async () => {
    const env = await createCheckEnvironment(loadConfig({ LOG_LEVEL: 'silent' }), createLogger('silent'));
    const outcomes = await Promise.all(env.registry.list().map((c) => c.run({ now: new Date(), memory: memoryPort() })));
    await env.close();
    for (const o of outcomes) {
      assert.equal(o.status, 'manual', `${o.checkId}: ${o.summary}`);
      assert.equal(o.sample, undefined);
    }
    const [sspm, connectors, messages] = outcomes;
    assert.match(sspm!.summary, /AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH/);
    assert.match(connectors!.summary, /CLOUD_APPS_BASE_URL/);
    assert.match(connectors!.summary, /AZURE_TENANT_ID/);
    assert.match(messages!.summary, /AZURE_CLIENT_ID/);
    assert.equal(sspm!.evidence.calls[0]!.status, 'not-configured');
  });

  it('with a Cloud Apps URL but no credential, names both ways to authenticate', async () => {
    const env = await createCheckEnvironment(
      loadConfig({ LOG_LEVEL: 'silent', CLOUD_APPS_BASE_URL: 'https://contoso.eu2.portal.cloudappsecurity.com' }),
      createLogger('silent'),
    );
    const o = await env.registry.get('connectors')!.run({ now: new Date(), memory: memoryPort() });
    await env.close();
    assert.match(o.summary, /CLOUD_APPS_API_TOKEN/);
  });

  it('an unreachable identity endpoint is an error outcome within the timeout, not a hang or a throw', async () => {
    const env = await createCheckEnvironment(
      loadConfig({
        LOG_LEVEL: 'silent',
        HTTP_TIMEOUT_MS: '1500',
        AZURE_TENANT_ID: '7a1c0b9e-5d3f-4e21-9c8b-2f6a4d1e0b57',
        AZURE_CLIENT_ID: '3f9d2c71-8b4e-4a6f-b1d2-9e0c5a7f3b18',
        AZURE_CLIENT_SECRET: 'not-a-real-secret-value',
        AZURE_AUTHORITY_HOST: 'https://127.0.0.1:9',
      }),
      createLogger('silent'),
    );
    const started = Date.now();
    const o = await env.registry.get('sspm')!.run({ now: new Date(), memory: memoryPort() });
    await env.close();
    assert.equal(o.status, 'error');
    assert.match(o.summary, /Could not get a token/);
    assert.ok(!o.summary.includes('not-a-real-secret-value'));
    assert.ok(Date.now() - started < 10_000);
  });

  it('SAMPLE_TENANT=true starts the sample tenant, marks every outcome as sample, and close() stops it', async () => {
    const env = await sampleEnv();
    assert.ok(env.sampleTenantUrl?.startsWith('http://127.0.0.1:'));
    const outcomes = await Promise.all(env.registry.list().map((c) => c.run({ now: new Date(), memory: memoryPort() })));
    assert.ok(outcomes.every((o) => o.sample === true && /\(sample data\)$/.test(o.summary)));
    assert.deepEqual(outcomes.map((o) => o.status), ['warn', 'fail', 'fail', 'manual']);
    await env.close();
    await assert.rejects(fetch(`${env.sampleTenantUrl}/_sample/health`));
  });
});
