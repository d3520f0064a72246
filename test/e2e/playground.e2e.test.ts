import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page, type Request } from 'playwright-core';
import { BotProcess, tempDir } from '../support/bot-process';
import { PLAYGROUND_CONFIG, ROOT, freePort, startPlayground, stopGroup, waitForHttp } from '../../scripts/lib/local-stack';
import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';

/**
 * Browser end-to-end: the real bot (sample tenant, local mode) behind Microsoft 365 Agents Playground, driven by
 * headless Chromium as a person would use Teams. Every request the page makes off this machine is blocked.
 *
 * The Playground always acts as its current user (Alex Wilber) and has no user switcher. Megan Bowen's
 * acknowledgement is therefore sent from "her client": the Playground's own invoke endpoint, with her id from
 * .m365agentsplayground.yml. Alex's page then shows her name only if the bot's updateActivity (the card update for
 * everyone) reaches the Playground — the invoke answer goes to her client, not to his page.
 *
 * Screenshots go to test-artifacts/e2e/. The card with both acks is also copied to docs/screenshot.png (the README
 * picture) when that file is missing or UPDATE_DOCS_SCREENSHOT=1, so ordinary runs leave the tree clean.
 */

const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');
const DOCS_SCREENSHOT = path.join(ROOT, 'docs', 'screenshot.png');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const CHECKLIST_TITLE = `Rounds · ${WEEKLY_CHECKLIST.title}`;
const TITLES = WEEKLY_CHECKLIST.items.map((i) => i.title);
const RESULT_BADGES = ['✅ Pass', '⚠️ Warn', '❌ Fail', '👀 Manual', '⛔ Error'];

/** `key: value` of the first line matching `key:` after the line `section:` in the Playground config. */
function configValue(yml: string, section: string, key: string): string {
  const lines = yml.split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === `${section}:`);
  assert.ok(start >= 0, `${section}: not found in ${PLAYGROUND_CONFIG}`);
  for (const line of lines.slice(start + 1)) {
    const m = new RegExp(`^\\s+-?\\s*${key}:\\s*(.+?)\\s*$`).exec(line);
    if (m) return m[1]!;
  }
  throw new Error(`${section}.${key} not found in ${PLAYGROUND_CONFIG}`);
}

async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The text of item `n` (0-based) of the checklist card: from its title to the next item's title (or the footer). */
function itemSection(cardText: string, n: number): string {
  const start = cardText.indexOf(TITLES[n]!);
  assert.ok(start >= 0, `item "${TITLES[n]}" is not on the card:\n${cardText}`);
  const next = n + 1 < TITLES.length ? cardText.indexOf(TITLES[n + 1]!, start) : cardText.indexOf('acknowledged', start);
  return cardText.slice(start, next >= 0 ? next : undefined);
}

interface WsUpdate {
  action: string;
  conversationId: string;
  messageId: string;
  at: number;
}

