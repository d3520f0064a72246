/**
 * `npm run package` — builds the Teams app package from appPackage/manifest.json (a template with
 * `${{NAME}}` placeholders, the Microsoft 365 Agents Toolkit convention) and the two icons:
 *
 *   appPackage/build/manifest.json    the manifest with every placeholder substituted
 *   appPackage/build/appPackage.zip   manifest.json, color.png, outline.png at the zip root (upload this to Teams)
 *
 * Values come from the process environment first, then env/.env.<ENV>.user, then env/.env.<ENV>
 * (ENV defaults to "local"; `--env dev` also works). BOT_ID is required and must be a GUID. TEAMS_APP_ID defaults
 * to a GUID derived from BOT_ID (stable, so re-packaging updates the same Teams app instead of adding a new one).
 * The built manifest is validated against the schema bundled in @microsoft/app-manifest before anything is written.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ManifestUtil } from '@microsoft/app-manifest';
import { createZip } from './lib/zip';
import { EnvValues, envFilePaths, readEnvFiles } from './lib/env-file';

const ROOT = path.resolve(__dirname, '..');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** Namespace for TEAMS_APP_ID derivation (a fixed random UUID; changing it would change every derived app id). */
const TEAMS_APP_ID_NAMESPACE = '6f1d8a52-3c0b-4e57-9a6e-2d4b7c9e1f30';
/** Required icon sizes (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package). */
const ICON_SIZES = { color: 192, outline: 32 } as const;

export class PackageError extends Error {
  override name = 'PackageError';
}

export interface PackageOptions {
  /** Values that win over the env files; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Which env/.env.<name> files to read; defaults to env.ENV, then "local". */
  envName?: string;
  /** Set false to ignore env files entirely (tests). */
  readEnvFiles?: boolean;
  envDir?: string;
  /** Folder holding manifest.json and the icons. */
  appPackageDir?: string;
  /** Where manifest.json and appPackage.zip are written. */
  outDir?: string;
}

export interface PackageResult {
  manifest: Record<string, unknown>;
  manifestPath: string;
  zipPath: string;
  /** Env files that were read, for the log line. */
  envFiles: string[];
}

