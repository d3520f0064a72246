import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSampleTenant, type SampleTenant } from '../../src/sample-tenant/server';
import type { CheckOutcome } from '../../src/domain/outcome';
import { CLOUD_APPS_SCOPE } from '../../src/cloud-apps/cloud-apps-reader';
import { startTokenServer } from './token-server';

const TENANT = '7a1c0b9e-5d3f-4e21-9c8b-2f6a4d1e0b57';
const CLIENT = '3f9d2c71-8b4e-4a6f-b1d2-9e0c5a7f3b18';
const SECRET = 'identity-test-secret-Q7v~2mN';

function runChild(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'child-run-checks.ts')], {
      cwd: path.resolve(__dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('@azure/identity client-secret path, for real, over https', function () {
  this.timeout(60_000);
  let dir: string;
  let tls: { key: Buffer; cert: Buffer };
  let tokens: Awaited<ReturnType<typeof startTokenServer>>;
  let tenant: SampleTenant;
  const accepted: string[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rounds-identity-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    tls = { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
    tokens = await startTokenServer(tls, { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }, (t) => accepted.push(t));
    // The sample tenant accepts only tokens the token server issued (added as they are issued).
    tenant = await startSampleTenant({ tls, acceptBearerTokens: accepted });
  });
  after(async () => {
    await tenant?.close();
    await tokens?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    tenant.reset();
    tokens.issued.length = 0;
  });

  const childEnv = (secret: string) => ({
    NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem'),
    LOG_LEVEL: 'silent',
    HTTP_TIMEOUT_MS: '5000',
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_CLIENT_SECRET: secret,
    AZURE_AUTHORITY_HOST: tokens.origin,
    GRAPH_BASE_URL: tenant.url,
    CLOUD_APPS_BASE_URL: tenant.url,
  });

  it('gets tokens from the https authority and the sample tenant sees "Authorization: Bearer <that token>"', async () => {
    const issuedBefore = tokens.issued.length;
    const r = await runChild(childEnv(SECRET));
    assert.equal(r.code, 0, r.stderr);
    const outcomes = JSON.parse(r.stdout.trim().split('\n').pop()!) as CheckOutcome[];
    const [sspm, connectors] = outcomes;
    assert.equal(sspm!.status, 'warn', sspm!.summary);
    assert.equal(connectors!.status, 'fail', connectors!.summary);
    assert.equal(sspm!.sample, undefined, 'not sample mode: real clients against a tenant URL');

    const issued = tokens.issued.slice(issuedBefore);
    const graphToken = issued.find((t) => t.scope.includes('https://graph.microsoft.com/.default'));
    const casToken = issued.find((t) => t.scope.includes(CLOUD_APPS_SCOPE));
    assert.ok(graphToken, `scopes asked: ${issued.map((t) => t.scope).join(' | ')}`);
    assert.equal(issued.length, 2, 'one token per scope, even with parallel first calls');
    assert.ok(casToken);
    assert.equal(graphToken.clientId, CLIENT);

    const graphReqs = tenant.log.requests.filter((x) => x.path.startsWith('/v1.0/'));
    const casReqs = tenant.log.requests.filter((x) => x.path.startsWith('/api/'));
    assert.ok(graphReqs.length >= 5 && casReqs.length >= 3);
    assert.ok(graphReqs.every((x) => x.authorization === `Bearer ${graphToken.token}`), 'Graph calls carry the Graph token');
    assert.ok(casReqs.every((x) => x.authorization === `Bearer ${casToken.token}`), 'Cloud Apps calls carry the Cloud Apps token');
    assert.ok(tenant.log.requests.every((x) => x.status !== 401));
    // The secret never shows up in what the checks return.
    assert.ok(!r.stdout.includes(SECRET));
  });

  it('a wrong secret is rejected by the authority: an error outcome, and nothing reaches the tenant', async () => {
    const r = await runChild(childEnv('wrong-secret-value'));
    assert.equal(r.code, 0, r.stderr);
    const [sspm] = JSON.parse(r.stdout.trim().split('\n').pop()!) as CheckOutcome[];
    assert.equal(sspm!.status, 'error');
    assert.match(sspm!.summary, /Could not get a token/);
    assert.ok(!sspm!.summary.includes('wrong-secret-value'));
    assert.ok(tokens.rejected.includes(CLIENT));
    assert.equal(tenant.log.count(), 0);
  });
});
