import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamError, NotConfiguredError } from '../../src/net/errors';
import { createGraphClientReader } from '../../src/graph/graph-client-reader';
import { ConcurrencyLimiter } from '../../src/net/concurrency-limiter';
import { StaticTokenCredential } from '../../src/net/azure-credential';
import { clients, TOKEN } from './support';

describe('GraphReader on the Graph SDK, against the sample tenant', () => {
  let c: Awaited<ReturnType<typeof clients>>;
  beforeEach(async () => (c = await clients({ tenant: { profilesPageSize: 4 } })));
  afterEach(async () => c.tenant.close());

  it('follows every @odata.nextLink of the control profiles and sends the bearer token on each page', async () => {
    const r = await c.graph.listControlProfiles();
    assert.equal(r.items.length, 26);
    assert.equal(r.pages, 7);
    assert.equal(new Set(r.items.map((p) => p.id)).size, 26);
    const reqs = c.tenant.log.requests;
    assert.equal(reqs.length, 7);
    assert.ok(reqs.every((x) => x.authorization === `Bearer ${TOKEN}`));
    assert.ok(reqs.slice(1).every((x) => x.path.includes('$skiptoken=')));
  });

  it('reads eight days of Secure Score, newest first', async () => {
    const r = await c.graph.listSecureScores(8);
    assert.equal(r.items.length, 8);
    assert.ok(Date.parse(r.items[0]!.createdDateTime) > Date.parse(r.items[7]!.createdDateTime));
    assert.match(c.tenant.log.requests[0]!.path, /\$top=8/);
  });

  it('refuses a nextLink to another origin, so the token never leaves', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ '@odata.nextLink': 'https://evil.example/v1.0/security/secureScoreControlProfiles?$skiptoken=x', value: [] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const reader = createGraphClientReader({ baseUrl: `http://127.0.0.1:${port}`, credential: new StaticTokenCredential('t'), send: c.send, secureScoreConcurrency: new ConcurrencyLimiter(4) });
    const err = await reader.listControlProfiles().catch((e: unknown) => e);
    server.close();
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.code, 'ForeignNextLink');
    assert.equal(hits, 1);
  });

  it('reads the app registration credentials and rejects a non-GUID app id before calling', async () => {
    const r = await c.graph.getApplicationCredentials('3f9d2c71-8b4e-4a6f-b1d2-9e0c5a7f3b18');
    assert.equal(r.value.passwordCredentials.length, 1);
    assert.match(c.tenant.log.requests[0]!.path, /\$select=id,appId,displayName,passwordCredentials,keyCredentials/);
    await assert.rejects(c.graph.getApplicationCredentials("x') or (1=1"), NotConfiguredError);
    assert.equal(c.tenant.log.count('application'), 1);
  });

  it('posts the hunting query and reads schema/results', async () => {
    const r = await c.graph.runHuntingQuery('CloudAppEvents | take 5', 'P7D');
    assert.equal(r.value.results.length, 4);
    assert.ok(r.value.schema.some((s) => s.name === 'LastEvent'));
  });

  it('a malformed answer is an UpstreamError, not a crash', async () => {
    c.tenant.setData({ secureScores: [{ id: 'x' }] });
    const err = await c.graph.listSecureScores(1).catch((e: unknown) => e);
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.code, 'UnexpectedResponse');
  });
});
