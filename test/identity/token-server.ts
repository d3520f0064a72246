import https from 'node:https';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface IssuedToken {
  token: string;
  clientId: string;
  scope: string;
}

/**
 * A minimal Entra ID v2 endpoint over https for @azure/identity's ClientSecretCredential (MSAL Node): the
 * authority's OpenID metadata and the client-credentials token grant (cloud-apps-apis.md §6, token endpoint).
 */
export async function startTokenServer(
  tls: { key: Buffer; cert: Buffer },
  expected: { tenantId: string; clientId: string; clientSecret: string },
  onIssue: (token: string) => void = () => {},
) {
  const issued: IssuedToken[] = [];
  const rejected: string[] = [];
  let origin = '';
  const server = https.createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const t = expected.tenantId;
    if (req.method === 'GET' && url.pathname === `/${t}/v2.0/.well-known/openid-configuration`) {
      return json(200, {
        token_endpoint: `${origin}/${t}/oauth2/v2.0/token`,
        authorization_endpoint: `${origin}/${t}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${origin}/${t}/oauth2/v2.0/logout`,
        device_authorization_endpoint: `${origin}/${t}/oauth2/v2.0/devicecode`,
        jwks_uri: `${origin}/${t}/discovery/v2.0/keys`,
        issuer: `${origin}/${t}/v2.0`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      });
    }
    if (req.method === 'POST' && url.pathname === `/${t}/oauth2/v2.0/token`) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== expected.clientId || form.get('client_secret') !== expected.clientSecret) {
          rejected.push(form.get('client_id') ?? '');
          return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
        }
        const token = `tok-${randomBytes(16).toString('hex')}`;
        issued.push({ token, clientId: form.get('client_id')!, scope: form.get('scope') ?? '' });
        onIssue(token);
        return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
      });
      return;
    }
    json(404, { error: 'not_found', path: url.pathname });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, issued, rejected, close: () => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())) };
}
