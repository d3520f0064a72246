import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import type { Config } from '../config';
import { AuthError } from './errors';

export type CredentialKind = 'client-secret' | 'client-certificate' | 'managed-identity' | 'sample';

export interface AzureCredential {
  kind: CredentialKind;
  credential: TokenCredential;
}

/** The variables a person sets to give Rounds an identity; named in every "not configured" outcome. */
export const AZURE_IDENTITY_VARIABLES = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH'];

/**
 * The Azure SDK's usual names (https://learn.microsoft.com/javascript/api/overview/azure/identity-readme#environment-variables):
 * a client secret, else a certificate, else a managed identity (AZURE_CLIENT_ID selects a user-assigned one).
 * Returns undefined when nothing at all is set: with no hint of an identity the bot does not probe the managed-identity
 * endpoint on every check (it only exists on Azure hosts and times out elsewhere); it reports what to set instead.
 * Config has already rejected half-configured secrets/certificates (config.ts superRefine).
 */
export function createAzureCredential(config: Config): AzureCredential | undefined {
  const options = {
    authorityHost: config.AZURE_AUTHORITY_HOST,
    // Instance discovery asks login.microsoftonline.com whether the authority is known; a sovereign-cloud or test
    // authority set explicitly has to skip it (https://learn.microsoft.com/javascript/api/@azure/identity/clientsecretcredentialoptions#@azure-identity-clientsecretcredentialoptions-disableinstancediscovery).
    disableInstanceDiscovery: config.AZURE_AUTHORITY_HOST ? true : undefined,
  };
  if (config.AZURE_CLIENT_SECRET && config.AZURE_TENANT_ID && config.AZURE_CLIENT_ID) {
    return {
      kind: 'client-secret',
      credential: new ClientSecretCredential(config.AZURE_TENANT_ID, config.AZURE_CLIENT_ID, config.AZURE_CLIENT_SECRET, options),
    };
  }
  if (config.AZURE_CLIENT_CERTIFICATE_PATH && config.AZURE_TENANT_ID && config.AZURE_CLIENT_ID) {
    return {
      kind: 'client-certificate',
      credential: new ClientCertificateCredential(
        config.AZURE_TENANT_ID,
        config.AZURE_CLIENT_ID,
        { certificatePath: config.AZURE_CLIENT_CERTIFICATE_PATH },
        options,
      ),
    };
  }
  if (config.AZURE_TENANT_ID || config.AZURE_CLIENT_ID) {
    return {
      kind: 'managed-identity',
      credential: config.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID }) : new ManagedIdentityCredential(),
    };
  }
  return undefined;
}

/** A fixed token for the built-in sample tenant, which accepts any bearer token. Never used against a real tenant. */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}
  async getToken(): Promise<AccessToken> {
    return { token: this.token, expiresOnTimestamp: Date.now() + 3600_000 };
  }
}

/**
 * Bounds token acquisition by the HTTP timeout and turns identity failures into AuthError naming the variables.
 * Without it a managed-identity probe or an unreachable authority would hang a check well past Teams' patience.
 */
export class BoundedCredential implements TokenCredential {
  /** The most recent failure; the Graph SDK re-wraps errors from the auth step, so the reader recovers the type here. */
  lastFailure?: AuthError;
  /** One token request per scope at a time: parallel checks starting together would otherwise each ask the authority. */
  private readonly inflight = new Map<string, Promise<AccessToken>>();
  constructor(
    private readonly inner: TokenCredential,
    private readonly api: string,
    private readonly timeoutMs: number,
    private readonly variables: string[],
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
    const pending = this.inflight.get(scope);
    if (pending) return pending;
    const p = this.fetchToken(scopes, scope, options).finally(() => this.inflight.delete(scope));
    this.inflight.set(scope, p);
    return p;
  }

  private async fetchToken(scopes: string | string[], scope: string, options?: GetTokenOptions): Promise<AccessToken> {
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        reject(new Error(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      const token = await Promise.race([this.inner.getToken(scopes, { ...options, abortSignal: ac.signal }), timeout]);
      if (!token) throw new Error('the credential returned no token');
      this.lastFailure = undefined;
      return token;
    } catch (e) {
      this.lastFailure = new AuthError(this.api, scope, e, this.variables);
      throw this.lastFailure;
    } finally {
      clearTimeout(timer);
    }
  }
}
