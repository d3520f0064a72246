import assert from 'node:assert/strict';
import { BotProcess } from '../support/bot-process';
import { cardsIn, cardText, LoopbackConnector } from '../support/loopback-connector';
import { startAzurite, type Azurite } from '../support/azurite';
import { cardAction, channelMessage, installationAdd, type User } from '../support/teams-activities';
import { openAzureTableStore } from '../../src/store/azure-table';

const CHANNELS = ['19:team-general@thread.tacv2', '19:soc-alerts@thread.tacv2', '19:soc-ops@thread.tacv2'];

/**
 * Scale-out: three bot processes sharing one Azure Table store (Azurite). The claim in the store, not any process,
 * decides who posts; acknowledgements clicked on different instances all land.
 */
describe('three instances on one Azure Table store', function () {
  this.timeout(180_000);
  const connector = new LoopbackConnector();
  let azurite: Azurite;
  const bots: BotProcess[] = [];

  before(async () => {
    await connector.start();
    azurite = await startAzurite();
  });
  after(async () => {
    await Promise.all(bots.map((b) => b.kill()));
    await connector.stop();
    await azurite?.stop();
  });

  const env = (extra: Record<string, string> = {}) => ({
    STORE: 'azure-table',
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    AZURE_TABLE_PREFIX: 'multi',
    SCHEDULER_ENABLED: 'true',
    CHECKLIST_SCHEDULE: '*/2 * * * * *',
    REMINDER_SCHEDULE: '0 0 1 1 *',
    SCHEDULER_HEARTBEAT_MS: '1000',
    CARD_UPDATE_DELAY_MS: '300',
    ...extra,
  });

  it('a schedule firing every 2 s on three processes posts exactly one card per channel per period', async () => {
    // Install through one instance with its scheduler off, then run three with the scheduler on.
    const installer = await new BotProcess(env({ SCHEDULER_ENABLED: 'false' })).start();
    for (const channel of CHANNELS) {
      const a: any = installationAdd(connector.url);
      a.conversation.id = channel;
      a.channelData.channel = { id: channel };
      assert.equal((await installer.post('/api/messages', a)).status, 200);
    }
    await installer.kill();
    bots.push(...(await Promise.all([0, 1, 2].map(() => new BotProcess(env()).start()))));
    await new Promise((r) => setTimeout(r, 8_000));
    const creates = connector.calls.filter((c) => c.kind === 'create' && c.status === 200);
    assert.equal(creates.length, CHANNELS.length, JSON.stringify(creates.map((c) => c.body.channelData.channel.id)));
    assert.deepEqual(new Set(creates.map((c) => c.body.channelData.channel.id)), new Set(CHANNELS));
  });

  it('60 acknowledgements spread over the three processes at once are all recorded, shown and audited', async () => {
    const post = connector.calls.find((c) => c.kind === 'create' && c.body.channelData.channel.id === CHANNELS[0])!;
    const data = JSON.stringify(cardsIn(post.body)[0]).match(/"data":\{"postId":"([^"]+)","periodKey":"([^"]+)"/)!;
    const thread = { conversationId: post.response!.id, activityId: post.response!.activityId! };
    const items = ['sspm', 'connectors', 'message-center', 'governance-log'];
    const users: User[] = Array.from({ length: 60 }, (_, i) => ({
      id: `29:user-${i}`,
      name: `Analyst ${String(i).padStart(2, '0')}`,
      aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
    const results = await Promise.all(
      users.map((u, i) =>
        bots[i % 3].post('/api/messages', cardAction(connector.url, 'ack', { postId: data[1], periodKey: data[2], itemId: items[i % 4] }, u, thread)),
      ),
    );
    assert.deepEqual(results.map((r) => r.status), users.map(() => 200));
    assert.ok(results.every((r) => r.body?.type === 'application/vnd.microsoft.card.adaptive'), JSON.stringify(results.find((r) => r.body?.type !== 'application/vnd.microsoft.card.adaptive')?.body));

    // The store, read directly: 60 acks, 60 audit events.
    const store = await openAzureTableStore({ connectionString: azurite.connectionString, tablePrefix: 'multi' });
    try {
      assert.equal((await store.listAcks(data[1])).length, 60);
      const audit = await store.listAudit({ postId: data[1] });
      assert.equal(audit.length, 60);
      assert.ok(audit.every((e) => e.action === 'ack'));
    } finally {
      await store.close();
    }

    // Some card update shows all 60: 15 per item, 3 names each and "(+12 more)".
    await connector.waitFor(
      (calls) =>
        calls.some((c) => {
          if (c.kind !== 'update' || c.activityId !== thread.activityId) return false;
          const text = cardText(cardsIn(c.body)[0]);
          return (text.match(/\(\+12 more\)/g) ?? []).length === 4 && /4 of 4 acknowledged/.test(text);
        }),
      20_000,
      'a card update with all 60 acknowledgements',
    );

    // And `status` on any instance agrees.
    const ask = channelMessage(connector.url, 'status');
    await bots[2].post('/api/messages', ask);
    await connector.waitFor((c) => c.some((x) => x.kind === 'reply' && x.activityId === ask.id && x.body.type === 'message'), 10_000, 'status');
    const status = cardText(cardsIn(connector.calls.find((x) => x.kind === 'reply' && x.activityId === ask.id && x.body.type === 'message')!.body)[0]);
    assert.equal((status.match(/\(\+10 more\)/g) ?? []).length, 4, status);
  });
});