/** RFC 4122 §4.3 name-based UUID (version 5, SHA-1). */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = crypto.createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function defaultTeamsAppId(botId: string): string {
  return uuidV5(`rounds-teams-app:${botId.toLowerCase()}`, TEAMS_APP_ID_NAMESPACE);
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

/** Resolves the values the manifest template needs, applying defaults and refusing bad ids. */
export function resolveValues(merged: EnvValues, envName: string): EnvValues {
  const where = `env/.env.${envName} (or env/.env.${envName}.user), or the environment`;
  const botId = merged.BOT_ID?.trim();
  if (!botId) {
    throw new PackageError(
      `BOT_ID is not set. The app package needs the bot's Microsoft App ID (the Entra app client id, a GUID).\n` +
        `Set it in ${where}, e.g. BOT_ID=00000000-0000-0000-0000-000000000000 npm run package\n` +
        `(the Agents Toolkit's provision step writes it for you).`,
    );
  }
  if (!GUID.test(botId)) {
    throw new PackageError(`BOT_ID="${botId}" is not a GUID. It must be the bot's Microsoft App ID, e.g. 00000000-0000-0000-0000-000000000000.`);
  }
  const teamsAppId = merged.TEAMS_APP_ID?.trim() || defaultTeamsAppId(botId);
  if (!GUID.test(teamsAppId)) {
    throw new PackageError(`TEAMS_APP_ID="${teamsAppId}" is not a GUID. Leave it empty to derive one from BOT_ID.`);
  }
  return {
    ...merged,
    BOT_ID: botId,
    TEAMS_APP_ID: teamsAppId,
    APP_NAME_SUFFIX: merged.APP_NAME_SUFFIX ?? '',
    BOT_DOMAIN: merged.BOT_DOMAIN?.trim() || hostOf(merged.BOT_ENDPOINT) || hostOf(merged.PUBLIC_BASE_URL) || '',
  };
}

/** Replaces `${{NAME}}` in every string of the template; a placeholder without a value is an error. */
export function substitute(template: unknown, values: EnvValues): unknown {
  const missing = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(PLACEHOLDER, (_m, name: string) => {
        const value = values[name];
        if (value === undefined) missing.add(name);
        return value ?? '';
      });
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(template);
  if (missing.size > 0) {
    throw new PackageError(`appPackage/manifest.json uses ${[...missing].map((n) => `\${{${n}}}`).join(', ')} but no value is set for ${[...missing].join(', ')}.`);
  }
  return out;
}

function pngSize(buf: Buffer): { width: number; height: number } | undefined {
  // PNG signature, then the IHDR chunk: width and height are the first two big-endian uint32 of its data.
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(sig) || buf.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** The Teams manifest JSON schema bundled in @microsoft/app-manifest for this manifestVersion (offline). */
export function bundledSchemaPath(manifestVersion: string): string {
  const base = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');
  return path.join(base, `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
}

export async function validateAgainstBundledSchema(manifest: Record<string, unknown>): Promise<string[]> {
  const version = String(manifest.manifestVersion ?? '');
  const schemaPath = bundledSchemaPath(version);
  if (!fs.existsSync(schemaPath)) return [`manifestVersion "${version}" has no schema bundled in @microsoft/app-manifest (${schemaPath})`];
  const schema: unknown = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  // The typings want JSONSchemaType<T> of the exact manifest type; the JSON file is that schema, untyped.
  const validate = ManifestUtil.validateManifestAgainstSchema as (m: unknown, s: unknown) => Promise<string[]>;
  return validate.call(ManifestUtil, manifest, schema);
}

export async function buildAppPackage(options: PackageOptions = {}): Promise<PackageResult> {
  const env = options.env ?? process.env;
  const envName = options.envName ?? (env.ENV?.trim() || 'local');
  const envDir = options.envDir ?? path.join(ROOT, 'env');
  const appPackageDir = options.appPackageDir ?? path.join(ROOT, 'appPackage');
  const outDir = options.outDir ?? path.join(appPackageDir, 'build');

  const fromFiles = options.readEnvFiles === false ? { values: {}, files: [] } : readEnvFiles(envDir, envName);
  const explicit = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const values = resolveValues({ ...fromFiles.values, ...explicit }, envName);

  const templatePath = path.join(appPackageDir, 'manifest.json');
  const template: unknown = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
  const manifest = substitute(template, values) as Record<string, unknown>;
  if (Array.isArray(manifest.validDomains)) {
    // An unset BOT_DOMAIN leaves an empty entry, which Teams rejects; no domain is fine for a bot-only app.
    manifest.validDomains = manifest.validDomains.filter((d) => typeof d === 'string' && d.trim() !== '');
  }

  const errors = await validateAgainstBundledSchema(manifest);
  if (errors.length > 0) {
    throw new PackageError(`The built manifest does not match the Teams manifest schema v${String(manifest.manifestVersion)}:\n  ${errors.join('\n  ')}`);
  }

  const icons = (manifest.icons ?? {}) as Record<string, string>;
  const files: { name: string; data: Buffer }[] = [];
  for (const kind of ['color', 'outline'] as const) {
    const rel = icons[kind];
    const file = path.join(appPackageDir, rel);
    if (!fs.existsSync(file)) throw new PackageError(`icons.${kind} is "${rel}" but ${file} does not exist (run: npx tsx scripts/make-icons.ts)`);
    const data = fs.readFileSync(file);
    const size = pngSize(data);
    const want = ICON_SIZES[kind];
    if (!size || size.width !== want || size.height !== want) {
      throw new PackageError(`${rel} must be a ${want}x${want} PNG, found ${size ? `${size.width}x${size.height}` : 'not a PNG'}`);
    }
    // Teams resolves icon paths relative to the package root; keep the file name the manifest uses.
    files.push({ name: rel.replace(/^\.\//, ''), data });
  }

  const manifestJson = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  fs.mkdirSync(outDir, { recursive: true });
  const manifestPath = path.join(outDir, 'manifest.json');
  const zipPath = path.join(outDir, 'appPackage.zip');
  fs.writeFileSync(manifestPath, manifestJson);
  fs.writeFileSync(zipPath, createZip([{ name: 'manifest.json', data: manifestJson }, ...files]));
  return { manifest, manifestPath, zipPath, envFiles: fromFiles.files };
}

function parseArgs(argv: string[]): { envName?: string } {
  const i = argv.findIndex((a) => a === '--env' || a.startsWith('--env='));
  if (i < 0) return {};
  const value = argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
  if (!value) throw new PackageError('--env needs a name, e.g. --env dev');
  return { envName: value };
}

async function main(): Promise<void> {
  const { envName } = parseArgs(process.argv.slice(2));
  const result = await buildAppPackage({ envName });
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  const read = result.envFiles.length ? result.envFiles.map(rel).join(', ') : `none found (${envFilePaths('env', envName ?? (process.env.ENV || 'local')).join(', ')})`;
  const bot = (result.manifest.bots as { botId: string }[] | undefined)?.[0]?.botId;
  console.log(`env files: ${read}`);
  console.log(`app id ${String(result.manifest.id)}, bot id ${bot}, manifest v${String(result.manifest.manifestVersion)}`);
  console.log(`wrote ${rel(result.manifestPath)}`);
  console.log(`wrote ${rel(result.zipPath)} (upload it in Teams: Apps > Manage your apps > Upload an app)`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    if (err instanceof PackageError) {
      console.error(`npm run package: ${err.message}`);
    } else {
      console.error(err);
    }
    process.exitCode = 1;
  });
}
