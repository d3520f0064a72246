import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';
import { renderWeekly } from '../../src/cards/weekly';
import { renderMessage, renderError } from '../../src/cards/message';
import { renderWelcome, renderHelp } from '../../src/cards/welcome';
import { renderStatus } from '../../src/cards/status';
import { renderCheckResults } from '../../src/cards/check-result';
import { CARDS_DIR, findUnresolved, TEMPLATE_NAMES } from '../../src/cards/templates';
import { periodOf } from '../../src/domain/period';
import type { Ack } from '../../src/domain/records';
import type { CheckOutcome } from '../../src/domain/outcome';
import { cardSchemaErrors } from '../support/card-schema';
import { cardText } from '../support/loopback-connector';

const period = periodOf(new Date('2026-12-03T10:00:00Z'), 'Europe/Berlin');
const post = { id: '5b0e7c6a-7d1e-4a8e-9a57-1f2d3c4b5a69', periodKey: period.key };
const target = { kind: 'channel' as const, teamName: 'SOC Team', channelName: 'General' };

function ack(itemId: string, i: number, name = `User ${i}`): Ack {
  return {
    postId: post.id,
    itemId,
    userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    userName: name,
    at: new Date(Date.UTC(2026, 11, 1, 9, i)).toISOString(),
    evidence: { status: 'warn', summary: '2 warnings', label: '2 warnings', checkedAt: '2026-12-01T08:00:00Z' },
    schemaVersion: 1,
  };
}

const outcome: CheckOutcome = {
  checkId: 'connectors',
  status: 'warn',
  summary: '1 open system alert; log collector FW-01 silent for 30 h',
  findings: [
    { title: 'System alert: ServiceNow connector', detail: 'Open since Monday', severity: 'high', link: 'https://security.microsoft.com/alerts' },
    { title: 'FW-01 stale', detail: 'No data for 30 h', severity: 'medium' },
  ],
  evidence: { calls: [{ api: 'cloud-apps', request: 'POST /api/v1/alerts/', status: 200, pages: 2, items: 120 }] },
  checkedAt: '2026-12-01T08:00:00Z',
  apis: ['Cloud Apps alerts'],
  sample: true,
};

function weekly(acks: Ack[], running = new Set<string>()) {
  return renderWeekly({
    checklist: WEEKLY_CHECKLIST,
    post,
    period,
    target,
    acks,
    outcomes: [{ postId: post.id, itemId: 'connectors', outcome, schemaVersion: 1 }],
    running,
    timeZone: 'Europe/Berlin',
  });
}

describe('card templates', () => {
  it('every template file is listed and every listed name has a file', () => {
    const files = fs.readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => path.basename(f, '.json')).sort();
    const listed = [...TEMPLATE_NAMES].filter((n) => files.includes(n)).sort();
    assert.deepEqual(listed, files);
  });

  const fixtures: Array<[string, () => unknown]> = [
    ['weekly-checklist (pending)', () => weekly([])],
    ['weekly-checklist (acks, outcome, running)', () => weekly([ack('sspm', 1, 'Alex Wilber'), ack('connectors', 2)], new Set(['message-center']))],
    ['weekly-checklist (completed)', () => weekly(WEEKLY_CHECKLIST.items.map((i, n) => ack(i.id, n + 1)))],
    ['message', () => renderMessage({ heading: 'Hello', text: 'World' })],
    ['error', () => renderError('It broke', 'Try again', 'abc123')],
    ['welcome', () => renderWelcome({ scheduleText: 'Every Monday 09:00 UTC.' })],
    ['help', () => renderHelp({ scheduleText: 'Every Monday 09:00 UTC.' })],
    ['status', () => renderStatus({ heading: 'Week 49', subheading: 'Posted', rows: [{ title: 'A', value: 'Pending' }], progress: '0 of 4', link: '' })],
    ['check-result', () => renderCheckResults('Check: connectors', 'Requested by Alex', [{ title: 'Connectors', outcome }], 'UTC')],
  ];
  for (const [name, render] of fixtures) {
    it(`${name}: renders with no unresolved \${…} and passes the Adaptive Card 1.5 schema`, () => {
      const card = render() as Record<string, unknown>;
      assert.equal(card.type, 'AdaptiveCard');
      assert.equal(card.version, '1.5');
      assert.deepEqual(findUnresolved(card), []);
      assert.deepEqual(cardSchemaErrors(card), []);
    });
  }

  it('the schema check can fail: an unknown element type is reported', () => {
    assert.notDeepEqual(cardSchemaErrors({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'NoSuchThing' }] }), []);
  });

  it('weekly card shows header, items, status lines and progress', () => {
    const text = cardText(weekly([ack('sspm', 2, 'Alex Wilber')]));
    assert.match(text, new RegExp(`Week ${period.week} · `));
    assert.match(text, /SOC Team › General/);
    for (const item of WEEKLY_CHECKLIST.items) assert.ok(text.includes(item.title), item.title);
    assert.match(text, /✔ Alex Wilber · Tue 10:02 · 2 warnings/);
    assert.match(text, /Pending/);
    assert.match(text, /1 of 4 acknowledged/);
    assert.match(text, /App connectors/);
    assert.match(text, /Automatic log upload/);
  });

  it('weekly card says when and by whom it was completed', () => {
    const text = cardText(weekly(WEEKLY_CHECKLIST.items.map((i, n) => ack(i.id, n + 1, ['Alex Wilber', 'Megan Bowen', 'Lee Gu', 'Alex Wilber'][n]))));
    assert.match(text, /4 of 4 acknowledged/);
    assert.match(text, /Completed Tue 10:04 by Alex Wilber, Megan Bowen, Lee Gu/);
  });

  it('stays under 28 KB with 50 acknowledgers', () => {
    const acks = Array.from({ length: 50 }, (_, i) => ack(WEEKLY_CHECKLIST.items[i % 4].id, i, `Acknowledger Number ${i} With A Long Name`));
    const size = Buffer.byteLength(JSON.stringify(weekly(acks)));
    assert.ok(size < 28 * 1024, `card is ${size} bytes`);
  });

  it('escapes user text: names cannot inject links, markdown or template expressions', () => {
    const hostile = ack('sspm', 1, '[click me](https://evil.example) ${$root.postId} **bold** <b>x</b>');
    const card = weekly([hostile]);
    const json = JSON.stringify(card);
    assert.ok(!json.includes('[click me](https://evil.example)'), 'markdown link neutralised');
    assert.ok(!json.includes(post.id + ' **'), 'template expression not evaluated');
    assert.ok(!json.includes('<b>'), 'HTML neutralised');
    assert.match(cardText(card), /\\\[click me\\\]\\\(https:\/\/evil\\\.example\\\)/);
    assert.deepEqual(cardSchemaErrors(card), []);
  });
});
