import assert from 'node:assert/strict';
import { BotProcess, tempDir } from '../support/bot-process';
import { cardsIn, cardText, LoopbackConnector } from '../support/loopback-connector';
import { ALEX, cardAction, channelMessage, LEE, MEGAN, TENANT } from '../support/teams-activities';
import { OpenIdServer } from './support/openid';
import { seedChecklist, snapshot } from './support/world';

/**
 * Channel authentication with real tokens: the bot runs with BOT_ID set and reads its signing keys from a local
 * OpenID metadata + JWKS server (BOT_OPENID_METADATA_URL); tokens are signed here with jose. Validation is
 * botbuilder's own; these tests pin what it accepts and refuses, that a refusal is a bare 401, and that a refused
 * request records nothing.
 */
describe('security: channel authentication with real tokens', function () {
  this.timeout(120_000);
  const BOT_ID = '5e1f6c8a-3b2d-4c4e-9f0a-1b2c3d4e5f60';
  const OTHER_APP = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
  const connector = new LoopbackConnector();
  const openid = new OpenIdServer();
  const dataDir = tempDir('rounds-auth-');
  let bot: BotProcess;
  let seeded: Awaited<ReturnType<typeof seedChecklist>>;
  let serviceUrl: string;

  before(async () => {
    await connector.start();
    await openid.start();
    serviceUrl = connector.url;
    seeded = await seedChecklist(dataDir, connector);
    bot = await new BotProcess({
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      BOT_ID,
      BOT_PASSWORD: 'x',
      BOT_TENANT_ID: TENANT,
      BOT_TYPE: 'SingleTenant',
      BOT_OPENID_METADATA_URL: openid.metadataUrl,
      // sspm and connectors by named people; other items fall back to the team roster.
      ACK_ALLOWED: `sspm:${ALEX.aadObjectId},sspm:${MEGAN.aadObjectId},connectors:${MEGAN.aadObjectId}`,
      CARD_UPDATE_DELAY_MS: '60000',
      SAMPLE_TENANT: 'true',
      CHECKLIST_TIMEZONE: 'UTC',
    }).start();
  });

  after(async () => {
    await bot?.kill();
    await connector.stop();
    await openid.stop();
  });

  const valid = (over: Parameters<OpenIdServer['token']>[0] | object = {}) => openid.token({ aud: BOT_ID, serviceUrl, ...over });
  const ack = (itemId: string, from = MEGAN) => cardAction(serviceUrl, 'ack', { postId: seeded.postId, periodKey: seeded.periodKey, itemId }, from, seeded.thread);
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  /** A status reply read from the HTTP answer (deliveryMode expectReplies), so no outbound token is needed. */
  async function statusText(): Promise<string> {
    const res = await bot.post('/api/messages', { ...channelMessage(serviceUrl, 'status'), deliveryMode: 'expectReplies' }, bearer(await valid()));
    assert.equal(res.status, 200, res.text);
    return (res.body.activities as unknown[]).flatMap((a) => cardsIn(a).map(cardText)).join('\n');
  }

  it('accepts a valid channel token: the turn runs and answers', async () => {
    const text = await statusText();
    assert.match(text, /Review SaaS security posture management/);
    assert.match(text, /0 of 4 acknowledged/);
    assert.ok(openid.metadataHits >= 1 && openid.keyHits >= 1, 'keys were read from BOT_OPENID_METADATA_URL');
  });

  it('records an acknowledgement sent with a valid token (answer in the invoke response)', async () => {
    const before = snapshot(dataDir).acks.length;
    const res = await bot.post('/api/messages', ack('sspm', ALEX), bearer(await valid()));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(res.body.value), /✔ Alex Wilber/);
    const after = snapshot(dataDir).acks;
    assert.equal(after.length, before + 1);
    assert.ok(after.some((a) => a.user_id === ALEX.aadObjectId && a.item_id === 'sspm'));
  });

  const refused: Array<[string, () => Promise<Record<string, string>>]> = [
    ['no Authorization header', async () => ({})],
    ['an empty Authorization header', async () => ({ authorization: '' })],
    ['a non-Bearer scheme', async () => ({ authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` })],
    ['a Bearer token that is not a JWT', async () => bearer('not-a-jwt')],
    ['an expired token (beyond the 5-minute clock tolerance)', async () => bearer(await valid({ issuedAt: -7200, notBefore: -7200, expiresIn: -600 }))],
    ['a not-yet-valid token (nbf in 1 hour)', async () => bearer(await valid({ notBefore: 3600 }))],
    ['the wrong audience (another app id)', async () => bearer(await openid.token({ aud: OTHER_APP, serviceUrl }))],
    ['the wrong issuer', async () => bearer(await valid({ iss: 'https://api.botframework.com.evil.example' }))],
    ['a bad signature (signed by a key that is not published, same kid)', async () => bearer(await valid({ rogue: true }))],
    ['a payload altered after signing', async () => bearer(await openid.tamperedToken({ aud: BOT_ID, serviceUrl }))],
    ['alg: none', async () => bearer(openid.unsignedToken({ aud: BOT_ID, serviceUrl }))],
    ['an unknown key id', async () => bearer(await valid({ kid: 'rotated-away' }))],
    ['a serviceUrl claim for another host', async () => bearer(await openid.token({ aud: BOT_ID, serviceUrl: 'https://smba.evil.example/' }))],
    ['no serviceUrl claim', async () => bearer(await valid({ omitServiceUrl: true }))],
  ];

  for (const [name, headers] of refused) {
    it(`refuses ${name} with a bare 401 and records nothing`, async () => {
      const before = snapshot(dataDir);
      const calls = connector.calls.length;
      const res = await bot.post('/api/messages', ack('connectors', MEGAN), await headers());
      assert.equal(res.status, 401, res.text);
      assert.deepEqual(res.body, { error: 'Unauthorized.' });
      assert.equal(res.text, '{"error":"Unauthorized."}', 'no reason, message or stack to the caller');
      assert.deepEqual(snapshot(dataDir), before);
      assert.equal(connector.calls.length, calls, 'nothing sent');
    });
  }

  it('after all refusals, an authenticated status shows only the valid acknowledgement', async () => {
    const text = await statusText();
    assert.match(text, /✔ Alex Wilber/);
    assert.ok(!/Megan Bowen/.test(text), text);
    assert.deepEqual(
      snapshot(dataDir).acks.map((a) => a.user_id),
      [ALEX.aadObjectId],
    );
  });

  it('a valid token but an activity serviceUrl other than the claim is refused', async () => {
    const res = await bot.post('/api/messages', { ...ack('connectors', MEGAN), serviceUrl: 'https://smba.evil.example/' }, bearer(await valid()));
    assert.equal(res.status, 401);
  });

  it('ACK_ALLOWED in Teams mode: a person not listed for the item is told who to ask, nothing recorded', async () => {
    const before = snapshot(dataDir);
    const res = await bot.post('/api/messages', ack('sspm', LEE), bearer(await valid()));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.type, 'application/vnd.microsoft.activity.message');
    assert.match(res.body.value, /not allowed to acknowledge.*Ask .*ACK_ALLOWED/);
    assert.deepEqual(snapshot(dataDir), before);
  });

  it('default roster policy fails closed: when the team roster cannot be read, the ack is refused in time', async () => {
    // message-center has no ACK_ALLOWED entry, so the roster decides; the roster call needs an outbound token from
    // login.microsoftonline.com, which does not answer here.
    const before = snapshot(dataDir);
    const started = Date.now();
    const res = await bot.post('/api/messages', ack('message-center', ALEX), bearer(await valid()));
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.body.value), /not allowed to acknowledge.*(could not check|Only members)/);
    assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
    assert.deepEqual(snapshot(dataDir), before);
  });

  it('when the signing keys cannot be loaded the answer is 503, not 500, and nothing runs', async () => {
    const dead = await new BotProcess({
      DATA_DIR: tempDir('rounds-auth-dead-'),
      BOT_ID,
      BOT_PASSWORD: 'x',
      BOT_TENANT_ID: TENANT,
      HOST: '127.0.0.1',
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/v1/.well-known/openidconfiguration',
    }).start();
    try {
      const res = await dead.post('/api/messages', ack('connectors', MEGAN), bearer(await valid()));
      assert.equal(res.status, 503, res.text);
      assert.deepEqual(res.body, { error: 'Temporarily unavailable.' });
    } finally {
      await dead.kill();
    }
  });
});
