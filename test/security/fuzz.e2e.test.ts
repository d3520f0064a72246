import assert from 'node:assert/strict';
import { BotProcess, tempDir } from '../support/bot-process';
import { cardsIn, LoopbackConnector, type RecordedCall } from '../support/loopback-connector';
import { BOT, channelMessage, GENERAL, TEAM, TENANT } from '../support/teams-activities';
import { HOSTILE_USERS, HostileGenerator, LEGIT_USERS } from './support/hostile';
import { seedChecklist, snapshot } from './support/world';

const SEED = 0x5eed_0007;
const COUNT = 1200;

/** Every string in a card a person would read (TextBlock text, FactSet titles/values, action titles). */
function cardStrings(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: any, key = '') => {
    if (typeof v === 'string') {
      if (['text', 'title', 'value', 'altText', 'placeholder', 'label'].includes(key)) out.push(v);
      return;
    }
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
    // Action.Execute data is machine data, not rendered.
    for (const [k, x] of Object.entries(v)) if (k !== 'data') walk(x, k);
  };
  walk(card);
  return out;
}

/**
 * The hostile markup of HOSTILE_STRINGS as it would be *live* in a Teams TextBlock (markdown link/image, HTML,
 * template expression, Adaptive Card {{DATE()}}-style function). Escaped text (`\\[`, `\\$\\{`) does not match.
 * Only markers from the generator are looked for, so the bot's own links on the checklist do not count.
 */
