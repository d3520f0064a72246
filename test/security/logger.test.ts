import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, scrubSecrets } from '../../src/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger('trace', stream as never), text: () => lines.join('') };
}

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.c2lnbmF0dXJlLXNlY3JldC12YWx1ZQ';

describe('security: log redaction', () => {
  it('redacts authorization headers, tokens and secrets wherever an SDK puts them', () => {
    const { logger, text } = capture();
    logger.info({ req: { headers: { authorization: `Bearer ${JWT}`, cookie: 'session=cookie-secret-1' } } }, 'request');
    logger.info({ headers: { authorization: 'Basic dXNlcjpwYXNzd29yZC1zZWNyZXQ=', 'proxy-authorization': 'Basic cHJveHktc2VjcmV0', 'x-api-key': 'api-key-secret-2' } }, 'h');
    logger.info({ config: { BOT_PASSWORD: 'bot-password-secret-3', JOB_SECRET: 'job-secret-4', AZURE_CLIENT_SECRET: 'client-secret-5' } }, 'c');
    logger.info({ credentials: { appPassword: 'app-password-secret-6', accessToken: 'access-token-secret-7', client_secret: 'client-secret-8' } }, 'k');
    const restError = Object.assign(new Error(`Request failed: Authorization: Bearer ${JWT}`), {
      request: { url: 'https://smba', headers: { authorization: `Bearer ${JWT}` } },
      config: { headers: { Authorization: 'Bearer axios-secret-token-9' } },
      body: 'client_secret=body-secret-10&grant_type=client_credentials',
    });
    logger.error({ err: restError }, 'call failed');
    const out = text();
    for (const secret of [JWT, 'c2lnbmF0dXJlLXNlY3JldC12YWx1ZQ', 'cookie-secret-1', 'dXNlcjpwYXNzd29yZC1zZWNyZXQ', 'cHJveHktc2VjcmV0', 'api-key-secret-2', 'bot-password-secret-3', 'job-secret-4', 'client-secret-5', 'app-password-secret-6', 'access-token-secret-7', 'client-secret-8', 'axios-secret-token-9', 'body-secret-10']) {
      assert.ok(!out.includes(secret), `${secret} leaked:\n${out}`);
    }
    assert.match(out, /\[redacted\]/);
    assert.match(out, /call failed/);
  });

  it('scrubSecrets removes bearer/basic credentials, JWTs and key=value secrets from free text', () => {
    const s = scrubSecrets(`x Bearer abcdefghijkl Basic bW5vcHFyc3R1 ${JWT} AccountKey=abc123== password=hunter2&x=1`);
    assert.ok(!/abcdefghijkl|bW5vcHFyc3R1|hunter2|abc123==|c2lnbmF0dXJl/.test(s), s);
  });
});
