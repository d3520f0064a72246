import assert from 'node:assert/strict';
import { BotProcess, tempDir } from '../support/bot-process';
import { LoopbackConnector } from '../support/loopback-connector';
import { channelMessage } from '../support/teams-activities';
import { snapshot } from './support/world';

const STACK = /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|Error:/;

/** Job endpoint secrets and the HTTP edge: size limit, malformed JSON, odd activities, no stack traces. */
describe('security: HTTP surface', function () {
  this.timeout(120_000);
  const SECRET = 'job-secret-0123456789abcdef-XYZ';
  const connector = new LoopbackConnector();
  const dataDir = tempDir('rounds-http-');
  let bot: BotProcess;

  before(async () => {
    await connector.start();
    bot = await new BotProcess({ DATA_DIR: dataDir, JOB_SECRET: SECRET, MAX_BODY_BYTES: '4096', SAMPLE_TENANT: 'true' }).start();
  });
  after(async () => {
    await bot?.kill();
    await connector.stop();
  });

  describe('job endpoints', () => {
    for (const job of ['post-checklist', 'remind']) {
      it(`${job}: missing or wrong secret → 401; the right secret → 200`, async () => {
        const url = `/api/jobs/${job}`;
        const cases: Array<Record<string, string>> = [
          {},
          { authorization: '' },
          { authorization: 'Bearer' },
          { authorization: 'Bearer wrong' },
          { authorization: `Bearer ${SECRET.slice(0, -1)}` },
          { authorization: `Bearer ${SECRET}x` },
          { authorization: `Basic ${SECRET}` },
          { authorization: SECRET },
          { 'x-job-secret': SECRET },
        ];
        for (const headers of cases) {
          const res = await bot.post(url, {}, headers);
          assert.equal(res.status, 401, `${JSON.stringify(headers)} → ${res.status}`);
          assert.ok(!res.text.includes(SECRET.slice(0, 10)));
        }
        const ok = await bot.post(url, {}, { authorization: `Bearer ${SECRET}` });
        assert.equal(ok.status, 200, ok.text);
        assert.equal(ok.body.job, job);
        const lower = await bot.post(url, {}, { authorization: `bearer   ${SECRET}` });
        assert.equal(lower.status, 200, 'scheme is case-insensitive');
      });
    }

    it('without JOB_SECRET the job endpoints are off (404)', async () => {
      const off = await new BotProcess({ DATA_DIR: tempDir('rounds-nojob-'), SAMPLE_TENANT: 'true' }).start();
      try {
        for (const job of ['post-checklist', 'remind']) {
          assert.equal((await off.post(`/api/jobs/${job}`, {})).status, 404);
          assert.equal((await off.post(`/api/jobs/${job}`, {}, { authorization: 'Bearer ' })).status, 404);
          assert.equal((await off.post(`/api/jobs/${job}`, {}, { authorization: `Bearer ${SECRET}` })).status, 404);
        }
      } finally {
        await off.kill();
      }
    });
  });

  describe('requests to /api/messages', () => {
    it('a body over MAX_BODY_BYTES → 413, no details', async () => {
      const big = { ...channelMessage(connector.url, 'status'), text: 'x'.repeat(8000) };
      const res = await bot.post('/api/messages', big);
      assert.equal(res.status, 413);
      assert.deepEqual(res.body, { error: 'Request body too large.' });
      // Also when the client lies about the length or streams without one.
      const chunked = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          start(c) {
            for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode(' '.repeat(1000)));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(chunked.status, 413);
    });

    it('malformed JSON, non-objects and activities without a type → 400 without stack traces', async () => {
      for (const body of ['{"type": "message", ', '[1,2,3]', '"message"', 'null', '42', '{"type": 7}', '{}', '\u0000\u0001', '{"type":"message"}}']) {
        const res = await bot.post('/api/messages', body);
        assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${res.text}`);
        assert.ok(!STACK.test(res.text), res.text);
      }
    });

    it('odd content types and encodings are not a 500', async () => {
      const form = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'type=message' });
      assert.equal(form.status, 400);
      const enc = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br-nope' }, body: '{"type":"message"}' });
      assert.ok(enc.status >= 400 && enc.status < 500, String(enc.status));
      assert.ok(!STACK.test(await enc.text()));
      const charset = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json; charset=klingon' }, body: '{"type":"message"}' });
      assert.ok(charset.status >= 400 && charset.status < 500, String(charset.status));
    });

    it('other methods and unknown paths → 404/405, never a stack', async () => {
      const get = await fetch(`${bot.url}/api/messages`);
      assert.ok([404, 405].includes(get.status));
      const unknown = await fetch(`${bot.url}/api/../../etc/passwd`);
      assert.equal(unknown.status, 404);
      assert.ok(!STACK.test(await unknown.text()));
    });

    it('unknown activity types and odd events are ignored safely: 200, nothing sent or recorded', async () => {
      const before = snapshot(dataDir);
      const calls = connector.calls.length;
      const base = channelMessage(connector.url, 'status');
      for (const type of ['typing', 'endOfConversation', 'event', 'trace', 'handoff', 'messageReaction', 'messageUpdate', 'messageDelete', 'suggestion', 'command', 'x-unknown', '', '__proto__', 'constructor']) {
        const res = await bot.post('/api/messages', { ...base, type, text: undefined });
        assert.ok(res.status === 200 || res.status === 400, `${type} → ${res.status} ${res.text}`);
        assert.ok(!STACK.test(res.text));
      }
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(connector.calls.length, calls, 'nothing sent');
      assert.deepEqual(snapshot(dataDir), before);
      assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
    });

    it('an invoke nobody handles is not a 5xx', async () => {
      const base = channelMessage(connector.url, 'status');
      for (const name of ['composeExtension/query', 'task/fetch', 'signin/verifyState', 'config/fetch', 'x/unknown', undefined]) {
        const res = await bot.post('/api/messages', { ...base, type: 'invoke', name, value: { anything: 1 }, text: undefined });
        assert.ok(res.status < 500, `${name} → ${res.status} ${res.text}`);
      }
    });
  });
});
