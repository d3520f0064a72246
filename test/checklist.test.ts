import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WEEKLY_CHECKLIST } from '../src/checklists/weekly';
import { SHARED } from './support/card-schema';

/** The checklist must say what Microsoft's weekly guide says: every title, persona, "Where" and row of the seed. */
describe('weekly checklist is faithful to the seed', () => {
  const seedDir = path.join(SHARED, 'seeds');
  const seed = fs
    .readdirSync(seedDir)
    .map((f) => fs.readFileSync(path.join(seedDir, f), 'utf8'))
    .join('\n');
  const lines = seed.split(/\r?\n/).map((l) => l.trim());

  it('has the four items in the seed order with stable ids', () => {
    assert.deepEqual(
      WEEKLY_CHECKLIST.items.map((i) => i.id),
      ['sspm', 'connectors', 'message-center', 'governance-log'],
    );
    const positions = WEEKLY_CHECKLIST.items.map((i) => lines.indexOf(i.title));
    assert.ok(positions.every((p) => p >= 0), `every title is a line of the seed: ${positions}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'same order as the seed');
  });

  for (const item of WEEKLY_CHECKLIST.items) {
    describe(item.id, () => {
      const start = lines.indexOf(item.title);
      const next = WEEKLY_CHECKLIST.items[WEEKLY_CHECKLIST.items.indexOf(item) + 1];
      const section = lines.slice(start, next ? lines.indexOf(next.title) : undefined);

      it('has the persona of the seed', () => {
        assert.ok(section.includes(`Persona: ${item.persona}`), `Persona line for ${item.id}`);
      });

      it('has the "Where" of the seed', () => {
        const where = section.find((l) => l.startsWith('Where:'));
        assert.ok(where, 'seed has a Where line');
        assert.ok(where!.includes(item.where.portal), `portal "${item.where.portal}" in "${where}"`);
        const last = item.where.path.split(' > ').at(-1)!;
        assert.ok(where!.includes(last), `path "${last}" in "${where}"`);
        assert.match(item.where.link, /^https:\/\//);
      });

      it('has the description sentences of the seed', () => {
        for (const sentence of item.description.split(/(?<=\.)\s+/)) {
          assert.ok(seed.includes(sentence), `seed contains: ${sentence}`);
        }
      });

      it('has every "for more information" link of the seed', () => {
        const i = section.findIndex((l) => /^For more information, see/.test(l));
        const inline = section.find((l) => /^For more information, see .+\.$/.test(l));
        const expected = inline
          ? [inline.replace(/^For more information, see /, '').replace(/\.$/, '')]
          : i >= 0
            ? section.slice(i + 1).filter((l) => l.startsWith('- ')).map((l) => l.slice(2))
            : [];
        assert.deepEqual(item.moreInfo.map((l) => l.title), expected);
        for (const l of item.moreInfo) assert.match(l.url, /^https:\/\/learn\.microsoft\.com\//);
      });
    });
  }

  it('connectors has the seed table rows with their paths', () => {
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| Status') && !l.startsWith('|---'));
    const parsed = rows.map((r) => r.split('|').map((c) => c.trim()).filter(Boolean));
    const item = WEEKLY_CHECKLIST.items.find((i) => i.id === 'connectors')!;
    assert.deepEqual(
      item.subItems.map((s) => [s.title, s.where]),
      parsed,
    );
    assert.deepEqual(
      item.subItems.map((s) => s.title),
      ['App connectors', 'Conditional Access App Control apps', 'Automatic log upload', 'API tokens'],
    );
  });
});
