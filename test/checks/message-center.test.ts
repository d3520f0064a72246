import assert from 'node:assert/strict';
import { buildMessages } from '../../src/sample-tenant/data';
import { memoryPort, run, sampleEnv } from './support';

const D = 86_400_000;

describe('message-center check against the sample tenant', () => {
  let env: Awaited<ReturnType<typeof sampleEnv>>;
  beforeEach(async () => (env = await sampleEnv()));
  afterEach(async () => env.close());

  it('lists new Defender posts across pages, filtered by service and title; a major change fails', async () => {
    const o = await run(env, 'message-center');
    assert.equal(o.status, 'fail');
    const ids = o.findings.map((f) => f.title.split(':')[0]);
    // MC912006 is filed under "Microsoft 365 suite" but its title names Defender for Cloud Apps.
    assert.deepEqual(ids, ['MC910231', 'MC910877', 'MC911402', 'MC912006']);
    assert.equal(o.findings[0]!.severity, 'high');
    assert.match(o.findings[0]!.detail, /major change · action required by/);
    assert.equal(o.findings[0]!.link, 'https://admin.microsoft.com/#/MessageCenter/:/messages/MC910231');
    assert.match(o.summary, /4 new or updated Defender posts/);
    const call = o.evidence.calls[0]!;
    assert.equal(call.pages, 3, 'three pages of three posts each');
    assert.equal(call.items, 7, 'the 20-day-old post is outside the first week');
    assert.ok(env.tenant.log.requests.every((r) => r.route !== 'messages' || r.path.includes('lastModifiedDateTime')));
  });

  it('remembers what it showed: the next run passes, an updated post shows again', async () => {
    const memory = memoryPort();
    await run(env, 'message-center', memory);
    let o = await run(env, 'message-center', memory);
    assert.equal(o.status, 'pass');
    assert.match(o.summary, /since the last run/);
    const later = new Date(Date.now() + 60_000);
    const msgs = buildMessages(new Date()).map((m) => (m.id === 'MC910877' ? { ...m, lastModifiedDateTime: later.toISOString() } : m));
    env.tenant.setData({ messages: msgs });
    o = await run(env, 'message-center', memory, new Date(later.getTime() + 1000));
    assert.equal(o.status, 'warn');
    assert.deepEqual(o.evidence.new, ['MC910877']);
  });

  it('warns for new posts that need no action; action due within 30 days fails, 45 days warns', async () => {
    const now = new Date();
    const base = buildMessages(now).map((m) => ({ ...m, isMajorChange: false, actionRequiredByDateTime: null }));
    env.tenant.setData({ messages: base });
    assert.equal((await run(env, 'message-center', memoryPort(), now)).status, 'warn');
    env.tenant.setData({ messages: base.map((m) => (m.id === 'MC910877' ? { ...m, actionRequiredByDateTime: new Date(now.getTime() + 45 * D).toISOString() } : m)) });
    assert.equal((await run(env, 'message-center', memoryPort(), now)).status, 'warn');
    env.tenant.setData({ messages: base.map((m) => (m.id === 'MC910877' ? { ...m, actionRequiredByDateTime: new Date(now.getTime() + 12 * D).toISOString() } : m)) });
    const o = await run(env, 'message-center', memoryPort(), now);
    assert.equal(o.status, 'fail');
    assert.equal(o.findings[0]!.title.split(':')[0], 'MC910877');
  });

  it('passes when no relevant post changed', async () => {
    env.tenant.setData({ messages: buildMessages(new Date()).filter((m) => /Exchange|Teams|SharePoint/.test(m.services.join())) });
    const o = await run(env, 'message-center');
    assert.equal(o.status, 'pass');
  });

  it('uses MESSAGE_CENTER_SERVICES and MESSAGE_CENTER_TITLE_FILTER', async () => {
    await env.close();
    env = await sampleEnv({ MESSAGE_CENTER_SERVICES: 'Exchange Online', MESSAGE_CENTER_TITLE_FILTER: 'meeting recap' });
    const o = await run(env, 'message-center');
    assert.deepEqual(o.findings.map((f) => f.title.split(':')[0]).sort(), ['MC905118', 'MC911950']);
  });

  it('falls back to client-side filtering when the server rejects $filter', async () => {
    env.tenant.setData({ messagesRejectFilter: true });
    const o = await run(env, 'message-center');
    assert.equal(o.status, 'fail');
    assert.equal(o.findings.length, 4);
    assert.deepEqual(env.tenant.log.requests.filter((r) => r.route === 'messages').map((r) => r.status), [400, 200, 200, 200]);
  });

  it('a 403 is manual naming ServiceMessage.Read.All, and memory is untouched', async () => {
    env.tenant.faults.add({ route: 'messages', status: 403 });
    const memory = memoryPort();
    const o = await run(env, 'message-center', memory);
    assert.equal(o.status, 'manual');
    assert.match(o.summary, /ServiceMessage\.Read\.All/);
    assert.equal(memory.data.size, 0);
  });
});
