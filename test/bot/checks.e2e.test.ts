import assert from 'node:assert/strict';
import { BotProcess, tempDir } from '../support/bot-process';
import { cardsIn, cardText, LoopbackConnector } from '../support/loopback-connector';
import { ALEX, cardAction, channelMessage, installationAdd, MEGAN } from '../support/teams-activities';
import { cardSchemaErrors } from '../support/card-schema';

/** Checks through the bot: chat commands and the card's Run check button, against the sample tenant. */
describe('checks over the Bot Framework protocol (sample tenant)', function () {
  this.timeout(120_000);
  const connector = new LoopbackConnector();
  let bot: BotProcess;

  before(async () => {
    await connector.start();
    bot = await new BotProcess({ DATA_DIR: tempDir(), SAMPLE_TENANT: 'true', CARD_UPDATE_DELAY_MS: '200', CHECK_INLINE_WAIT_MS: '8000' }).start();
    await bot.post('/api/messages', installationAdd(connector.url));
  });
  after(async () => {
    await bot?.kill();
    await connector.stop();
  });

  async function say(text: string, from = ALEX) {
    const a = channelMessage(connector.url, text, from);
    assert.equal((await bot.post('/api/messages', a)).status, 200);
    const match = (c: any) => c.kind === 'reply' && c.activityId === a.id && c.body.type === 'message';
    await connector.waitFor((calls) => calls.some(match), 20_000, `reply to ${text}`);
    return connector.calls.find(match)!;
  }

  it('check connectors answers with the findings of the sample tenant', async () => {
    const reply = await say('check connectors');
    const card = cardsIn(reply.body)[0];
    assert.ok(card, JSON.stringify(reply.body));
    assert.deepEqual(cardSchemaErrors(card), []);
    const text = cardText(card);
    assert.match(text, /Check app connectors, log collectors, and SIEM agent health/);
    assert.match(text, /❌ Fail|⚠️ Warn/);
    assert.match(text, /system alert/i);
    assert.match(text, /log collector|FW-/i);
    assert.match(text, /expire/i);
    assert.match(text, /sample data/);
  });

  it('check secure score, check changes and check governance answer; an unknown check gets the list', async () => {
    assert.match(cardText(cardsIn((await say('check secure score')).body)[0]), /Review SaaS security posture management/);
    assert.match(cardText(cardsIn((await say('check changes')).body)[0]), /Track new changes in Microsoft Defender XDR/);
    assert.match(cardText(cardsIn((await say('check governance')).body)[0]), /👀 Manual/);
    const unknown = await say('check the coffee machine');
    assert.match(cardText(cardsIn(unknown.body)[0]), /don't know a check called "the coffee machine"/);
  });

  it('check all runs every check on one combined card', async () => {
    const reply = await say('check all');
    const text = cardText(cardsIn(reply.body)[0]);
    assert.match(text, /All checks \(4\)/);
    for (const t of ['Review SaaS security posture management', 'Check app connectors', 'Track new changes', 'Review the governance log']) assert.ok(text.includes(t), t);
  });

  it('Run check on a posted card answers at once, then updates the card for everyone and posts the result in the thread', async () => {
    await say('post checklist');
    const create = connector.calls.find((c) => c.kind === 'create')!;
    const data = JSON.stringify(cardsIn(create.body)[0]).match(/"data":\{"postId":"([^"]+)","periodKey":"([^"]+)"/)!;
    const thread = { conversationId: create.response!.id, activityId: create.response!.activityId! };
    const res = await bot.post('/api/messages', cardAction(connector.url, 'runCheck', { postId: data[1], periodKey: data[2], itemId: 'connectors' }, MEGAN, thread));
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(res.body.value), /Running…|Check running/);
    const updated = (c: any) => c.kind === 'update' && /Last check .*:/.test(cardText(cardsIn(c.body)[0]));
    await connector.waitFor((calls) => calls.some(updated), 20_000, 'card update with the check result');
    const card = cardsIn(connector.calls.find(updated)!.body)[0];
    assert.match(cardText(card), /❌ Fail|⚠️ Warn/);
    const result = (c: any) => c.kind === 'send' && c.conversationId === thread.conversationId && /Requested by Megan Bowen/.test(cardText(cardsIn(c.body)[0] ?? {}));
    await connector.waitFor((calls) => calls.some(result), 20_000, 'result in the thread');
    // An acknowledgement now records the evidence it was made on.
    const ack = await bot.post('/api/messages', cardAction(connector.url, 'ack', { postId: data[1], periodKey: data[2], itemId: 'connectors' }, ALEX, thread));
    assert.match(cardText(ack.body.value), /✔ Alex Wilber · \w{3} \d\d:\d\d · (\d+ failures?|\d+ warnings?)/);
  });
});

describe('a slow check in chat', function () {
  this.timeout(60_000);
  const connector = new LoopbackConnector();
  let bot: BotProcess;

  before(async () => {
    await connector.start();
    bot = await new BotProcess({ DATA_DIR: tempDir(), SAMPLE_TENANT: 'true', CHECK_INLINE_WAIT_MS: '300' }).start();
    await bot.post('/api/messages', installationAdd(connector.url));
  });
  after(async () => {
    await bot?.kill();
    await connector.stop();
  });

  it('says at once that it is running, then posts the result into the same thread', async () => {
    const sampleUrl = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*sample tenant started/.exec(bot.logs)?.[1];
    assert.ok(sampleUrl, 'the bot logs where its sample tenant listens');
    const fault = await fetch(`${sampleUrl}/_sample/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '*', delayMs: 1500 }),
    });
    assert.equal(fault.status < 300, true);
    const a = channelMessage(connector.url, 'check secure score', ALEX);
    assert.equal((await bot.post('/api/messages', a)).status, 200);
    const reply = (c: any) => c.kind === 'reply' && c.activityId === a.id && c.body.type === 'message';
    await connector.waitFor((calls) => calls.some(reply), 5_000, 'the "running" reply');
    assert.match(String(connector.calls.find(reply)!.body.text), /Running .*I'll post the result here/);
    const result = (c: any) => c.kind === 'send' && c.conversationId === a.conversation.id && /Review SaaS security posture management/.test(cardText(cardsIn(c.body)[0] ?? {}));
    await connector.waitFor((calls) => calls.some(result), 30_000, 'the result in the thread');
    assert.ok(connector.calls.findIndex(reply) < connector.calls.findIndex(result), 'the "running" answer came first');
  });
});
