import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { PNG } from 'pngjs';
import YAML from 'yaml';
import { ManifestUtil } from '@microsoft/app-manifest';
import { buildAppPackage, defaultTeamsAppId, PackageError } from '../scripts/package-app';
import { createZip } from '../scripts/lib/zip';
import { drawColorIcon, drawOutlineIcon } from '../scripts/make-icons';

const ROOT = path.resolve(__dirname, '..');
const BOT_ID = '3f2b8c1d-7e4a-4b6f-9d2c-1a5e8f0b7c33';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The commands README and `help` promise; every one must be in the Teams command menu of at least one scope. */
const COMMANDS = [
  'help',
  'post checklist',
  'status',
  'check connectors',
  'check secure score',
  'check message center',
  'check governance',
  'check all',
  'subscribe',
  'unsubscribe',
  'subscriptions',
  'history',
  'export',
  'set timezone',
];

interface ZipRecord {
  name: string;
  data: Buffer;
  method: number;
}

/**
 * An independent ZIP reader (not the writer's code): walks the central directory from the end record, checks each
 * local header agrees with it, inflates, and verifies the CRC with zlib.crc32 rather than the writer's table.
 */
function readZip(buf: Buffer): ZipRecord[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'no end of central directory record');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  let p = buf.readUInt32LE(eocd + 16);
  assert.equal(p + cdSize, eocd, 'central directory must end where the end record starts');
  const out: ZipRecord[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, `central header ${n} signature`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;

    assert.equal(buf.readUInt32LE(localOffset), 0x04034b50, `${name}: local header signature`);
    assert.equal(buf.readUInt16LE(localOffset + 8), method, `${name}: local method matches central`);
    assert.equal(buf.readUInt32LE(localOffset + 14), crc, `${name}: local CRC matches central`);
    const localName = buf.toString('utf8', localOffset + 30, localOffset + 30 + buf.readUInt16LE(localOffset + 26));
    assert.equal(localName, name, 'local name matches central');
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const raw = buf.subarray(start, start + csize);
    assert.ok(method === 0 || method === 8, `${name}: method ${method} is store or deflate`);
    const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    assert.equal(data.length, usize, `${name}: uncompressed size`);
    assert.equal(zlib.crc32(data), crc, `${name}: CRC-32`);
    out.push({ name, data, method });
  }
  return out;
}

async function validateWithBundledSchema(manifest: Record<string, unknown>): Promise<string[]> {
  const schemaPath = path.join(
    path.dirname(require.resolve('@microsoft/app-manifest')),
    'json-schemas',
    'teams',
    `v${String(manifest.manifestVersion)}`,
    'MicrosoftTeams.schema.json',
  );
  assert.ok(fs.existsSync(schemaPath), `schema for manifestVersion ${String(manifest.manifestVersion)} is bundled`);
  const schema: unknown = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  const validate = ManifestUtil.validateManifestAgainstSchema as (m: unknown, s: unknown) => Promise<string[]>;
  return validate.call(ManifestUtil, manifest, schema);
}

/** Newest Teams manifest schema bundled in @microsoft/app-manifest, e.g. "1.30". */
function newestBundledVersion(): string {
  const dir = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');
  const versions = fs
    .readdirSync(dir)
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1).split('.').map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [major, minor] = versions[versions.length - 1];
  return `${major}.${minor}`;
}

type Bot = { botId: string; scopes: string[]; supportsFiles?: boolean; isNotificationOnly?: boolean; commandLists: { scopes: string[]; commands: { title: string; description?: string }[] }[] };

