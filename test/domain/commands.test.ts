import assert from 'node:assert/strict';
import { parseCommand } from '../../src/domain/commands';

describe('chat commands', () => {
  const cases: Array<[string, string, string?]> = [
    ['help', 'help'],
    ['HELP', 'help'],
    ['<at>Rounds</at> help', 'help'],
    ['<at>Rounds</at>&nbsp;post checklist', 'post-checklist'],
    ['Post Checklist', 'post-checklist'],
    ['  post   checklist  ', 'post-checklist'],
    ['status', 'status'],
    ['status.', 'status'],
    ['check connectors', 'check', 'connectors'],
    ['<at>Rounds</at> Check Secure Score', 'check', 'secure score'],
    ['check', 'check', ''],
    ['set timezone Europe/Berlin', 'set-timezone', 'europe/berlin'],
  ];
  for (const [text, name, args] of cases) {
    it(`"${text}" → ${name}${args !== undefined ? ` (${args})` : ''}`, () => {
      const p = parseCommand(text);
      assert.equal(p.name, name);
      if (args !== undefined) assert.equal((p as { args: string }).args, args);
    });
  }
  for (const text of ['statuses', 'please help me', 'helpful', 'post checklists now', 'xstatus', 'status report', 'checklist']) {
    it(`"${text}" is not a command (whole words, anchored)`, () => {
      assert.equal(parseCommand(text).name, 'unknown');
    });
  }
  it('empty and non-string text is "empty"', () => {
    assert.equal(parseCommand('').name, 'empty');
    assert.equal(parseCommand('<at>Rounds</at>').name, 'empty');
    assert.equal(parseCommand(undefined).name, 'empty');
    assert.equal(parseCommand({ toString: () => 'help' }).name, 'empty');
  });
});
