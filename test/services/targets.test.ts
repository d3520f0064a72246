import assert from 'node:assert/strict';
import { channelInput, harness } from '../support/service-harness';

describe('targets are refreshed from every inbound activity', () => {
  it('touch writes only what changed: a new serviceUrl lands in the store, the same details write nothing', async () => {
    const h = harness();
    const input = channelInput(1);
    const installed = (await h.services.targets.install(input)).target;
    h.clock.advance(60_000);
    await h.services.targets.touch(input);
    assert.equal((await h.store.getTarget(installed.id))!.updatedAt, installed.updatedAt, 'nothing changed, nothing written');

    const moved = { ...input, serviceUrl: 'https://smba.example/emea/' };
    await h.services.targets.touch(moved);
    const after = (await h.store.getTarget(installed.id))!;
    assert.equal(after.serviceUrl, 'https://smba.example/emea/');
    assert.notEqual(after.updatedAt, installed.updatedAt);

    // A conversation this process has never seen is created (a message before any install event).
    const fresh = channelInput(2);
    await h.services.targets.touch(fresh);
    assert.deepEqual((await h.store.listTargets()).map((t) => t.conversationId).sort(), [input.conversationId, fresh.conversationId].sort());
  });
});