describe('Teams app package (npm run package)', () => {
  let tmp: string;
  let built: Awaited<ReturnType<typeof buildAppPackage>>;
  let entries: ZipRecord[];

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-app-package-'));
    built = await buildAppPackage({ env: { BOT_ID }, readEnvFiles: false, outDir: tmp });
    entries = readZip(fs.readFileSync(built.zipPath));
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('zips exactly manifest.json, color.png and outline.png at the root', () => {
    assert.equal(built.zipPath, path.join(tmp, 'appPackage.zip'));
    assert.deepEqual(entries.map((e) => e.name).sort(), ['color.png', 'manifest.json', 'outline.png']);
  });

  it('writes the same substituted manifest next to the zip, with no placeholder left', () => {
    const inZip = entries.find((e) => e.name === 'manifest.json')!.data.toString('utf8');
    assert.equal(fs.readFileSync(built.manifestPath, 'utf8'), inZip);
    assert.doesNotMatch(inZip, /\$\{\{/);
    assert.deepEqual(JSON.parse(inZip), built.manifest);
  });

  it('validates against the newest Teams manifest schema bundled in @microsoft/app-manifest', async () => {
    const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString('utf8'));
    assert.equal(manifest.manifestVersion, newestBundledVersion());
    assert.equal(manifest.$schema, `https://developer.microsoft.com/en-us/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    assert.deepEqual(await validateWithBundledSchema(manifest), []);
  });

  it('the schema check can fail: a broken manifest is reported', async () => {
    const broken = structuredClone(built.manifest) as Record<string, unknown> & { bots: Bot[] };
    broken.bots[0].botId = 'not-a-guid';
    broken.bots[0].commandLists[0].commands = Array.from({ length: 13 }, (_, i) => ({ title: `c${i}` }));
    delete (broken as Record<string, unknown>).accentColor;
    const errors = await validateWithBundledSchema(broken);
    assert.ok(errors.some((e) => e.includes('/bots/0/botId')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('/bots/0/commandLists/0/commands')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('accentColor')), errors.join('\n'));
  });

  it('puts the bot id in, and derives a stable Teams app id from it', () => {
    const bot = (built.manifest.bots as Bot[])[0];
    assert.equal(bot.botId, BOT_ID);
    assert.equal(built.manifest.id, defaultTeamsAppId(BOT_ID));
    assert.match(String(built.manifest.id), GUID);
    assert.notEqual(built.manifest.id, BOT_ID);
    assert.equal(defaultTeamsAppId(BOT_ID.toUpperCase()), defaultTeamsAppId(BOT_ID), 'case of BOT_ID does not matter');
    assert.notEqual(defaultTeamsAppId('3f2b8c1d-7e4a-4b6f-9d2c-1a5e8f0b7c34'), defaultTeamsAppId(BOT_ID));
  });

  it('offers the bot in team, group chat and personal scope, as a conversational bot without files', () => {
    const bots = built.manifest.bots as Bot[];
    assert.equal(bots.length, 1);
    assert.deepEqual([...bots[0].scopes].sort(), ['groupChat', 'personal', 'team']);
    assert.equal(bots[0].supportsFiles, false);
    assert.equal(bots[0].isNotificationOnly, false);
  });

  it('lists every command with a description, one command list per scope', () => {
    const { commandLists } = (built.manifest.bots as Bot[])[0];
    for (const scope of ['team', 'groupChat', 'personal']) {
      const lists = commandLists.filter((l) => l.scopes.includes(scope));
      assert.equal(lists.length, 1, `one command list for ${scope}`);
      assert.ok(lists[0].commands.some((c) => c.title === 'help'), `help is offered in ${scope}`);
    }
    const titles = new Set(commandLists.flatMap((l) => l.commands.map((c) => c.title)));
    for (const command of COMMANDS) assert.ok(titles.has(command), `"${command}" is in a command list`);
    for (const title of titles) assert.ok(COMMANDS.includes(title), `"${title}" is a known command`);
    for (const c of commandLists.flatMap((l) => l.commands)) {
      assert.ok((c.description ?? '').length >= 15, `"${c.title}" has a real description`);
    }
    // In a channel, people start with these; they must not be the ones left out of the 12-command menu.
    const team = commandLists.find((l) => l.scopes.includes('team'))!.commands.map((c) => c.title);
    for (const c of ['post checklist', 'status', 'check all', 'subscribe', 'unsubscribe']) assert.ok(team.includes(c), `${c} in team menu`);
  });

  it('carries the icons unchanged: color 192x192 opaque full colour, outline 32x32 white on transparent', () => {
    const color = PNG.sync.read(entries.find((e) => e.name === 'color.png')!.data);
    assert.equal(color.width, 192);
    assert.equal(color.height, 192);
    const colours = new Set<number>();
    for (let i = 0; i < color.data.length; i += 4) {
      assert.equal(color.data[i + 3], 255, 'color icon is opaque');
      colours.add(color.data.readUInt32BE(i));
    }
    assert.ok(colours.size > 2, 'color icon has more than two colours');

    const outline = PNG.sync.read(entries.find((e) => e.name === 'outline.png')!.data);
    assert.equal(outline.width, 32);
    assert.equal(outline.height, 32);
    let transparent = 0;
    let solid = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) transparent++;
      else {
        solid++;
        assert.deepEqual([r, g, b], [255, 255, 255], `outline pixel ${i / 4} is white`);
      }
    }
    assert.ok(transparent > 32 * 32 * 0.4, `outline is mostly transparent (${transparent} px)`);
    assert.ok(solid > 32 * 32 * 0.1, `outline has a visible mark (${solid} px)`);

    for (const name of ['color.png', 'outline.png']) {
      assert.ok(entries.find((e) => e.name === name)!.data.equals(fs.readFileSync(path.join(ROOT, 'appPackage', name))), `${name} is the committed file`);
    }
  });

  it('the committed icons are what scripts/make-icons.ts draws', () => {
    const committed = (name: string) => PNG.sync.read(fs.readFileSync(path.join(ROOT, 'appPackage', name))).data;
    assert.ok(committed('color.png').equals(drawColorIcon().data), 'rerun: npx tsx scripts/make-icons.ts');
    assert.ok(committed('outline.png').equals(drawOutlineIcon().data), 'rerun: npx tsx scripts/make-icons.ts');
  });

  it('accentColor matches the icon background', () => {
    const color = PNG.sync.read(fs.readFileSync(path.join(ROOT, 'appPackage', 'color.png')));
    const hex = `#${color.data.subarray(0, 3).toString('hex')}`.toUpperCase();
    assert.equal(String(built.manifest.accentColor).toUpperCase(), hex);
  });
});

describe('package values and refusals', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-app-package-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads env/.env.<ENV> then .user, and the process environment wins over both', async () => {
    const envDir = path.join(tmp, 'env');
    fs.mkdirSync(envDir);
    fs.writeFileSync(path.join(envDir, '.env.ci'), '# comment\nBOT_ID=00000000-0000-0000-0000-00000000000a\nAPP_NAME_SUFFIX=-ci\nBOT_ENDPOINT=https://rounds-ci.example.net\n');
    fs.writeFileSync(path.join(envDir, '.env.ci.user'), 'BOT_ID="11111111-1111-4111-8111-111111111111"\n');
    const out = path.join(tmp, 'out');

    const fromFiles = await buildAppPackage({ env: { ENV: 'ci' }, envDir, outDir: out });
    assert.equal((fromFiles.manifest.bots as Bot[])[0].botId, '11111111-1111-4111-8111-111111111111', '.user wins over the base file');
    assert.equal((fromFiles.manifest.name as { short: string }).short, 'Rounds-ci');
    assert.deepEqual(fromFiles.manifest.validDomains, ['rounds-ci.example.net'], 'BOT_DOMAIN defaults to the BOT_ENDPOINT host');
    assert.equal(fromFiles.envFiles.length, 2);

    const explicit = await buildAppPackage({
      env: { ENV: 'ci', BOT_ID, TEAMS_APP_ID: '22222222-2222-4222-8222-222222222222', BOT_DOMAIN: 'rounds.contoso.com' },
      envDir,
      outDir: out,
    });
    assert.equal((explicit.manifest.bots as Bot[])[0].botId, BOT_ID);
    assert.equal(explicit.manifest.id, '22222222-2222-4222-8222-222222222222');
    assert.deepEqual(explicit.manifest.validDomains, ['rounds.contoso.com']);
  });

  it('drops an empty valid domain instead of shipping ""', async () => {
    const r = await buildAppPackage({ env: { BOT_ID }, readEnvFiles: false, outDir: tmp });
    assert.deepEqual(r.manifest.validDomains, []);
  });

  it('refuses a missing or malformed BOT_ID, and a malformed TEAMS_APP_ID, and writes nothing', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /BOT_ID is not set/],
      [{ BOT_ID: '   ' }, /BOT_ID is not set/],
      [{ BOT_ID: 'my-bot' }, /BOT_ID="my-bot" is not a GUID/],
      [{ BOT_ID: `${BOT_ID}0` }, /is not a GUID/],
      [{ BOT_ID, TEAMS_APP_ID: 'x' }, /TEAMS_APP_ID="x" is not a GUID/],
    ];
    for (const [env, message] of cases) {
      await assert.rejects(buildAppPackage({ env, readEnvFiles: false, outDir: tmp }), (e: unknown) => e instanceof PackageError && message.test(e.message));
    }
    assert.deepEqual(fs.readdirSync(tmp), []);
  });

  it('the npm run package script exits 1 with the reason when BOT_ID is missing or not a GUID', () => {
    for (const [botId, message] of [
      ['', /BOT_ID is not set/],
      ['nope', /BOT_ID="nope" is not a GUID/],
    ] as const) {
      const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'scripts', 'package-app.ts')], {
        cwd: ROOT,
        // An env name with no files, so a developer's env/.env.local cannot supply a BOT_ID.
        env: { ...process.env, BOT_ID: botId, TEAMS_APP_ID: '', ENV: 'no-such-env-for-test' },
        encoding: 'utf8',
        timeout: 30000,
      });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /at .*package-app\.ts/, 'a refusal is a message, not a stack trace');
    }
  });
});

