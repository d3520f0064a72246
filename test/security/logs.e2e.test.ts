import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BotProcess, tempDir } from '../support/bot-process';
import { LoopbackConnector } from '../support/loopback-connector';
import { ALEX, cardAction, channelMessage, TENANT } from '../support/teams-activities';
import { OpenIdServer } from './support/openid';
import { seedChecklist } from './support/world';

/**
 * Secrets never reach the logs. The bot runs authenticated at LOG_LEVEL=trace with every secret configured; the
 * test sends requests carrying secrets and tokens in headers, makes authentication fail in many ways, and makes
 * outbound calls fail (no token endpoint here), then searches everything the process wrote (stdout and stderr).
 */
describe('security: no secrets in logs', function () {
  this.timeout(120_000);
  const BOT_ID = '7d0c1b2a-3e4f-4a5b-9c6d-7e8f9a0b1c2d';
  const rand = (p: string) => `${p}${randomBytes(12).toString('hex')}`;
  const secrets = {
    BOT_PASSWORD: rand('BotPw~'),
    JOB_SECRET: rand('job-secret-'),
    AZURE_CLIENT_SECRET: rand('azcs~'),
    CLOUD_APPS_API_TOKEN: rand('mcas-'),
  };
  const connector = new LoopbackConnector();
  const openid = new OpenIdServer();
  const dataDir = tempDir('rounds-logs-');
  let bot: BotProcess;
  const tokensSent: string[] = [];

  before(async () => {
    await connector.start();
    await openid.start();
    const seeded = await seedChecklist(dataDir, connector);
    bot = await new BotProcess({
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'trace',
      BOT_ID,
      BOT_TENANT_ID: TENANT,
      BOT_OPENID_METADATA_URL: openid.metadataUrl,
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: '3c2b1a09-8f7e-4d6c-8b5a-4f3e2d1c0b9a',
      AZURE_AUTHORITY_HOST: 'https://127.0.0.1:9',
      CLOUD_APPS_BASE_URL: 'http://127.0.0.1:9',
      GRAPH_BASE_URL: 'http://127.0.0.1:9',
      CARD_UPDATE_DELAY_MS: '100',
      HTTP_TIMEOUT_MS: '1000',
      ...secrets,
    }).start();
    (bot as unknown as { seeded: typeof seeded }).seeded = seeded;
  });

  after(async () => {
    await bot?.kill();
    await connector.stop();
    await openid.stop();
  });

  it('requests with secrets in headers, failing authentication and failing outbound calls leave no secret in the logs', async () => {
    const seeded = (bot as unknown as { seeded: Awaited<ReturnType<typeof seedChecklist>> }).seeded;
    const serviceUrl = connector.url;
    const valid = async () => {
      const t = await openid.token({ aud: BOT_ID, serviceUrl });
      tokensSent.push(t);
      return t;
    };
    const msg = channelMessage(serviceUrl, 'status');
    const secretHeaders = {
      cookie: `session=${secrets.JOB_SECRET}`,
      'x-api-key': secrets.CLOUD_APPS_API_TOKEN,
      'proxy-authorization': `Basic ${Buffer.from(`u:${secrets.BOT_PASSWORD}`).toString('base64')}`,
    };
    // Failing authentication in many ways.
    const bad = [
      `Bearer ${secrets.JOB_SECRET}`,
      `Bearer ${secrets.BOT_PASSWORD}`,
      `Basic ${Buffer.from(`${BOT_ID}:${secrets.BOT_PASSWORD}`).toString('base64')}`,
      `Bearer ${await openid.token({ aud: BOT_ID, serviceUrl, rogue: true })}`,
      `Bearer ${await openid.token({ aud: BOT_ID, serviceUrl, expiresIn: -3600, issuedAt: -7200, notBefore: -7200 })}`,
      `Bearer ${await openid.token({ aud: 'ffffffff-0000-4000-8000-000000000000', serviceUrl })}`,
      `Bearer ${openid.unsignedToken({ aud: BOT_ID, serviceUrl })}`,
      `Bearer ${await openid.token({ aud: BOT_ID, serviceUrl, kid: 'nope' })}`,
    ];
    for (const authorization of bad) {
      tokensSent.push(authorization.split(' ')[1]);
      const res = await bot.post('/api/messages', msg, { authorization, ...secretHeaders });
      assert.equal(res.status, 401);
    }
    // Job endpoints with wrong and right secrets.
    assert.equal((await bot.post('/api/jobs/remind', {}, { authorization: `Bearer ${secrets.JOB_SECRET}-wrong`, ...secretHeaders })).status, 401);
    assert.equal((await bot.post('/api/jobs/remind', {}, { authorization: `Bearer ${secrets.JOB_SECRET}` })).status, 200);
    // Authenticated turns whose outbound calls fail: a reply (needs a bot token from the unreachable login
    // endpoint, with BOT_PASSWORD), a check (Graph / Defender for Cloud Apps credentials), an ack (roster lookup).
    assert.equal((await bot.post('/api/messages', channelMessage(serviceUrl, 'status'), { authorization: `Bearer ${await valid()}`, ...secretHeaders })).status, 200);
    assert.equal((await bot.post('/api/messages', channelMessage(serviceUrl, 'check connectors'), { authorization: `Bearer ${await valid()}` })).status, 200);
    const ack = cardAction(serviceUrl, 'ack', { postId: seeded.postId, periodKey: seeded.periodKey, itemId: 'sspm' }, ALEX, seeded.thread);
    assert.equal((await bot.post('/api/messages', ack, { authorization: `Bearer ${await valid()}` })).status, 200);
    // Secret-looking fields in the body.
    await bot.post('/api/messages', { ...msg, value: { password: secrets.BOT_PASSWORD, token: secrets.JOB_SECRET } }, { authorization: `Bearer ${await valid()}` });
    // Give failing background work (reply, card update, check) time to log.
    await new Promise((r) => setTimeout(r, 5000));

    const logs = bot.logs;
    assert.ok(/request refused: authentication failed/.test(logs), 'the refusals were logged');
    assert.ok(logs.length > 2000, `logs captured: ${logs.length} chars`);
    for (const [name, value] of Object.entries(secrets)) {
      for (const form of [value, encodeURIComponent(value), Buffer.from(value).toString('base64')]) {
        assert.ok(!logs.includes(form), `${name} appears in the logs`);
      }
    }
    for (const t of tokensSent) {
      // A JWT is three parts; none of the signatures or whole tokens may appear (headers/payloads are not secret).
      const parts = t.split('.');
      if (parts.length === 3 && parts[2]) assert.ok(!logs.includes(parts[2]), 'a token signature appears in the logs');
      assert.ok(!logs.includes(t), 'a token appears in the logs');
    }
    assert.ok(!/authorization"?\s*[:=]\s*"?(Bearer|Basic)\s+\S{8,}/i.test(logs), 'an authorization header value appears in the logs');
    assert.ok(!/session=job-secret/.test(logs), 'a cookie appears in the logs');
  });
});
