import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object. Secrets must never reach logs
 * (README "Security"); test/security/logs.test.ts proves it.
 */
export const REDACT_PATHS = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.headers.authorization',
  '*.headers.Authorization',
  'headers.cookie',
  'headers["proxy-authorization"]',
  'headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  '*.headers.cookie',
  '*.headers["proxy-authorization"]',
  '*.headers["x-api-key"]',
  'err.request.headers.authorization',
  'err.request.headers.Authorization',
  'err.response.request.headers.authorization',
  'err.config.headers.Authorization',
  'err.config.headers.authorization',
  '*.*.headers.authorization',
  '*.*.authorization',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refresh_token',
  '*.refresh_token',
  'id_token',
  '*.id_token',
  'client_assertion',
  '*.client_assertion',
  'appPassword',
  '*.appPassword',
  'MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
  'access_token',
  '*.access_token',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'BOT_PASSWORD',
  '*.BOT_PASSWORD',
  'JOB_SECRET',
  '*.JOB_SECRET',
  'AZURE_CLIENT_SECRET',
  '*.AZURE_CLIENT_SECRET',
  'CLOUD_APPS_API_TOKEN',
  '*.CLOUD_APPS_API_TOKEN',
  'AZURE_STORAGE_CONNECTION_STRING',
  '*.AZURE_STORAGE_CONNECTION_STRING',
];

/** Scrub anything that looks like a credential from free text (error messages from SDKs can quote headers). */
export function scrubSecrets(text: string): string {
  return text
    .replace(/(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]')
    .replace(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]')
    .replace(/(AccountKey|SharedAccessSignature|sig|client_secret|client_assertion|access_token|refresh_token|password)=([^;&\s]+)/gi, '$1=[redacted]');
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'rounds' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        err: (err: unknown) => {
          const s = pino.stdSerializers.err(err as Error);
          if (!s || typeof s !== 'object') return s;
          // Any string on the error (message, stack, body, details an SDK attached) may quote a header or token.
          for (const [k, v] of Object.entries(s)) if (typeof v === 'string') (s as Record<string, unknown>)[k] = scrubSecrets(v);
          return s;
        },
      },
    },
    destination,
  );
}
