import assert from 'node:assert/strict';
import { BotProcess, tempDir } from '../support/bot-process';
import { cardText, LoopbackConnector } from '../support/loopback-connector';
import { ALEX, cardAction, channelMessage, GENERAL, LEE, MEGAN, TENANT } from '../support/teams-activities';
import { seedChecklist, snapshot } from './support/world';

/**
 * Tenant allow-list and who may acknowledge, over the Bot Framework protocol (local mode: tokens are covered by
 * channel-auth.e2e.test.ts). Every refusal is checked against the SQLite file: nothing recorded.
 */
describe('security: tenants and acknowledgement permissions', function () {
  this.timeout(120_000);
  const OTHER_TENANT = '0b0b0b0b-1111-4222-8333-444444444444';
  const SECOND_TENANT = 'c0c0c0c0-1111-4222-8333-555555555555';
  const connector = new LoopbackConnector();
  const dataDir = tempDir('rounds-tenants-');
  let bot: BotProcess;
  let seeded: Awaited<ReturnType<typeof seedChecklist>>;

  before(async () => {
    await connector.start();
    seeded = await seedChecklist(dataDir, connector);
    bot = await new BotProcess({
      DATA_DIR: dataDir,
      ALLOWED_TENANT_IDS: `${TENANT.toUpperCase()};${SECOND_TENANT}`,
      ACK_ALLOWED: `${ALEX.aadObjectId},${MEGAN.aadObjectId}`,
      CARD_UPDATE_DELAY_MS: '200',
      SAMPLE_TENANT: 'true',
      CHECKLIST_TIMEZONE: 'UTC',
    }).start();
  });

  after(async () => {
    await bot?.kill();
    await connector.stop();
  });

  const ack = (itemId: string, from = ALEX, data: Record<string, unknown> = {}) =>
    cardAction(connector.url, 'ack', { postId: seeded.postId, periodKey: seeded.periodKey, itemId, ...data }, from, seeded.thread);

  /** Re-home an activity in another tenant (both places Teams puts the tenant). */
  function inTenant<T extends { channelData: any; conversation: any }>(a: T, tenant: string | undefined): T {
    const copy = structuredClone(a);
    if (tenant === undefined) {
      delete copy.channelData.tenant;
      delete copy.conversation.tenantId;
    } else {
      copy.channelData.tenant = { id: tenant };
      copy.conversation.tenantId = tenant;
    }
    return copy;
  }

  async function quiet(ms = 600) {
    await new Promise((r) => setTimeout(r, ms));
  }

  describe('ALLOWED_TENANT_IDS', () => {
    it('a message from another tenant is ignored: no reply, no target, logged with the tenant', async () => {
      const before = snapshot(dataDir);
      const calls = connector.calls.length;
      const msg = inTenant({ ...channelMessage(connector.url, 'status'), conversation: { id: '19:foreign@thread.tacv2', conversationType: 'channel', isGroup: true } } as any, OTHER_TENANT);
      msg.channelData.channel = { id: '19:foreign@thread.tacv2' };
      const res = await bot.post('/api/messages', msg);
      assert.equal(res.status, 200);
      await quiet();
      assert.equal(connector.calls.length, calls, 'no reply');
      assert.deepEqual(snapshot(dataDir), before, 'no target created');
      assert.match(bot.logs, new RegExp(`"tenant":"${OTHER_TENANT}"[^\\n]*tenant that is not allowed`));
    });

    it('a card action from another tenant gets a Universal Actions error answer at once, nothing recorded', async () => {
      const before = snapshot(dataDir);
      const started = Date.now();
      const res = await bot.post('/api/messages', inTenant(ack('connectors', MEGAN), OTHER_TENANT));
      assert.ok(Date.now() - started < 3000);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.statusCode, 403);
      assert.equal(res.body.type, 'application/vnd.microsoft.error');
      assert.match(res.body.value.message, /not enabled for your organization/);
      assert.deepEqual(snapshot(dataDir), before);
    });

    it('other invokes from another tenant get 403, not 501 or a hang', async () => {
      const inv = { ...inTenant(ack('connectors', MEGAN), OTHER_TENANT), name: 'composeExtension/query', value: { commandId: 'x' } };
      const res = await bot.post('/api/messages', inv);
      assert.equal(res.status, 403, res.text);
    });

    it('an activity without any tenant is refused too', async () => {
      const before = snapshot(dataDir);
      const res = await bot.post('/api/messages', inTenant(ack('connectors', MEGAN), undefined));
      assert.equal(res.status, 200);
      assert.equal(res.body.statusCode, 403);
      assert.deepEqual(snapshot(dataDir), before);
      const calls = connector.calls.length;
      await bot.post('/api/messages', inTenant(channelMessage(connector.url, 'status'), undefined));
      await quiet(300);
      assert.equal(connector.calls.length, calls);
    });

    it('the allowed tenant (listed in upper case) works', async () => {
      const res = await bot.post('/api/messages', ack('sspm', ALEX));
      assert.equal(res.status, 200, res.text);
      assert.match(cardText(res.body.value), /✔ Alex Wilber/);
      assert.ok(snapshot(dataDir).acks.some((a) => a.user_id === ALEX.aadObjectId && a.item_id === 'sspm'));
    });
  });

  describe('ACK_ALLOWED and card data checked against the store', () => {
    it('someone not in ACK_ALLOWED gets "not allowed — ask …" and nothing is recorded', async () => {
      const before = snapshot(dataDir);
      const res = await bot.post('/api/messages', ack('connectors', LEE));
      assert.equal(res.status, 200);
      assert.equal(res.body.type, 'application/vnd.microsoft.activity.message');
      assert.match(res.body.value, /🚫 You are not allowed to acknowledge this item\. .*Ask your Rounds admin/);
      assert.deepEqual(snapshot(dataDir), before);
    });

    it('a listed user can acknowledge', async () => {
      const res = await bot.post('/api/messages', ack('connectors', MEGAN));
      assert.match(cardText(res.body.value), /✔ Megan Bowen/);
    });

    it('the card of this channel clicked from another channel of the same tenant is refused, nothing recorded', async () => {
      const before = snapshot(dataDir);
      const other = '19:other-channel@thread.tacv2';
      const a = ack('message-center', ALEX);
      a.conversation.id = `${other};messageid=42`;
      a.channelData.channel = { id: other };
      const res = await bot.post('/api/messages', a);
      assert.equal(res.status, 200);
      assert.match(cardText(res.body.value), /belongs to another channel/);
      const after = snapshot(dataDir);
      assert.deepEqual(after.acks, before.acks);
      assert.equal(after.audit, before.audit);
    });

    it('the same channel id in another (allowed) tenant is refused, nothing recorded', async () => {
      const before = snapshot(dataDir);
      const res = await bot.post('/api/messages', inTenant(ack('message-center', ALEX), SECOND_TENANT));
      assert.equal(res.status, 200);
      assert.match(cardText(res.body.value), /belongs to another channel/);
      const after = snapshot(dataDir);
      assert.deepEqual(after.acks, before.acks);
      assert.equal(after.audit, before.audit);
    });

    it('identity comes from the activity, never from card data', async () => {
      const before = snapshot(dataDir);
      const res = await bot.post('/api/messages', ack('governance-log', LEE, { userId: ALEX.aadObjectId, aadObjectId: ALEX.aadObjectId, from: ALEX }));
      assert.equal(res.status, 200);
      assert.match(String(res.body.value), /not allowed/);
      assert.deepEqual(snapshot(dataDir).acks, before.acks);
    });

    it('card data with extra or hostile keys is read as the three fields only', async () => {
      const raw = JSON.stringify(ack('governance-log', ALEX)).replace('"itemId":"governance-log"', '"itemId":"governance-log","__proto__":{"itemId":"sspm","isAdmin":true},"constructor":{"prototype":{"polluted":1}}');
      const res = await bot.post('/api/messages', raw);
      assert.equal(res.status, 200, res.text);
      assert.match(cardText(res.body.value), /✔ Alex Wilber/);
      const acks = snapshot(dataDir).acks.filter((a) => a.user_id === ALEX.aadObjectId).map((a) => a.item_id);
      assert.deepEqual(acks.sort(), ['governance-log', 'sspm']);
      // The process is fine afterwards.
      assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
    });

    it('the channel the card was posted in is the General channel of the seed', () => {
      assert.ok(seeded.thread.conversationId.startsWith(`${GENERAL};messageid=`));
    });
  });
});