const LIVE_MARKUP: Array<[string, RegExp]> = [
  ['markdown link', /(?<!\\)\]\((?<!\\)https:\/\/evil/],
  ['html tag', /(?<!\\)<\s*(script|img|a|iframe|svg)\b/i],
  ['template expression', /(?<!\\)\$(?<!\\)\{(\$root|if\(|json\()/],
  ['card function / mustache', /(?<!\\)\{(?<!\\)\{user/],
];

describe('security: fuzz with hostile activities and invokes', function () {
  this.timeout(300_000);
  const connector = new LoopbackConnector();
  const dataDir = tempDir('rounds-fuzz-');
  let bot: BotProcess;
  let seeded: Awaited<ReturnType<typeof seedChecklist>>;

  before(async () => {
    await connector.start();
    seeded = await seedChecklist(dataDir, connector);
    bot = await new BotProcess({
      DATA_DIR: dataDir,
      ALLOWED_TENANT_IDS: TENANT,
      CARD_UPDATE_DELAY_MS: '100',
      SAMPLE_TENANT: 'true',
      CHECKLIST_TIMEZONE: 'UTC',
    }).start();
    // The other channel the cross-channel cases click from is a known conversation already (a message there).
    const other = channelMessage(connector.url, 'help', undefined, '19:elsewhere@thread.tacv2');
    assert.equal((await bot.post('/api/messages', other)).status, 200);
  });

  after(async () => {
    await bot?.kill();
    await connector.stop();
  });

  /** Filled by the first test, read by the escaping test. */
  const seen: { cards: unknown[]; texts: string[] } = { cards: [], texts: [] };

  it(`${COUNT} generated hostile activities: no crash, no 5xx, no turn errors, only legit-shaped records`, async () => {
    const gen = new HostileGenerator(
      SEED,
      { serviceUrl: connector.url, tenantId: TENANT, conversationId: GENERAL, channelId: GENERAL, teamId: TEAM, bot: BOT },
      { postId: seeded.postId, periodKey: seeded.periodKey, itemIds: ['sspm', 'connectors', 'message-center', 'governance-log'], threadId: seeded.thread.conversationId, activityId: seeded.thread.activityId },
    );
    const items = Array.from({ length: COUNT }, () => gen.next());
    const before = snapshot(dataDir);
    const callsBefore = connector.calls.length;
    const statuses: Record<string, number> = {};
    const invokeCards: unknown[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++];
        const res = await bot.post('/api/messages', item.body);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 500) failures.push(`${item.kind} → ${res.status} ${res.text.slice(0, 200)}`);
        if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(res.text)) failures.push(`${item.kind}: stack in answer ${res.text.slice(0, 200)}`);
        if (res.body?.type === 'application/vnd.microsoft.card.adaptive') invokeCards.push(res.body.value);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    // Let coalesced card updates go out.
    await new Promise((r) => setTimeout(r, 1500));

    assert.equal(bot.exitCode, null, 'the bot is still running');
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
    assert.deepEqual(failures, [], bot.logs.split('\n').filter((l) => /request failed|turn failed/.test(l)).slice(0, 5).join('\n'));

    const after = snapshot(dataDir);
    const legitIds = new Set(LEGIT_USERS.map((u) => u.aadObjectId));
    const hostileIds = new Set(HOSTILE_USERS.map((u) => u.aadObjectId));
    const newAcks = after.acks.filter((a) => !before.acks.some((b) => b.post_id === a.post_id && b.item_id === a.item_id && b.user_id === a.user_id));
    assert.equal(after.targets, before.targets, 'no target created');
    assert.equal(after.posts, before.posts, 'no post created');
    assert.equal(after.outcomes, before.outcomes, 'no check outcome recorded');
    assert.deepEqual(newAcks.filter((a) => !legitIds.has(a.user_id)), [], 'every new ack is by a legit-shaped actor');
    assert.equal(after.acks.filter((a) => hostileIds.has(a.user_id)).length, 0);
    assert.ok(newAcks.every((a) => a.post_id === seeded.postId));

    const sent: RecordedCall[] = connector.calls.slice(callsBefore);
    seen.cards = [...sent.flatMap((c) => cardsIn(c.body)), ...invokeCards];
    seen.texts = sent.map((c) => (c.body?.activity ?? c.body)?.text).filter((t): t is string => typeof t === 'string');
    const liveInText = seen.texts.filter((t) => LIVE_MARKUP.some(([, re]) => re.test(t)));

    const turnFailures = (bot.logs.match(/"msg":"turn failed"/g) ?? []).length;
    console.log(
      [
        `      fuzz seed ${SEED.toString(16)}: ${COUNT} activities`,
        ...Object.entries(gen.counts).map(([k, n]) => `        ${String(n).padStart(5)}  ${k}`),
        `      HTTP statuses: ${JSON.stringify(statuses)}`,
        `      records: +${newAcks.length} acks (all by legit-shaped actors), targets ${before.targets}→${after.targets}, posts ${before.posts}→${after.posts}`,
        `      connector calls: ${sent.length}; cards: ${seen.cards.length}; plain-text replies: ${seen.texts.length} (with live hostile markup: ${liveInText.length})`,
        `      turn errors logged: ${turnFailures}`,
      ].join('\n'),
    );
    assert.equal(turnFailures, 0, 'no turn failed on hostile input');
  });

  it('user text in every card the bot sent or answered is shown literally (escaped)', () => {
    // Every card the bot sent (connector) or answered (invoke responses) during the fuzz run.
    assert.ok(seen.cards.length > 50, `cards inspected: ${seen.cards.length}`);
    const live: string[] = [];
    for (const card of seen.cards) for (const s of cardStrings(card)) for (const [what, re] of LIVE_MARKUP) if (re.test(s)) live.push(`${what}: ${s.slice(0, 120)}`);
    // Hostile names did reach cards (escaped), so the check looks at something real.
    const rendered = seen.cards.flatMap(cardStrings).join('\n');
    assert.ok(/\\\[click here\\\]\\\(https:\/\/evil\\\.example\/login\\\)/.test(rendered), 'an escaped hostile link is visible on a card');
    assert.deepEqual(
      [...new Set(live)].slice(0, 40),
      [],
      'no live hostile markup in cards (user text must go through safeUserText/escapeMarkdown before it is put in a card)',
    );
  });
});
