import assert from 'node:assert/strict';
import { formatShortTime, periodOf } from '../../src/domain/period';

describe('period: ISO week in a time zone', () => {
  it('computes ISO weeks across year boundaries', () => {
    assert.equal(periodOf(new Date('2026-12-03T12:00:00Z'), 'UTC').key, '2026-W49');
    assert.equal(periodOf(new Date('2021-01-03T12:00:00Z'), 'UTC').key, '2020-W53');
    assert.equal(periodOf(new Date('2024-12-30T12:00:00Z'), 'UTC').key, '2025-W01');
    assert.equal(periodOf(new Date('2026-01-01T12:00:00Z'), 'UTC').key, '2026-W01');
  });

  it('uses the local date of the zone', () => {
    // Sunday 23:30 UTC is already Monday in Berlin: a new week there, not in UTC.
    const at = new Date('2026-12-06T23:30:00Z');
    assert.equal(periodOf(at, 'UTC').key, '2026-W49');
    assert.equal(periodOf(at, 'Europe/Berlin').key, '2026-W50');
    assert.equal(periodOf(new Date('2026-12-07T03:00:00Z'), 'America/Los_Angeles').key, '2026-W49');
  });

  it('gives Monday and Sunday of the week', () => {
    const p = periodOf(new Date('2026-12-03T12:00:00Z'), 'UTC');
    assert.equal(p.start, '2026-11-30');
    assert.equal(p.end, '2026-12-06');
  });

  it('formats short local times through DST changes', () => {
    assert.equal(formatShortTime('2026-03-30T08:02:00Z', 'Europe/Berlin'), 'Mon 10:02');
    assert.equal(formatShortTime('2026-03-27T09:02:00Z', 'Europe/Berlin'), 'Fri 10:02');
  });
});
