import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/config';

describe('config', () => {
  it('has working defaults for local mode', () => {
    const c = loadConfig({});
    assert.equal(c.PORT, 3978);
    assert.equal(c.localMode, true);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.CHECKLIST_TIMEZONE, 'UTC');
    assert.equal(c.CHECKLIST_SCHEDULE, '0 9 * * 1');
    assert.equal(c.REMINDER_SCHEDULE, '0 9 * * 4');
    assert.equal(c.STORE, 'sqlite');
    assert.equal(c.LOG_LEVEL, 'info');
    assert.match(c.dataDir, /data$/);
  });

  it('binds all interfaces by default when authenticated', () => {
    const c = loadConfig({ BOT_ID: '11111111-2222-4333-8444-555555555555', BOT_PASSWORD: 'x', BOT_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
    assert.equal(c.localMode, false);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.BOT_TYPE, 'SingleTenant');
  });

  it('lists every problem at once, each with its fix', () => {
    try {
      loadConfig({
        PORT: 'abc',
        CHECKLIST_TIMEZONE: 'Mars/Olympus',
        BOT_TYPE: 'Nope',
        LOG_LEVEL: 'loud',
        CHECKLIST_SCHEDULE: 'every monday',
        STORE: 'postgres',
      });
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      assert.equal(err.problems.length, 6, text);
      assert.match(text, /PORT must be a whole number/);
      assert.match(text, /CHECKLIST_TIMEZONE must be an IANA time zone/);
      assert.match(text, /BOT_TYPE must be SingleTenant, MultiTenant or UserAssignedMsi/);
      assert.match(text, /LOG_LEVEL must be one of/);
      assert.match(text, /CHECKLIST_SCHEDULE must be a cron expression/);
      assert.match(text, /STORE must be sqlite or azure-table/);
    }
  });

  it('refuses a non-loopback HOST in local mode', () => {
    assert.throws(() => loadConfig({ HOST: '0.0.0.0' }), /HOST=0\.0\.0\.0 is not a loopback address, but BOT_ID is empty/);
    assert.equal(loadConfig({ HOST: '::1' }).host, '::1');
  });

  it('asks for the password and tenant that go with BOT_ID', () => {
    assert.throws(() => loadConfig({ BOT_ID: '11111111-2222-4333-8444-555555555555' }), (err: unknown) => {
      const m = (err as Error).message;
      return /BOT_PASSWORD is required/.test(m) && /BOT_TENANT_ID is required/.test(m);
    });
    assert.throws(() => loadConfig({ BOT_ID: 'not-a-guid', BOT_PASSWORD: 'x', BOT_TENANT_ID: 't' }), /BOT_ID must be the bot's Microsoft App ID/);
    const msi = loadConfig({ BOT_ID: '11111111-2222-4333-8444-555555555555', BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
    assert.equal(msi.BOT_TYPE, 'UserAssignedMsi');
  });

  it('never echoes secret values in its errors', () => {
    try {
      loadConfig({ JOB_SECRET: 'short-secret', BOT_PASSWORD: 'p@ss-w0rd-value', BOT_ID: 'bad' });
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(!(err as Error).message.includes('short-secret'));
      assert.ok(!(err as Error).message.includes('p@ss-w0rd-value'));
      assert.match((err as Error).message, /JOB_SECRET must be at least 16 characters/);
    }
  });
});
