import { z } from 'zod';
import path from 'node:path';
import { Cron } from 'croner';
import { isValidTimeZone } from './domain/period';

/**
 * The only reader of process.env. Parsed once at start-up; a bad value stops the process with one message that
 * lists every problem and how to fix it. Names follow the runtime contract in README "Configuration".
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const str = () => z.preprocess(emptyToUndefined, z.string().trim().optional());
const bool = (dflt: boolean) =>
  z.preprocess(
    (v) => (emptyToUndefined(v) === undefined ? dflt : String(v).toLowerCase()),
    z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) =>
      typeof v === 'boolean' ? v : ['true', '1', 'yes'].includes(v),
    ),
  );
const int = (dflt: number, min: number, max: number, hint: string) =>
  z.preprocess(
    (v) => (emptyToUndefined(v) === undefined ? dflt : Number(v)),
    z
      .number({ invalid_type_error: hint })
      .int(hint)
      .min(min, hint)
      .max(max, hint),
  );
const timeZone = (name: string) =>
  z.preprocess(
    (v) => emptyToUndefined(v) ?? 'UTC',
    z.string().refine(isValidTimeZone, {
      message: `${name} must be an IANA time zone such as "UTC" or "Europe/Berlin"`,
    }),
  );
const cron = (name: string, dflt: string) =>
  z.preprocess(
    (v) => emptyToUndefined(v) ?? dflt,
    z.string().refine(
      (s) => {
        try {
          new Cron(s, { paused: true });
          return true;
        } catch {
          return false;
        }
      },
      { message: `${name} must be a cron expression (croner syntax), e.g. "${dflt}"` },
    ),
  );
const url = (name: string, example: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url({ message: `${name} must be an absolute URL such as ${example}` })
      .transform((s) => s.replace(/\/+$/, ''))
      .optional(),
  );
const list = () =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(/[,;]/)
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    z.array(z.string()),
  );
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const schema = z
  .object({
    PORT: int(3978, 0, 65535, 'PORT must be a whole number 0-65535 (0 picks a free port)'),
    HOST: str(),
    BOT_ID: str(),
    BOT_PASSWORD: str(),
    BOT_TENANT_ID: str(),
    BOT_TYPE: z.preprocess(
      (v) => emptyToUndefined(v) ?? 'SingleTenant',
      z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMsi'], {
        errorMap: () => ({ message: 'BOT_TYPE must be SingleTenant, MultiTenant or UserAssignedMsi' }),
      }),
    ),
    /** For tests of channel authentication: where the Bot Framework OpenID metadata is read. */
    BOT_OPENID_METADATA_URL: url('BOT_OPENID_METADATA_URL', 'https://login.botframework.com/v1/.well-known/openidconfiguration'),
    DATA_DIR: z.preprocess((v) => emptyToUndefined(v) ?? './data', z.string()),
    CHECKLIST_TIMEZONE: timeZone('CHECKLIST_TIMEZONE'),
    CHECKLIST_SCHEDULE: cron('CHECKLIST_SCHEDULE', '0 9 * * 1'),
    REMINDER_SCHEDULE: cron('REMINDER_SCHEDULE', '0 9 * * 4'),
    SCHEDULER_ENABLED: bool(true),
    SCHEDULER_HEARTBEAT_MS: int(60000, 200, 3600000, 'SCHEDULER_HEARTBEAT_MS must be a whole number of milliseconds 200-3600000'),
    EXPORT_LINK_TTL_MINUTES: int(15, 1, 1440, 'EXPORT_LINK_TTL_MINUTES must be a whole number of minutes 1-1440'),
    LOG_LEVEL: z.preprocess(
      (v) => emptyToUndefined(v) ?? 'info',
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        errorMap: () => ({ message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' }),
      }),
    ),
    PUBLIC_BASE_URL: url('PUBLIC_BASE_URL', 'https://rounds.contoso.com'),
    JOB_SECRET: z.preprocess(
      emptyToUndefined,
      z.string().min(16, 'JOB_SECRET must be at least 16 characters (use `openssl rand -hex 32`)').optional(),
    ),
    TEAMS_REQUESTS_PER_SECOND: int(30, 1, 1000, 'TEAMS_REQUESTS_PER_SECOND must be a whole number 1-1000'),
    FANOUT_CONCURRENCY: int(32, 1, 256, 'FANOUT_CONCURRENCY must be a whole number 1-256'),
    CARD_UPDATE_DELAY_MS: int(1000, 0, 60000, 'CARD_UPDATE_DELAY_MS must be a whole number of milliseconds 0-60000'),
    MAX_BODY_BYTES: int(262144, 1024, 10485760, 'MAX_BODY_BYTES must be a whole number 1024-10485760'),
    ALLOWED_TENANT_IDS: list(),
    ACK_ALLOWED: list(),

    STORE: z.preprocess(
      (v) => emptyToUndefined(v) ?? 'sqlite',
      z.enum(['sqlite', 'azure-table'], { errorMap: () => ({ message: 'STORE must be sqlite or azure-table' }) }),
    ),
    AZURE_STORAGE_CONNECTION_STRING: str(),
    AZURE_TABLES_URL: url('AZURE_TABLES_URL', 'https://<account>.table.core.windows.net'),
    AZURE_TABLE_PREFIX: z.preprocess(
      (v) => emptyToUndefined(v) ?? 'rounds',
      z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/, 'AZURE_TABLE_PREFIX must be letters and digits, starting with a letter'),
    ),

    SAMPLE_TENANT: bool(false),
    AZURE_TENANT_ID: str(),
    AZURE_CLIENT_ID: str(),
    AZURE_CLIENT_SECRET: str(),
    AZURE_CLIENT_CERTIFICATE_PATH: str(),
    AZURE_AUTHORITY_HOST: url('AZURE_AUTHORITY_HOST', 'https://login.microsoftonline.com'),
    GRAPH_BASE_URL: z.preprocess(
      (v) => emptyToUndefined(v) ?? 'https://graph.microsoft.com',
      z.string().url('GRAPH_BASE_URL must be an absolute URL such as https://graph.microsoft.com').transform((s) => s.replace(/\/+$/, '')),
    ),
    CLOUD_APPS_BASE_URL: url('CLOUD_APPS_BASE_URL', 'https://contoso.eu2.portal.cloudappsecurity.com'),
    CLOUD_APPS_API_TOKEN: str(),
    CLOUD_APPS_CALLS_PER_MINUTE: int(30, 1, 600, 'CLOUD_APPS_CALLS_PER_MINUTE must be a whole number 1-600'),
    HTTP_TIMEOUT_MS: int(30000, 100, 300000, 'HTTP_TIMEOUT_MS must be a whole number of milliseconds 100-300000'),
    CLOUD_APPS_TIMEOUT_MS: int(75000, 100, 300000, 'CLOUD_APPS_TIMEOUT_MS must be a whole number of milliseconds 100-300000'),
    MESSAGE_CENTER_SERVICES: list(),
    MESSAGE_CENTER_TITLE_FILTER: str(),
    EXPECTED_APP_CONNECTORS: list(),
    POST_LEASE_MS: int(120000, 1000, 3600000, 'POST_LEASE_MS must be a whole number of milliseconds 1000-3600000'),
    CHECK_INLINE_WAIT_MS: int(3000, 0, 10000, 'CHECK_INLINE_WAIT_MS must be a whole number of milliseconds 0-10000'),
  })
  .superRefine((c, ctx) => {
    const local = !c.BOT_ID;
    if (local && c.HOST && !LOOPBACK_HOSTS.has(c.HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message: `HOST=${c.HOST} is not a loopback address, but BOT_ID is empty (local mode, no authentication). Set HOST=127.0.0.1, or set BOT_ID/BOT_PASSWORD to run authenticated`,
      });
    }
    if (c.BOT_ID && !GUID.test(c.BOT_ID)) {
      ctx.addIssue({ code: 'custom', path: ['BOT_ID'], message: 'BOT_ID must be the bot\'s Microsoft App ID (a GUID)' });
    }
    if (c.BOT_ID && c.BOT_TYPE !== 'UserAssignedMsi' && !c.BOT_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_PASSWORD'],
        message: `BOT_PASSWORD is required when BOT_ID is set and BOT_TYPE=${c.BOT_TYPE} (the client secret of the bot's app registration)`,
      });
    }
    if (c.BOT_ID && c.BOT_TYPE !== 'MultiTenant' && !c.BOT_TENANT_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_TENANT_ID'],
        message: `BOT_TENANT_ID is required for BOT_TYPE=${c.BOT_TYPE} (the Entra tenant id of the bot's app registration)`,
      });
    }
    if (c.STORE === 'azure-table' && !c.AZURE_STORAGE_CONNECTION_STRING && !c.AZURE_TABLES_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['STORE'],
        message: 'STORE=azure-table needs AZURE_STORAGE_CONNECTION_STRING, or AZURE_TABLES_URL with a managed identity or AZURE_* credential',
      });
    }
    if (c.AZURE_CLIENT_SECRET && c.AZURE_CLIENT_CERTIFICATE_PATH) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_CLIENT_SECRET'],
        message: 'Set only one of AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH',
      });
    }
    if ((c.AZURE_CLIENT_SECRET || c.AZURE_CLIENT_CERTIFICATE_PATH) && (!c.AZURE_TENANT_ID || !c.AZURE_CLIENT_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_CLIENT_ID'],
        message: 'AZURE_TENANT_ID and AZURE_CLIENT_ID are required with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH',
      });
    }
    for (const id of c.ALLOWED_TENANT_IDS) {
      if (!GUID.test(id)) {
        ctx.addIssue({ code: 'custom', path: ['ALLOWED_TENANT_IDS'], message: `ALLOWED_TENANT_IDS: "${id}" is not a tenant id (GUID)` });
      }
    }
    for (const entry of c.ACK_ALLOWED) {
      const id = entry.includes(':') ? entry.slice(entry.indexOf(':') + 1) : entry;
      if (!GUID.test(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ACK_ALLOWED'],
          message: `ACK_ALLOWED: "${entry}" must be an Entra user or group object id, optionally prefixed with an item id ("connectors:<guid>")`,
        });
      }
    }
  });

export type RawConfig = z.infer<typeof schema>;

export interface Config extends RawConfig {
  /** True when BOT_ID is empty: no JWT validation, loopback only (Emulator / Agents Playground). */
  localMode: boolean;
  host: string;
  dataDir: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Rounds cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Parse an environment (default process.env). Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const name = i.path.join('.') || 'config';
      return i.message.startsWith(name) ? i.message : `${name}: ${i.message}`;
    });
    throw new ConfigError(problems);
  }
  const c = result.data;
  const localMode = !c.BOT_ID;
  return {
    ...c,
    localMode,
    host: c.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    dataDir: path.resolve(c.DATA_DIR),
  };
}