describe('Agents Playground in a browser (end to end)', function () {
  const yml = fs.readFileSync(PLAYGROUND_CONFIG, 'utf8');
  const botMri = configValue(yml, 'bot', 'id');
  const alex = { id: configValue(yml, 'currentUser', 'id'), name: configValue(yml, 'currentUser', 'name') };
  const megan = { id: configValue(yml, 'users', 'id'), name: configValue(yml, 'users', 'name') };

  let bot: BotProcess;
  let playground: ChildProcess | undefined;
  let playgroundPort = 0;
  let playgroundOutput = '';
  let playgroundLog = '';
  let work = '';
  let context: BrowserContext | undefined;
  let page: Page;
  const blocked = new Set<string>();
  const wsUpdates: WsUpdate[] = [];
  const screenshots: string[] = [];
  /** The checklist card's ids in the Playground, as the page's own invoke carried them. */
  let cardRef: { conversation: { id: string }; replyToId: string; data: Record<string, string> } | undefined;

  const checklistCard = () => page.locator('.ac-adaptiveCard', { hasText: CHECKLIST_TITLE });

  async function shot(name: string, target?: Locator): Promise<string> {
    const file = path.join(ARTIFACTS, `${name}.png`);
    if (target) await target.screenshot({ path: file, animations: 'disabled' });
    else await page.screenshot({ path: file, animations: 'disabled' });
    screenshots.push(path.relative(ROOT, file));
    return file;
  }

  /** Types an @mention the way a person does (type "@Rou", pick Rounds from the suggestions), then the command. */
  async function mentionRounds(command: string): Promise<void> {
    const box = page.locator('[data-lexical-editor=true][role=textbox]').first();
    await box.click();
    await page.keyboard.type('@Rou');
    await page.getByRole('listbox', { name: 'Typeahead menu' }).getByRole('menuitem', { name: 'Rounds' }).click();
    assert.equal(await box.locator('.mention').innerText(), 'Rounds', 'the suggestion became a mention chip');
    await page.keyboard.type(` ${command}`);
    const [sent] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && /\/_conversation\/v1\/conversations\/[^/]+\/messages$/.test(new URL(r.url()).pathname)),
      page.getByRole('button', { name: 'Post', exact: true }).click(),
    ]);
    const body = sent.postDataJSON() as { text?: string; from?: { id?: string }; mentions?: { mentioned: { id: string }; text: string }[] };
    assert.equal(body.text, `<at>Rounds</at> ${command}`);
    assert.equal(body.from?.id, alex.id);
    assert.deepEqual(
      body.mentions?.map((m) => [m.mentioned.id, m.text]),
      [[botMri, '<at>Rounds</at>']],
      'the message carries a real mention of the bot',
    );
  }

  before(async function () {
    this.timeout(60_000);
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-color-emoji (or set CHROMIUM_PATH)`);
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    work = tempDir('rounds-e2e-');
    playgroundLog = path.join(work, 'playground.log');

    bot = new BotProcess({ SAMPLE_TENANT: 'true', DATA_DIR: path.join(work, 'data'), CARD_UPDATE_DELAY_MS: '100', LOG_LEVEL: 'info' });
    playgroundPort = await freePort();
    const [, browserContext] = await Promise.all([
      (async () => {
        await bot.start(30_000);
        await waitForHttp(`${bot.url}/healthz`, { timeoutMs: 10_000, what: 'the bot' });
        playground = startPlayground({ port: playgroundPort, botEndpoint: `${bot.url}/api/messages`, logFile: playgroundLog });
        playground.stdout!.on('data', (d) => (playgroundOutput += d));
        playground.stderr!.on('data', (d) => (playgroundOutput += d));
        await waitForHttp(`http://127.0.0.1:${playgroundPort}/`, { timeoutMs: 30_000, child: playground, what: 'the Playground' });
      })(),
      chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1400, height: 2000 },
        deviceScaleFactor: 1,
        locale: 'en-US',
        timezoneId: 'UTC',
      }),
    ]);
    context = browserContext;
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOOPBACK.has(url.hostname)) return route.continue();
      blocked.add(url.host);
      return route.abort('blockedbyclient');
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/_ws_conversation/')) return;
      ws.on('framereceived', (f) => {
        try {
          const m = JSON.parse(String(f.payload)) as { action?: string; actionConversationId?: string; message?: { messageId?: string } };
          if (m.action) wsUpdates.push({ action: m.action, conversationId: m.actionConversationId ?? '', messageId: m.message?.messageId ?? '', at: Date.now() });
        } catch {
          /* not JSON */
        }
      });
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = `failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
      await shot(name).catch(() => undefined);
      process.stdout.write(`\n--- bot log (tail) ---\n${bot?.logs.split('\n').slice(-40).join('\n')}\n--- playground output ---\n${playgroundOutput.slice(-3000)}\n`);
    }
  });

  after(async function () {
    this.timeout(40_000);
    await context?.close().catch(() => undefined);
    await bot?.kill('SIGTERM'); // first, so pending card updates still reach the Playground
    await stopGroup(playground, 'SIGTERM', 5_000);
    if (fs.existsSync(ARTIFACTS)) {
      fs.writeFileSync(path.join(ARTIFACTS, 'bot.log'), bot?.logs ?? '');
      if (fs.existsSync(playgroundLog)) fs.copyFileSync(playgroundLog, path.join(ARTIFACTS, 'playground.log'));
    }
    if (work) fs.rmSync(work, { recursive: true, force: true });
    process.stdout.write(`      screenshots: ${screenshots.join(', ')}\n`);
    if (blocked.size) process.stdout.write(`      blocked off-machine requests to: ${[...blocked].join(', ')}\n`);
  });

  it('opens My Team › General', async () => {
    await page.goto(`http://localhost:${playgroundPort}/`);
    await page.getByRole('treeitem', { name: /General/ }).click();
    await page.getByText('Start a new post').first().waitFor();
    // The bot welcomed the channel when the Playground installed it.
    await page.locator('.ac-adaptiveCard', { hasText: 'Rounds is ready' }).first().waitFor();
    await shot('01-general');
  });

  it('@Rounds post checklist posts the weekly card with its four items', async () => {
    await mentionRounds('post checklist');
    const card = checklistCard();
    await card.waitFor();
    await page.getByRole('paragraph').filter({ hasText: "✅ Posted this week's checklist" }).first().waitFor();
    const text = await card.innerText();
    for (const title of TITLES) assert.ok(text.includes(title), `card lists "${title}"`);
    assert.equal(await card.getByRole('button', { name: 'Acknowledge' }).count(), 4);
    assert.equal(await card.getByRole('button', { name: 'Run check' }).count(), 4);
    assert.match(text, /0 of 4 acknowledged/);
    assert.equal(await checklistCard().count(), 1, 'one checklist card');
    await shot('02-checklist-posted', card);
  });

  it(`Alex acknowledges item 1 and the card shows his name`, async () => {
    const card = checklistCard();
    const before = wsUpdates.length;
    const [sent] = await Promise.all([
      page.waitForRequest((r: Request) => r.url().endsWith('/_conversation/v1/invoke')),
      card.getByRole('button', { name: 'Acknowledge' }).nth(0).click(),
    ]);
    const invoke = sent.postDataJSON() as { from: { id: string }; conversation: { id: string }; replyToId: string; value: { action: { verb: string; data: Record<string, string> } } };
    assert.equal(invoke.from.id, alex.id);
    assert.equal(invoke.value.action.verb, 'ack');
    assert.equal(invoke.value.action.data.itemId, WEEKLY_CHECKLIST.items[0]!.id);
    cardRef = { conversation: invoke.conversation, replyToId: invoke.replyToId, data: invoke.value.action.data };
    await waitUntil(`"✔ ${alex.name}" on item 1`, async () => itemSection(await card.innerText(), 0).includes(`✔ ${alex.name}`));
    // The bot also updates the posted card for everyone else (updateActivity → the Playground's connector).
    await waitUntil('the card update for everyone', async () => wsUpdates.slice(before).some((u) => u.action === 'updateMessage' && u.messageId === cardRef!.replyToId));
    const text = await card.innerText();
    assert.match(text, /1 of 4 acknowledged/);
    assert.ok(!itemSection(text, 1).includes('✔'), 'item 2 still pending');
    await shot('03-ack-alex', card);
  });

  it(`Megan acknowledges item 2 from her client and Alex's page shows her name`, async () => {
    assert.ok(cardRef, 'the card ids from the previous step');
    const card = checklistCard();
    const before = wsUpdates.length;
    const res = await fetch(`http://127.0.0.1:${playgroundPort}/_conversation/v1/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'adaptiveCard/action',
        from: { id: megan.id },
        conversation: cardRef.conversation,
        replyToId: cardRef.replyToId,
        value: { action: { type: 'Action.Execute', verb: 'ack', data: { ...cardRef.data, itemId: WEEKLY_CHECKLIST.items[1]!.id } }, trigger: 'manual' },
      }),
    });
    const answer = (await res.json()) as { type?: string; value?: unknown };
    assert.equal(res.status, 200, JSON.stringify(answer));
    assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive', 'Megan gets the refreshed card');
    assert.ok(JSON.stringify(answer.value).includes(`✔ ${megan.name}`), 'her card shows her ack');

    await waitUntil(`"✔ ${megan.name}" on item 2 in Alex's page`, async () => itemSection(await card.innerText(), 1).includes(`✔ ${megan.name}`));
    assert.ok(
      wsUpdates.slice(before).some((u) => u.action === 'updateMessage' && u.messageId === cardRef!.replyToId),
      "Alex's page got the card through the bot's updateActivity",
    );
    const text = await card.innerText();
    assert.ok(itemSection(text, 0).includes(`✔ ${alex.name}`), 'item 1 keeps Alex');
    assert.ok(!itemSection(text, 1).includes(alex.name), 'item 2 is Megan alone');
    assert.match(text, /2 of 4 acknowledged/);
    await page.mouse.move(0, 0); // no hover highlight on the picture
    await shot('04-acks-alex-and-megan', card);

    // The README picture: the post (author line and card) as the channel shows it.
    const box = await card.boundingBox();
    assert.ok(box);
    const clip = { x: Math.max(0, box.x - 24), y: Math.max(0, box.y - 58), width: box.width + 48, height: box.height + 74 };
    const readmeShot = path.join(ARTIFACTS, '04-acks-readme.png');
    await page.screenshot({ path: readmeShot, clip, animations: 'disabled' });
    screenshots.push(path.relative(ROOT, readmeShot));
    // The committed copy changes (times) on every run: refresh it only when asked, or when it is missing.
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1' || !fs.existsSync(DOCS_SCREENSHOT)) {
      fs.mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
      fs.copyFileSync(readmeShot, DOCS_SCREENSHOT);
    }
  });

  it('@Rounds check connectors answers with the findings card', async () => {
    await mentionRounds('check connectors');
    const findings = page.locator('.ac-adaptiveCard', { hasText: 'Check: App connectors' }).first();
    await findings.waitFor({ timeout: 20_000 });
    const text = await findings.innerText();
    assert.match(text, /Requested by Alex Wilber/);
    assert.match(text, /open system alert/i, 'open system alert');
    assert.match(text, /log collector \S+ silent for \d+ h/i, 'stale log collector');
    assert.match(text, /(secret|certificate)[^\n]* expires in \d+ days?/i, 'credential expiry');
    assert.match(text, /sample data/);
    await shot('05-check-connectors', findings);
  });

  it('Run check on the card changes the item status in the page', async () => {
    const card = checklistCard();
    const n = 2; // item 3, which no check has touched yet
    const beforeText = itemSection(await card.innerText(), n);
    assert.ok(!beforeText.includes('Last check'), `item 3 has no result yet:\n${beforeText}`);
    assert.ok(!RESULT_BADGES.some((b) => beforeText.includes(b)), 'and no badge');
    await shot('06-run-check-before', card);
    const before = wsUpdates.length;
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/_conversation/v1/invoke')),
      card.getByRole('button', { name: 'Run check' }).nth(n).click(),
    ]);
    const answered = JSON.stringify(await response.json());
    // The clicker's card shows "⏳ Running…" until the result replaces it; with the sample tenant that is too quick
    // to photograph reliably, so the answer itself is checked.
    assert.ok(answered.includes('Running…'), 'the click is answered at once with the item marked running');
    const after = await waitUntil(
      'a check result on item 3',
      async () => {
        const s = itemSection(await card.innerText(), n);
        return s.includes('Last check') && !s.includes('Running…') && RESULT_BADGES.some((b) => s.includes(b)) ? s : undefined;
      },
      20_000,
    );
    assert.ok(wsUpdates.slice(before).some((u) => u.action === 'updateMessage' && u.messageId === cardRef!.replyToId), 'the result came as a card update');
    assert.match(after, /\(sample data\)/);
    // The acks are untouched by the check.
    const text = await card.innerText();
    assert.ok(itemSection(text, 0).includes(`✔ ${alex.name}`) && itemSection(text, 1).includes(`✔ ${megan.name}`));
    await shot('07-run-check-result', card);
    await shot('08-channel');
  });
});
