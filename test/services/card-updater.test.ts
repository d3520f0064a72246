import assert from 'node:assert/strict';
import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';
import { ManualClock } from '../../src/domain/clock';
import type { Target } from '../../src/domain/records';
import type { Delivered, Messenger, Outbound } from '../../src/services/messenger';
import { openSqliteStore } from '../../src/store/sqlite';
import { tempDir } from '../support/bot-process';
import { cardText } from '../support/loopback-connector';
import { channelInput, harness } from '../support/service-harness';

const textOf = (m: Outbound) => ('card' in m ? cardText(m.card) : m.text);

/**
 * Teams as far as a card is concerned: the card shows whatever update landed last. Each instance reaches it with its
 * own latency, so updates from two instances can land in the other order than they were rendered.
 */
class Channel {
  readonly landed: Array<{ by: string; text: string }> = [];
  private n = 0;
  shown(): string | undefined {
    return this.landed.at(-1)?.text;
  }
  messenger(by: string, updateLatencyMs: () => number): Messenger {
    return {
      post: async (target: Target, message: Outbound): Promise<Delivered> => {
        const activityId = String(++this.n);
        this.landed.push({ by, text: textOf(message) });
        return { activityId, threadId: `${target.conversationId};messageid=${activityId}` };
      },
      update: async (_target: Target, _at: { activityId: string; threadId: string }, message: Outbound) => {
        const text = textOf(message);
        await new Promise((r) => setTimeout(r, updateLatencyMs()));
        this.landed.push({ by, text });
      },
      reply: async (target: Target, threadId: string): Promise<Delivered> => ({ activityId: String(++this.n), threadId }),
    };
  }
}

describe('card updates from several instances converge on the latest state', () => {
  it('an update that lands after a newer one is followed by another, so the card ends up with every ack', async () => {
    const dir = tempDir();
    const clock = new ManualClock(new Date('2026-11-30T09:00:00Z'));
    const teams = new Channel();
    // Instance A's updates take 300 ms to land; B's land at once.
    const a = harness({ clock, store: openSqliteStore(dir), instanceId: 'a', messenger: teams.messenger('a', () => 300) });
    const b = harness({ clock, store: openSqliteStore(dir), instanceId: 'b', messenger: teams.messenger('b', () => 0) });
    const target = (await a.services.targets.install(channelInput(1))).target;
    const posted = await a.services.posting.postForTarget(target);
    assert.equal(posted.kind, 'posted');
    const post = posted.kind === 'posted' ? posted.post : undefined!;
    const item = WEEKLY_CHECKLIST.items[0]!.id;
    const ref = { postId: post.id, periodKey: post.periodKey, itemId: item };
    const origin = { tenantId: target.tenantId, conversationId: target.conversationId };

    await a.services.acks.ack(ref, origin, { id: '00000000-0000-4000-8000-00000000a11e', name: 'Alex Wilber', teamsId: '29:alex' });
    // A renders Alex alone and sends; while that is on its way, Megan acknowledges through B, whose update lands first.
    await new Promise((r) => setTimeout(r, 100));
    await b.services.acks.ack(ref, origin, { id: '00000000-0000-4000-8000-00000000beef', name: 'Megan Bowen', teamsId: '29:megan' });
    await b.services.drain();
    await a.services.drain();

    const order = teams.landed.slice(1).map((l) => `${l.by}:${/Megan/.test(l.text) ? 2 : 1}`);
    assert.ok(order.indexOf('b:2') < order.indexOf('a:1'), `the crossing happened: ${order.join(' ')}`);
    assert.match(teams.shown() ?? '', /Alex Wilber/);
    assert.match(teams.shown() ?? '', /Megan Bowen/, `the card ends with both acks; updates landed: ${order.join(' ')}`);
    assert.equal(a.services.updater.stats.stale, 1, 'A noticed its update was stale once');
  });

  it('a single instance with nothing changing sends one update per burst, no follow-up', async () => {
    const teams = new Channel();
    const h = harness({ messenger: teams.messenger('a', () => 20) });
    const target = (await h.services.targets.install(channelInput(2))).target;
    const posted = await h.services.posting.postForTarget(target);
    const post = posted.kind === 'posted' ? posted.post : undefined!;
    const origin = { tenantId: target.tenantId, conversationId: target.conversationId };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.services.acks.ack({ postId: post.id, periodKey: post.periodKey, itemId: WEEKLY_CHECKLIST.items[i % 3]!.id }, origin, { id: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`, name: `User ${i}`, teamsId: `29:u${i}` }),
      ),
    );
    await h.services.drain();
    assert.equal(teams.landed.length, 2, 'the post and one update');
    assert.equal(h.services.updater.stats.stale, 0);
    assert.match(teams.shown() ?? '', /User 8 .*\n/);
    assert.match(teams.shown() ?? '', /\(\+1 more\)/, 'User 9, the tenth ack, is counted');
  });
});
