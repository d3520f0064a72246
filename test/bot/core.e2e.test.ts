import assert from 'node:assert/strict';
import { BotProcess, tempDir } from '../support/bot-process';
import { cardsIn, cardText, LoopbackConnector } from '../support/loopback-connector';
import { ALEX, cardAction, channelMessage, GENERAL, installationAdd, LEE, MEGAN, membersAddedBot } from '../support/teams-activities';
import { cardSchemaErrors } from '../support/card-schema';

/**
 * The core loop end to end over the Bot Framework protocol: the real server process, a real SQLite file, and a
 * loopback Bot Connector standing in for Teams.
 */
describe('core loop over the Bot Framework protocol', function () {
  this.timeout(90_000);
  const connector = new LoopbackConnector();
  const dataDir = tempDir();
  let bot: BotProcess;
  let serviceUrl: string;
  let thread: { conversationId: string; activityId: string };

  const env = () => ({ DATA_DIR: dataDir, CARD_UPDATE_DELAY_MS: '300', SAMPLE_TENANT: 'true', CHECKLIST_TIMEZONE: 'UTC' });

  before(async () => {
    await connector.start();
    serviceUrl = connector.url;
    bot = await new BotProcess(env()).start();
  });

  after(async () => {
    await bot?.kill();
    await connector.stop();
  });

  const say = (text: string, from = ALEX) => bot.post('/api/messages', channelMessage(serviceUrl, text, from));
  const click = (verb: string, itemId: string, from = ALEX, extra: Record<string, unknown> = {}) =>
    bot.post('/api/messages', cardAction(serviceUrl, verb, { postId: postId(), periodKey: periodKey(), itemId, ...extra }, from, thread));
  let firstCard: any;
  const postId = () => findData(firstCard).postId;
  const periodKey = () => findData(firstCard).periodKey;

  function findData(card: any): any {
    let found: any;
    const walk = (v: any) => {
      if (found || !v || typeof v !== 'object') return;
      if (v.type === 'Action.Execute' && v.data?.postId) found = v.data;
      Object.values(v).forEach(walk);
    };
    walk(card);
    return found;
  }

  /** The reply the bot sent to the message with this activity id. */
  async function replyTo(activityId: string) {
    await connector.waitFor((calls) => calls.some((c) => c.kind === 'reply' && c.activityId === activityId && c.body.type === 'message'), 10_000, `reply to ${activityId}`);
    return connector.calls.find((c) => c.kind === 'reply' && c.activityId === activityId && c.body.type === 'message')!;
  }

  async function sayAndRead(text: string, from = ALEX) {
    const activity = channelMessage(serviceUrl, text, from);
    const res = await bot.post('/api/messages', activity);
    assert.equal(res.status, 200, res.text);
    const reply = await replyTo(activity.id);
    const cards = cardsIn(reply.body);
    return { reply, text: cards.length ? cards.map(cardText).join('\n') : String(reply.body.text ?? ''), cards };
  }

  it('answers /healthz', async () => {
    const res = await fetch(`${bot.url}/healthz`);
    assert.equal(res.status, 200);
    const body: any = await res.json();
    assert.equal(body.status, 'ok');
  });

  it('on installation stores the channel and posts a welcome card once', async () => {
    const res = await bot.post('/api/messages', installationAdd(serviceUrl));
    assert.equal(res.status, 200);
    await connector.waitFor((c) => c.some((x) => x.conversationId === GENERAL && cardsIn(x.body).length > 0), 10_000, 'welcome card');
    const welcome = connector.calls.find((x) => x.conversationId === GENERAL)!;
    const text = cardText(cardsIn(welcome.body)[0]);
    assert.match(text, /Rounds is ready/);
    assert.match(text, /post checklist/);
    assert.deepEqual(cardSchemaErrors(cardsIn(welcome.body)[0]), []);
    const before = connector.calls.length;
    // Teams also sends conversationUpdate membersAdded for the same install: no second welcome.
    await bot.post('/api/messages', membersAddedBot(serviceUrl));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(connector.calls.length, before);
  });

  it('answers an unknown command with a hint, never silence', async () => {
    const { text } = await sayAndRead('make me a sandwich');
    assert.match(text, /don't know "make me a sandwich"/);
    assert.match(text, /help/);
  });

  it('help lists the commands', async () => {
    const { text } = await sayAndRead('HELP');
    for (const c of ['post checklist', 'status', 'check <item>']) assert.ok(text.includes(c), c);
  });

  it('post checklist creates a new post (not a reply) with the four items', async () => {
    const { text } = await sayAndRead('post checklist');
    assert.match(text, /Posted this week's checklist/);
    const creates = connector.of('create');
    assert.equal(creates.length, 1);
    const create = creates[0];
    assert.equal(create.body.channelData.channel.id, GENERAL);
    assert.equal(create.body.isGroup, true);
    const activity = create.body.activity;
    assert.equal(activity.text, undefined, 'card sent without text, so Teams returns an id to update');
    firstCard = cardsIn(create.body)[0];
    assert.deepEqual(cardSchemaErrors(firstCard), []);
    const cardTextNow = cardText(firstCard);
    for (const t of [
      'Review SaaS security posture management',
      'Check app connectors, log collectors, and SIEM agent health',
      'Track new changes in Microsoft Defender XDR',
      'Review the governance log',
    ])
      assert.ok(cardTextNow.includes(t), t);
    assert.match(cardTextNow, /0 of 4 acknowledged/);
    assert.match(cardTextNow, /Week \d+ · /);
    thread = { conversationId: create.response!.id, activityId: create.response!.activityId! };
    assert.equal(thread.conversationId, `${GENERAL};messageid=${thread.activityId}`);
  });

  it('post checklist again answers "already posted" and posts nothing', async () => {
    const before = connector.of('create').length;
    const { text } = await sayAndRead('<at>Rounds</at> post checklist');
    assert.match(text, /already posted/);
    assert.match(text, new RegExp(`\\[Open it\\]\\(https://teams\\.microsoft\\.com/l/message/${encodeURIComponent(GENERAL)}/${thread.activityId}\\?`));
    assert.equal(connector.of('create').length, before);
  });

  it('two users acknowledge different items concurrently; both are recorded and the card updates for everyone', async () => {
    const [a, m] = await Promise.all([click('ack', 'sspm', ALEX), click('ack', 'connectors', MEGAN)]);
    for (const r of [a, m]) {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.statusCode, 200);
      assert.equal(r.body.type, 'application/vnd.microsoft.card.adaptive');
      assert.deepEqual(cardSchemaErrors(r.body.value), []);
    }
    assert.match(cardText(a.body.value), /✔ Alex Wilber · /);
    assert.match(cardText(m.body.value), /✔ Megan Bowen · /);
    await connector.waitFor((calls) => calls.some((c) => c.kind === 'update' && /Alex Wilber/.test(cardText(cardsIn(c.body)[0])) && /Megan Bowen/.test(cardText(cardsIn(c.body)[0]))), 10_000, 'card update with both acks');
    const update = connector.of('update').at(-1)!;
    assert.equal(update.activityId, thread.activityId);
    assert.equal(update.conversationId, thread.conversationId);
    assert.match(cardText(cardsIn(update.body)[0]), /2 of 4 acknowledged/);
  });

  it('a double click is one acknowledgement', async () => {
    const [r1, r2] = await Promise.all([click('ack', 'sspm', ALEX), click('ack', 'sspm', ALEX)]);
    assert.equal(r1.status, 200);
    assert.equal(r2.status, 200);
    const text = cardText(r2.body.value);
    assert.equal((text.match(/Alex Wilber/g) ?? []).length, 1, text);
    assert.match(text, /2 of 4 acknowledged/);
  });

  it('a burst of acks becomes few card updates', async () => {
    const before = connector.of('update').length;
    const users = Array.from({ length: 10 }, (_, i) => ({ id: `29:burst${i}`, name: `Burst User ${i}`, aadObjectId: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}` }));
    const results = await Promise.all(users.map((u) => click('ack', 'message-center', u)));
    assert.ok(results.every((r) => r.status === 200));
    await connector.waitFor((calls) => calls.some((c) => c.kind === 'update' && /\(\+7 more\)/.test(cardText(cardsIn(c.body)[0]))), 10_000, 'update with all burst acks');
    await new Promise((r) => setTimeout(r, 800));
    const updates = connector.of('update').length - before;
    assert.ok(updates >= 1 && updates <= 3, `10 clicks → ${updates} updates`);
  });

  it('unack by the same user removes only theirs', async () => {
    const r = await click('unack', 'connectors', MEGAN);
    assert.equal(r.status, 200);
    const text = cardText(r.body.value);
    assert.ok(!/Megan Bowen/.test(text), text);
    const other = await click('unack', 'sspm', LEE); // Lee never acked sspm: Alex's ack stays
    assert.match(cardText(other.body.value), /✔ Alex Wilber/);
  });

  it('refuses tampered card data and records nothing', async () => {
    const bad = await bot.post('/api/messages', cardAction(serviceUrl, 'ack', { postId: 'no-such-post', periodKey: periodKey(), itemId: 'sspm' }, LEE, thread));
    assert.equal(bad.status, 200);
    assert.match(cardText(bad.body.value), /does not match any checklist/);
    const week = await bot.post('/api/messages', cardAction(serviceUrl, 'ack', { postId: postId(), periodKey: '2019-W01', itemId: 'sspm' }, LEE, thread));
    assert.match(cardText(week.body.value), /does not match the posted checklist/);
    const item = await bot.post('/api/messages', cardAction(serviceUrl, 'ack', { postId: postId(), periodKey: periodKey(), itemId: 'nope' }, LEE, thread));
    assert.match(cardText(item.body.value), /item does not exist/);
    const verb = await bot.post('/api/messages', cardAction(serviceUrl, 'deleteEverything', {}, LEE, thread));
    assert.equal(verb.status, 200);
    assert.match(cardText(verb.body.value), /not one I know/);
    const auto = await bot.post('/api/messages', cardAction(serviceUrl, 'ack', { postId: postId(), periodKey: periodKey(), itemId: 'governance-log' }, LEE, thread, 'automatic'));
    assert.equal(auto.status, 200);
    const { text } = await sayAndRead('status');
    assert.ok(!/Lee Gu/.test(text), 'nothing recorded for Lee');
  });

  it('rejects malformed JSON with 400 and stays up', async () => {
    const res = await bot.post('/api/messages', '{"type": "message", ');
    assert.equal(res.status, 400);
    assert.ok(!/at .*\.ts/.test(res.text), 'no stack trace');
    const notActivity = await bot.post('/api/messages', '[1,2,3]');
    assert.equal(notActivity.status, 400);
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
  });

  it('status shows who acknowledged what', async () => {
    const { text, cards } = await sayAndRead('status');
    assert.deepEqual(cardSchemaErrors(cards[0]), []);
    assert.match(text, /Review SaaS security posture management/);
    assert.match(text, /✔ Alex Wilber · /);
    assert.match(text, /Pending/);
    assert.match(text, /3 of 4 acknowledged|2 of 4 acknowledged/);
  });

  it('after SIGKILL and a restart on the same DATA_DIR the acknowledgements are still there', async () => {
    await bot.kill('SIGKILL');
    bot = await new BotProcess(env()).start();
    const { text } = await sayAndRead('status');
    assert.match(text, /✔ Alex Wilber · /);
    assert.match(text, /Burst User/);
    const again = await sayAndRead('post checklist');
    assert.match(again.text, /already posted/);
  });

  it('SIGTERM stops gracefully with exit code 0', async () => {
    const code = await bot.kill('SIGTERM');
    assert.equal(code, 0, bot.logs);
    assert.match(bot.logs, /stopped/);
    bot = await new BotProcess(env()).start();
  });
});
