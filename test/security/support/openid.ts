import express from 'express';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/**
 * A stand-in for login.botframework.com on loopback: serves the Bot Framework OpenID metadata document and a JWKS,
 * and signs channel tokens shaped like the ones the Bot Connector sends (iss https://api.botframework.com,
 * aud = the bot's app id, serviceUrl claim, RS256, kid from the key set, endorsements ["msteams"]).
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export class OpenIdServer {
  private server?: Server;
  url = '';
  /** Number of times the metadata / key set were fetched. */
  metadataHits = 0;
  keyHits = 0;
  readonly kid = `test-${randomUUID().slice(0, 8)}`;
  private privateKey!: PrivateKey;
  /** A second key pair whose public half is NOT published: tokens signed with it must be refused. */
  private rogueKey!: PrivateKey;
  private jwk!: JWK;

  async start(): Promise<this> {
    const pair = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    this.privateKey = pair.privateKey;
    this.jwk = { ...(await exportJWK(pair.publicKey)), kid: this.kid, use: 'sig', kty: 'RSA' };
    this.rogueKey = (await generateKeyPair('RS256', { modulusLength: 2048 })).privateKey;
    const app = express();
    app.get('/v1/.well-known/openidconfiguration', (_req, res) => {
      this.metadataHits++;
      res.json({
        issuer: CHANNEL_ISSUER,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${this.url}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    });
    app.get('/v1/.well-known/keys', (_req, res) => {
      this.keyHits++;
      res.json({ keys: [{ ...this.jwk, endorsements: ['msteams'] }] });
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = this.server!.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this;
  }

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /**
   * A channel token. Defaults are a valid token for `aud`/`serviceUrl`; every field can be overridden to make it
   * invalid in one way. Times are seconds relative to now.
   */
  async token(opts: {
    aud: string;
    serviceUrl: string;
    iss?: string;
    kid?: string;
    rogue?: boolean;
    issuedAt?: number;
    notBefore?: number;
    expiresIn?: number;
    extra?: Record<string, unknown>;
    omitServiceUrl?: boolean;
  }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = { ...(opts.omitServiceUrl ? {} : { serviceurl: opts.serviceUrl }), ...opts.extra };
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: opts.kid ?? this.kid })
      .setIssuer(opts.iss ?? CHANNEL_ISSUER)
      .setAudience(opts.aud)
      .setIssuedAt(now + (opts.issuedAt ?? -10))
      .setNotBefore(now + (opts.notBefore ?? -10))
      .setExpirationTime(now + (opts.expiresIn ?? 3600));
    return jwt.sign(opts.rogue ? this.rogueKey : this.privateKey);
  }

  /** An unsigned token (`alg: none`) with otherwise valid claims and the published key id. */
  unsignedToken(opts: { aud: string; serviceUrl: string }): string {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${b64({ alg: 'none', typ: 'JWT', kid: this.kid })}.${b64({
      iss: CHANNEL_ISSUER,
      aud: opts.aud,
      serviceurl: opts.serviceUrl,
      iat: now - 10,
      nbf: now - 10,
      exp: now + 3600,
    })}.`;
  }

  /** A valid token whose payload was altered after signing (one extra claim): the signature no longer matches. */
  async tamperedToken(opts: { aud: string; serviceUrl: string }): Promise<string> {
    const [h, p, s] = (await this.token(opts)).split('.');
    const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'admin' };
    return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
