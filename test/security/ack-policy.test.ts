import assert from 'node:assert/strict';
import express from 'express';
import type { Server } from 'node:http';
import { AllowListPolicy, allowAll, parseAckAllowed, RosterPolicy, type Actor, type AckPolicy, type TeamRoster } from '../../src/services/access';
import { GraphGroupMembership } from '../../src/bot/graph-groups';
import { TeamsRoster } from '../../src/bot/roster';
import { createAdapter } from '../../src/bot/adapter';
import { createAckPolicy } from '../../src/bot/ack-policy';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { WEEKLY_CHECKLIST } from '../../src/checklists/weekly';
import type { Target } from '../../src/domain/records';

const USER = '00000000-0000-4000-8000-00000000a11e';
const OTHER = '00000000-0000-4000-8000-00000000beef';
const GROUP = '11111111-0000-4000-8000-000000000001';
const GROUP2 = '11111111-0000-4000-8000-000000000002';
const alex: Actor = { id: USER, name: 'Alex', teamsId: '29:alex' };
const megan: Actor = { id: OTHER, name: 'Megan', teamsId: '29:megan' };

function target(serviceUrl = 'http://127.0.0.1:9/', over: Partial<Target> = {}): Target {
  return {
    id: 't|19:general@thread.tacv2',
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    conversationId: '19:general@thread.tacv2',
    kind: 'channel',
    teamId: '19:team@thread.tacv2',
    teamName: 'SOC Team',
    serviceUrl,
    botId: '28:bot',
    status: 'active',
    subscribed: true,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    schemaVersion: 1,
    ...over,
  } as Target;
}

