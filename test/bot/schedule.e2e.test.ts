import assert from 'node:assert/strict';
import { BotProcess, tempDir } from '../support/bot-process';
import { cardsIn, cardText, LoopbackConnector } from '../support/loopback-connector';
import { ALEX, cardAction, channelMessage, installationAdd, installationRemove, MEGAN } from '../support/teams-activities';

const SECOND_CHANNEL = '19:second-channel@thread.tacv2';
const JOB_SECRET = 'test-job-secret-0123456789abcdef';

/** The weekly schedule end to end: real processes, a real SQLite file, a loopback Bot Connector. */
describe('weekly schedule over the Bot Framework protocol', function () {
  this.timeout(120_000);
  const connector = new LoopbackConnector();
  const dataDir = tempDir();
  let bot: BotProcess;
  let serviceUrl: string;

  const env = (extra: Record<string, string> = {}) => ({
    DATA_DIR: dataDir,
    SCHEDULER_ENABLED: 'true',
    CHECKLIST_SCHEDULE: '*/2 * * * * *',
    REMINDER_SCHEDULE: '0 0 1 1 *',
    SCHEDULER_HEARTBEAT_MS: '1000',
    CARD_UPDATE_DELAY_MS: '200',
    JOB_SECRET,
    ...extra,
  });

  const installIn = (channel: string) => {
    const a: any = installationAdd(serviceUrl);
    a.conversation.id = channel;
    a.channelData.channel = { id: channel, name: channel === SECOND_CHANNEL ? 'Alerts' : undefined };
    return bot.post('/api/messages', a);
  };
  const creates = () => connector.calls.filter((c) => c.kind === 'create' && c.status < 300);
  const createsFor = (channel: string) => creates().filter((c) => c.body.channelData.channel.id === channel);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  before(async () => {
    await connector.start();
    serviceUrl = connector.url;
  });
  after(async () => {
    await bot?.kill();
    await connector.stop();
  });

  it('a bot that was down at the scheduled time posts once at start-up', async () => {
    // Install with the scheduler off (the bot "was down"), then start with it on.
    bot = await new BotProcess(env({ SCHEDULER_ENABLED: 'false' })).start();
    assert.equal((await installIn('19:team-general@thread.tacv2')).status, 200);
    assert.equal((await installIn(SECOND_CHANNEL)).status, 200);
    await sleep(300);
    assert.equal(creates().length, 0);
    await bot.kill('SIGKILL');
    bot = await new BotProcess(env({ CHECKLIST_SCHEDULE: '0 0 * * 1' })).start(); // Monday 00:00: always already passed this week
    await connector.waitFor(() => creates().length === 2, 10_000, 'catch-up posts');
    assert.equal(createsFor(SECOND_CHANNEL).length, 1);
  });

  it('a schedule firing every 2 s posts exactly one card per subscribed channel per period; a restart does not post again', async () => {
    await bot.kill('SIGKILL');
    bot = await new BotProcess(env()).start();
    await sleep(5_000);
    assert.equal(creates().length, 2, 'still one per channel');
    await bot.kill('SIGKILL');
    bot = await new BotProcess(env()).start();
    await sleep(4_000);
    assert.equal(creates().length, 2, 'no second post after a restart inside the period');
  });

  it('history shows the week; subscribe, unsubscribe, subscriptions, set timezone answer', async () => {
    const say = async (text: string) => {
      const a = channelMessage(serviceUrl, text, ALEX);
      assert.equal((await bot.post('/api/messages', a)).status, 200);
      await connector.waitFor((c) => c.some((x) => x.kind === 'reply' && x.activityId === a.id && x.body.type === 'message'), 10_000, `reply to ${text}`);
      const r = connector.calls.find((x) => x.kind === 'reply' && x.activityId === a.id && x.body.type === 'message')!;
      const cards = cardsIn(r.body);
      return cards.length ? cards.map(cardText).join('\n') : String(r.body.text);
    };
    // Acknowledge on the posted card first.
    const post = createsFor('19:team-general@thread.tacv2')[0];
    const card = cardsIn(post.body)[0];
    const data = JSON.stringify(card).match(/"data":\{"postId":"([^"]+)","periodKey":"([^"]+)"/)!;
    const thread = { conversationId: post.response!.id, activityId: post.response!.activityId! };
    for (const [user, item] of [[ALEX, 'sspm'], [MEGAN, 'connectors']] as const) {
      const r = await bot.post('/api/messages', cardAction(serviceUrl, 'ack', { postId: data[1], periodKey: data[2], itemId: item }, user, thread));
      assert.equal(r.status, 200);
    }
    const history = await say('history');
    assert.match(history, new RegExp(`${data[2]}`));
    assert.match(history, /2\/4 acknowledged/);
    assert.match(await say('subscriptions'), /Rounds posts the weekly checklist in 2 places/);
    assert.match(await say('unsubscribe'), /Unsubscribed/);
    assert.match(await say('subscriptions'), /in 1 place/);
    assert.match(await say('subscribe'), /Subscribed/);
    assert.match(await say('set timezone Mars/Base'), /not a time zone I know/);
    assert.match(await say('set timezone europe/berlin'), /Europe\/Berlin/);
  });

  it('export gives a signed link to a CSV of the audit trail; a tampered link is refused', async () => {
    const a = channelMessage(serviceUrl, 'export', ALEX);
    await bot.post('/api/messages', a);
    await connector.waitFor((c) => c.some((x) => x.kind === 'reply' && x.activityId === a.id && x.body.type === 'message'), 10_000, 'export reply');
    const text = cardText(cardsIn(connector.calls.find((x) => x.kind === 'reply' && x.activityId === a.id && x.body.type === 'message')!.body)[0]);
    const url = /\((http:\/\/127\.0\.0\.1:\d+\/api\/exports\/[^)]+)\)/.exec(text)?.[1];
    assert.ok(url, text);
    const res = await fetch(url!);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    const csv = await res.text();
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'period,item_id,item,user_id,user,action,time_utc,evidence_status,evidence_summary');
    assert.equal(lines.length, 3, csv);
    assert.match(csv, /Alex Wilber,ack/);
    assert.match(csv, /Megan Bowen,ack/);
    const tampered = await fetch(url!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    assert.equal(tampered.status, 403);
  });

  it('job endpoints reject a missing or wrong secret and run with the right one', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-secret-wrong-secret' }, { authorization: JOB_SECRET }]) {
      const r = await bot.post('/api/jobs/post-checklist', {}, headers);
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal((await bot.post('/api/jobs/remind', {}, headers)).status, 401);
    }
    const ok = await bot.post('/api/jobs/post-checklist', {}, { authorization: `Bearer ${JOB_SECRET}` });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.result.already, 2);
    assert.equal(creates().length, 2);
    const remind = await bot.post('/api/jobs/remind', {}, { authorization: `Bearer ${JOB_SECRET}` });
    assert.equal(remind.status, 200);
  });

  it('job endpoints are off without JOB_SECRET', async () => {
    await bot.kill('SIGKILL');
    bot = await new BotProcess(env({ JOB_SECRET: '' })).start();
    const r = await bot.post('/api/jobs/post-checklist', {}, { authorization: `Bearer ${JOB_SECRET}` });
    assert.equal(r.status, 404);
  });

  it('uninstall and team deletion retire targets; a reinstall brings one back', async () => {
    const ask = async () => {
      const a = channelMessage(serviceUrl, 'subscriptions', ALEX);
      await bot.post('/api/messages', a);
      const match = (x: any) => x.kind === 'reply' && x.activityId === a.id && x.body.type === 'message';
      await connector.waitFor((c) => c.some(match), 10_000, 'subscriptions');
      return cardText(cardsIn(connector.calls.find(match)!.body)[0]);
    };
    assert.match(await ask(), /in 2 places/);
    const remove: any = installationRemove(serviceUrl);
    remove.conversation.id = SECOND_CHANNEL;
    remove.channelData.channel = { id: SECOND_CHANNEL };
    assert.equal((await bot.post('/api/messages', remove)).status, 200);
    assert.match(await ask(), /in 1 place\b/);
    const deleted: any = { ...installationRemove(serviceUrl), type: 'conversationUpdate', action: undefined };
    deleted.channelData = { ...deleted.channelData, eventType: 'teamDeleted' };
    assert.equal((await bot.post('/api/messages', deleted)).status, 200);
    assert.match(await ask(), /in 0 places/);
    assert.equal((await installIn(SECOND_CHANNEL)).status, 200);
    assert.match(await ask(), /in 1 place\b/);
  });

  it('honours 429 Retry-After from the connector and loses nothing', async () => {
    await bot?.kill('SIGKILL');
    const fresh = tempDir();
    connector.calls.length = 0;
    connector.fail('create', 429, { count: 2, retryAfterSeconds: 1 });
    bot = await new BotProcess({ ...env(), DATA_DIR: fresh, SCHEDULER_ENABLED: 'false' }).start();
    await installIn('19:throttled@thread.tacv2');
    const a = channelMessage(serviceUrl, 'post checklist', ALEX, '19:throttled@thread.tacv2');
    await bot.post('/api/messages', a);
    await connector.waitFor((c) => c.some((x) => x.kind === 'create' && x.status === 200), 20_000, 'create after 429s');
    const attempts = connector.calls.filter((c) => c.kind === 'create');
    assert.equal(attempts.length, 3, 'two throttled, one accepted');
    assert.deepEqual(attempts.map((c) => c.status), [429, 429, 200]);
    // The SDK or we waited at least Retry-After between attempts.
    assert.ok(attempts[1].at - attempts[0].at >= 950, `waited ${attempts[1].at - attempts[0].at} ms`);
    assert.ok(attempts[2].at - attempts[1].at >= 950, `waited ${attempts[2].at - attempts[1].at} ms`);
    await connector.waitFor((c) => c.some((x) => x.kind === 'reply' && x.activityId === a.id && x.body.type === 'message'), 10_000, 'reply');
    const reply = connector.calls.find((x) => x.kind === 'reply' && x.activityId === a.id && x.body.type === 'message')!;
    assert.match(String(reply.body.text), /Posted this week's checklist/, JSON.stringify(reply.body).slice(0, 800));
  });
});