describe('zip writer', () => {
  it('round-trips stored and deflated entries and UTF-8 names, deterministically', () => {
    const entries = [
      { name: 'a.txt', data: Buffer.from('hello '.repeat(200)) },
      { name: 'b.bin', data: Buffer.from([0, 1, 2, 3, 255]) },
      { name: 'dir/ü.json', data: Buffer.from('{"ok":true}') },
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    const zip = createZip(entries);
    const back = readZip(zip);
    assert.deepEqual(back.map((e) => e.name), entries.map((e) => e.name));
    back.forEach((e, i) => assert.ok(e.data.equals(entries[i].data), e.name));
    assert.equal(back[0].method, 8, 'compressible data is deflated');
    assert.equal(back[1].method, 0, 'incompressible data is stored');
    assert.ok(createZip(entries).equals(zip), 'same input, same bytes');
  });

  it('is readable by an independent zip reader (Python zipfile, which checks every CRC)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rounds-zip-'));
    try {
      const file = path.join(dir, 't.zip');
      fs.writeFileSync(file, createZip([{ name: 'manifest.json', data: Buffer.from('{"x":1}\n'.repeat(50)) }, { name: 'i.png', data: Buffer.from([1, 2, 3]) }]));
      const r = spawnSync('python3', ['-m', 'zipfile', '-t', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.error ?? ''}${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /Done testing/);
      const list = spawnSync('python3', ['-m', 'zipfile', '-l', file], { encoding: 'utf8' });
      assert.match(list.stdout, /manifest\.json/);
      assert.match(list.stdout, /i\.png/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unsafe and duplicate names', () => {
    for (const name of ['', '/abs', '..\\x', 'a/../b']) assert.throws(() => createZip([{ name, data: Buffer.alloc(1) }]), /invalid entry name/);
    assert.throws(() => createZip([{ name: 'a', data: Buffer.alloc(1) }, { name: 'a', data: Buffer.alloc(1) }]), /duplicate/);
  });
});

describe('Agents Toolkit project and Playground config', () => {
  const placeholders = (text: string) => new Set([...text.matchAll(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]));
  const envKeys = (file: string) =>
    new Set(
      fs
        .readFileSync(path.join(ROOT, 'env', file), 'utf8')
        .split('\n')
        .map((l) => /^([A-Z0-9_]+)=/.exec(l.trim())?.[1])
        .filter((k): k is string => !!k),
    );
  type Step = { uses: string; with?: Record<string, unknown>; writeToEnvironmentFile?: Record<string, string> };
  const steps = (file: string): Step[] => {
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, Step[]>;
    return [...(doc.provision ?? []), ...(doc.deploy ?? []), ...(doc.publish ?? [])];
  };

  for (const [file, envFile] of [
    ['m365agents.local.yml', '.env.local'],
    ['m365agents.yml', '.env.dev'],
  ] as const) {
    it(`${file}: every manifest placeholder is provided by a provision step, the Bicep outputs or ${envFile}`, () => {
      const provided = new Set(envKeys(envFile));
      for (const s of steps(file)) for (const v of Object.values(s.writeToEnvironmentFile ?? {})) provided.add(v);
      if (steps(file).some((s) => s.uses === 'arm/deploy')) {
        const bicep = fs.readFileSync(path.join(ROOT, 'infra', 'azure.bicep'), 'utf8');
        for (const m of bicep.matchAll(/^output\s+([A-Z0-9_]+)\s/gm)) provided.add(m[1]);
      }
      const manifest = fs.readFileSync(path.join(ROOT, 'appPackage', 'manifest.json'), 'utf8');
      for (const name of placeholders(manifest)) assert.ok(provided.has(name), `${name} is provided for ${file}`);
      const uses = steps(file).map((s) => s.uses);
      for (const action of ['teamsApp/create', 'teamsApp/validateManifest', 'teamsApp/zipAppPackage', 'teamsApp/update']) {
        assert.ok(uses.includes(action), `${file} uses ${action}`);
      }
      for (const s of steps(file)) {
        if (s.with?.manifestPath) assert.ok(fs.existsSync(path.join(ROOT, String(s.with.manifestPath))), `${String(s.with.manifestPath)} exists`);
      }
    });

    it(`${envFile} is committed without secrets; secrets belong in the git-ignored ${envFile}.user`, () => {
      for (const key of envKeys(envFile)) assert.doesNotMatch(key, /SECRET|PASSWORD|TOKEN/, `${key} must live in ${envFile}.user`);
      const ignored = spawnSync('git', ['check-ignore', '-q', `env/${envFile}.user`], { cwd: ROOT });
      if (ignored.error) return; // no git on this machine
      assert.equal(ignored.status, 0, `env/${envFile}.user is git-ignored`);
    });
  }

  it('secrets from provisioning are SECRET_* variables (the toolkit writes those to .env.*.user)', () => {
    for (const file of ['m365agents.yml', 'm365agents.local.yml']) {
      for (const s of steps(file)) {
        for (const [key, variable] of Object.entries(s.writeToEnvironmentFile ?? {})) {
          if (/password|secret/i.test(key)) assert.match(variable, /^SECRET_/, `${file} ${s.uses} ${key}`);
        }
      }
    }
  });

  it('.m365agentsplayground.yml has My Team with General + Announcements and six distinct users with GUID object ids', () => {
    const cfg = YAML.parse(fs.readFileSync(path.join(ROOT, '.m365agentsplayground.yml'), 'utf8'));
    assert.equal(cfg.version, '0.1.1');
    assert.match(cfg.tenantId, GUID);
    assert.equal(cfg.currentUser.name, 'Alex Wilber');
    assert.equal(cfg.users.length, 5, 'the Playground schema requires exactly five users');
    const people = [cfg.currentUser, ...cfg.users];
    for (const u of people) {
      for (const k of ['id', 'name', 'userPrincipleName', 'aadObjectId', 'givenName', 'surname', 'email']) assert.ok(u[k], `${u.name}.${k}`);
      assert.match(u.aadObjectId, GUID, `${u.name} aadObjectId`);
    }
    assert.equal(new Set(people.map((u) => u.id)).size, 6);
    assert.equal(new Set(people.map((u) => u.aadObjectId)).size, 6);
    assert.equal(cfg.team.name, 'My Team');
    assert.deepEqual(cfg.team.channels.map((c: { name: string }) => c.name), ['Announcements'], 'General is implicit (id = team id)');
    const ids = [cfg.personalChat.id, cfg.groupChat.id, cfg.team.id, ...cfg.team.channels.map((c: { id: string }) => c.id)];
    assert.equal(new Set(ids).size, ids.length, 'chat, team and channel ids are unique');
  });
});