const refuseAll: AckPolicy = { check: async () => ({ allowed: false, reason: 'fallback refused' }) };

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const a = server.address();
  return { server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` };
}

describe('security: who may acknowledge', () => {
  describe('ACK_ALLOWED parsing and allow list', () => {
    it('parses plain and item-scoped entries', () => {
      assert.deepEqual(parseAckAllowed([USER.toUpperCase(), `connectors:${GROUP}`]), [{ objectId: USER }, { itemId: 'connectors', objectId: GROUP }]);
    });

    it('a listed user may acknowledge, anyone else is refused with an "ask" reason; ids compare case-insensitively', async () => {
      const p = new AllowListPolicy([USER.toUpperCase()], allowAll);
      assert.deepEqual(await p.check(target(), 'sspm', alex), { allowed: true });
      const v = await p.check(target(), 'sspm', megan);
      assert.equal(v.allowed, false);
      assert.match((v as { reason: string }).reason, /Ask .* ACK_ALLOWED/);
    });

    it('item-scoped entries replace the global ones for that item only; uncovered items use the fallback', async () => {
      const p = new AllowListPolicy([USER, `connectors:${OTHER}`], refuseAll);
      assert.equal((await p.check(target(), 'connectors', megan)).allowed, true);
      assert.equal((await p.check(target(), 'connectors', alex)).allowed, false, 'Alex is global but connectors has its own list');
      assert.equal((await p.check(target(), 'sspm', alex)).allowed, true);
      assert.equal((await p.check(target(), 'sspm', megan)).allowed, false);
      const onlyItem = new AllowListPolicy([`connectors:${OTHER}`], refuseAll);
      assert.deepEqual(await onlyItem.check(target(), 'sspm', alex), { allowed: false, reason: 'fallback refused' });
    });

    it('group entries match through GroupMembership; without the port they cannot match', async () => {
      const asked: Array<{ user: string; groups: string[] }> = [];
      const groups = { memberOf: async (user: string, ids: string[]) => (asked.push({ user, groups: ids }), user === OTHER ? [GROUP.toUpperCase()] : []) };
      const p = new AllowListPolicy([USER, GROUP, GROUP2], refuseAll, { groups });
      assert.equal((await p.check(target(), 'sspm', megan)).allowed, true);
      assert.equal((await p.check(target(), 'sspm', { ...megan, id: '00000000-0000-4000-8000-000000000999' })).allowed, false);
      assert.equal((await p.check(target(), 'sspm', alex)).allowed, true);
      assert.deepEqual(asked[0], { user: OTHER, groups: [USER, GROUP, GROUP2] });
      assert.equal(asked.length, 2, 'a listed user needs no group lookup');
      const noPort = new AllowListPolicy([GROUP], allowAll);
      assert.equal((await noPort.check(target(), 'sspm', megan)).allowed, false);
    });

    it('a failing group lookup refuses (fail closed) with a try-again reason', async () => {
      const p = new AllowListPolicy([GROUP], allowAll, { groups: { memberOf: async () => Promise.reject(new Error('graph down')) } });
      const v = await p.check(target(), 'sspm', megan);
      assert.equal(v.allowed, false);
      assert.match((v as { reason: string }).reason, /Try again/);
    });
  });

  describe('team roster policy', () => {
    it('members may acknowledge (cached), non-members are refused with the team name, failures refuse', async () => {
      let calls = 0;
      let fail = false;
      const roster: TeamRoster = {
        isMember: async (_t, a) => {
          calls++;
          if (fail) throw new Error('connector down');
          return a.id === USER;
        },
      };
      const p = new RosterPolicy(roster);
      assert.equal((await p.check(target(), 'sspm', alex)).allowed, true);
      assert.equal((await p.check(target(), 'connectors', alex)).allowed, true);
      assert.equal(calls, 1, 'second check from the cache');
      const v = await p.check(target(), 'sspm', megan);
      assert.equal(v.allowed, false);
      assert.match((v as { reason: string }).reason, /Only members of the team "SOC Team" can acknowledge\. Ask a team owner/);
      fail = true;
      const f = await p.check(target(), 'sspm', megan);
      assert.equal(f.allowed, false);
      assert.match((f as { reason: string }).reason, /Try again/);
    });
  });

  describe('TeamsRoster over a loopback Bot Connector', () => {
    let server: Server;
    let url: string;
    const lookups: string[] = [];
    before(async () => {
      const app = express();
      // GET /v3/conversations/{conversationId}/members/{memberId}, as the Bot Connector answers it.
      app.get('/v3/conversations/:conv/members/:member', (req, res) => {
        const conv = decodeURIComponent(String(req.params.conv));
        const member = decodeURIComponent(String(req.params.member));
        lookups.push(`${conv} ${member}`);
        if (member === '29:boom') return void res.status(500).json({ error: { code: 'ServiceError', message: 'x' } });
        if (member === '29:alex') return void res.json({ id: '29:alex', name: 'Alex', aadObjectId: USER, userRole: 'user' });
        res.status(404).json({ error: { code: 'MemberNotFoundInConversation', message: 'The user is not a member' } });
      });
      ({ server, url } = await listen(app));
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('asks for the team (not the channel) member by Teams id; 404 is "not a member"; other errors throw', async () => {
      const adapter = createAdapter(loadConfig({ DATA_DIR: '/tmp/unused' }));
      const roster = new TeamsRoster(adapter, '');
      const t = target(`${url}/`);
      assert.equal(await roster.isMember(t, alex), true);
      assert.equal(await roster.isMember(t, megan), false);
      await assert.rejects(roster.isMember(t, { ...megan, teamsId: '29:boom' }));
      assert.equal(lookups[0], '19:team@thread.tacv2 29:alex');
      // In a group chat the conversation itself is asked.
      await roster.isMember(target(`${url}/`, { kind: 'groupChat', teamId: undefined, conversationId: '19:chat@thread.v2' }), alex);
      assert.equal(lookups.at(-1), '19:chat@thread.v2 29:alex');
      // A channel target without a team id cannot be checked.
      await assert.rejects(roster.isMember(target(`${url}/`, { teamId: undefined }), alex));
    });

    it('a roster answer about someone else does not count', async () => {
      const adapter = createAdapter(loadConfig({ DATA_DIR: '/tmp/unused' }));
      // The connector knows 29:alex with Alex's Entra id; a clicker with that Teams id but another Entra id is refused.
      assert.equal(await new TeamsRoster(adapter, '').isMember(target(`${url}/`), { id: OTHER, name: 'x', teamsId: '29:alex' }), false);
    });

    it('a slow roster refuses within the invoke budget', async () => {
      const slow: TeamRoster = { isMember: () => new Promise((r) => setTimeout(() => r(true), 2000)) };
      const started = Date.now();
      const v = await new RosterPolicy(slow, { timeoutMs: 200 }).check(target(), 'sspm', alex);
      assert.equal(v.allowed, false);
      assert.ok(Date.now() - started < 1500);
    });
  });

  describe('GraphGroupMembership over a loopback Graph', () => {
    let server: Server;
    let url: string;
    const seen: Array<{ auth?: string; user: string; groupIds: string[] }> = [];
    before(async () => {
      const app = express();
      app.use(express.json());
      // POST /v1.0/users/{id}/checkMemberGroups {groupIds} → {value: [ids the user is a transitive member of]}
      app.post('/v1.0/users/:id/checkMemberGroups', (req, res) => {
        const user = String(req.params.id);
        const groupIds: string[] = req.body.groupIds;
        seen.push({ auth: req.headers.authorization, user, groupIds });
        if (groupIds.length > 20) return void res.status(400).json({ error: { code: 'Request_BadRequest' } });
        if (user === 'missing') return void res.status(404).json({ error: { code: 'Request_ResourceNotFound' } });
        if (user === 'throttled') return void res.status(429).json({ error: { code: 'TooManyRequests' } });
        res.json({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)', value: groupIds.filter((g) => g.endsWith('7')) });
      });
      ({ server, url } = await listen(app));
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('sends the bearer token, chunks by 20, returns the groups that contain the user', async () => {
      const g = new GraphGroupMembership({ baseUrl: url, getToken: async () => 'graph-token' });
      const ids = Array.from({ length: 25 }, (_, i) => `11111111-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`);
      const hits = await g.memberOf(USER, ids);
      assert.deepEqual(hits, ids.filter((x) => x.endsWith('7')));
      assert.equal(seen.length, 2);
      assert.equal(seen[0].auth, 'Bearer graph-token');
      assert.equal(seen[0].groupIds.length, 20);
      assert.deepEqual(await g.memberOf('missing', ids.slice(0, 2)), []);
      await assert.rejects(g.memberOf('throttled', ids.slice(0, 2)), /429/);
    });
  });

  describe('composition from configuration', () => {
    const quiet = createLogger('silent');
    it('local mode without ACK_ALLOWED allows everyone; Teams mode asks the roster; ACK_ALLOWED restricts', async () => {
      const local = loadConfig({ DATA_DIR: '/tmp/unused' });
      const adapter = createAdapter(local);
      assert.equal(createAckPolicy({ config: local, adapter, logger: quiet }), allowAll);
      const teams = loadConfig({ DATA_DIR: '/tmp/unused', BOT_ID: '11111111-2222-4333-8444-555555555555', BOT_PASSWORD: 'x', BOT_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
      assert.ok(createAckPolicy({ config: teams, adapter: createAdapter(teams), logger: quiet }) instanceof RosterPolicy);
      const restricted = loadConfig({ DATA_DIR: '/tmp/unused', ACK_ALLOWED: `${USER},connectors:${OTHER}` });
      const p = createAckPolicy({ config: restricted, adapter, logger: quiet, checklist: WEEKLY_CHECKLIST });
      assert.equal((await p.check(target(), 'sspm', alex)).allowed, true);
      assert.equal((await p.check(target(), 'sspm', megan)).allowed, false);
      assert.equal((await p.check(target(), 'connectors', megan)).allowed, true);
    });
  });
});
