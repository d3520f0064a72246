import assert from 'node:assert/strict';
import type { TurnContext } from 'botbuilder';
import { createAdapter } from '../../src/bot/adapter';
import { ConnectorClientCache } from '../../src/bot/connector-cache';
import { loadConfig } from '../../src/config';
import { channelMessage } from '../support/teams-activities';

/** An express-like response that records what the adapter answered. */
function response() {
  const r = { status: 0, body: undefined as string | undefined, headers: {} as Record<string, string> };
  return {
    r,
    res: {
      status: (code: number) => (r.status = code),
      setHeader: (name: string, value: string) => (r.headers[name.toLowerCase()] = value),
      end: (body?: string) => (r.body = body),
    },
  };
}

describe('Bot Connector clients are reused across turns', () => {
  const config = loadConfig({ DATA_DIR: '/tmp/unused' });

  async function clientsOfTurns(adapter: ReturnType<typeof createAdapter>, serviceUrls: string[]) {
    const seen: { connector: unknown; userToken: unknown }[] = [];
    for (const url of serviceUrls) {
      const { res, r } = response();
      await adapter.process({ body: channelMessage(url, 'status'), headers: {} } as never, res as never, async (ctx: TurnContext) => {
        seen.push({ connector: ctx.turnState.get(adapter.ConnectorClientKey), userToken: ctx.turnState.get(adapter.UserTokenClientKey) });
      });
      assert.equal(r.status, 200);
    }
    return seen;
  }

  it('incoming turns on one service URL get the same ConnectorClient and UserTokenClient', async () => {
    const adapter = createAdapter(config);
    const [a, b, c] = await clientsOfTurns(adapter, ['http://127.0.0.1:9/a/', 'http://127.0.0.1:9/a/', 'http://127.0.0.1:9/b/']);
    assert.ok(a!.connector, 'the turn has a connector client');
    assert.equal(a!.connector, b!.connector);
    assert.notEqual(a!.connector, c!.connector, 'another service URL gets its own client');
    assert.equal((c!.connector as { baseUri?: string }).baseUri, 'http://127.0.0.1:9/b/');
    assert.ok(a!.userToken);
    assert.equal(a!.userToken, c!.userToken, 'user-token clients are per app id, not per service URL');
  });

  it('proactive sends (the weekly fan-out) reuse one client per service URL too', async () => {
    const adapter = createAdapter(config);
    const clients: unknown[] = [];
    for (const conversation of ['c1', 'c2', 'c3']) {
      await adapter.continueConversationAsync('', { serviceUrl: 'http://127.0.0.1:9/a/', channelId: 'msteams', conversation: { id: conversation } as never }, async (ctx) => {
        clients.push(ctx.turnState.get(adapter.ConnectorClientKey));
      });
    }
    assert.ok(clients[0]);
    assert.equal(clients[1], clients[0]);
    assert.equal(clients[2], clients[0]);
  });

  it('is bounded, oldest out first, and does not remember a failed creation', async () => {
    const cache = new ConnectorClientCache(2);
    let made = 0;
    let failNext = true;
    const inner = {
      create: async (serviceUrl: string) => {
        made++;
        if (failNext) {
          failNext = false;
          throw new Error('credentials unavailable');
        }
        return { serviceUrl } as never;
      },
    } as never;
    const claims = { getClaimValue: (type: string) => (type === 'aud' ? 'bot-app-id' : null) } as never;
    const factory = cache.wrap(inner, claims);
    await assert.rejects(factory.create('https://smba/a/', 'aud'), /credentials unavailable/);
    const a = await factory.create('https://smba/a/', 'aud');
    assert.equal(made, 2, 'the failure was retried, not cached');
    assert.equal(await factory.create('https://smba/a/', 'aud'), a);
    await factory.create('https://smba/b/', 'aud');
    await factory.create('https://smba/c/', 'aud');
    assert.equal(cache.size, 2);
    assert.notEqual(await factory.create('https://smba/a/', 'aud'), a, 'the oldest entry was evicted');
    assert.equal(made, 5);
  });
});
