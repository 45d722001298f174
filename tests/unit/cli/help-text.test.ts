import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS } from '../../../main/cli/index';

test('every option a command takes is in its usage, which `flowscope help <command>` prints', () => {
  for (const command of COMMANDS) {
    for (const option of Object.keys(command.options)) {
      assert.ok(command.usage.includes(`--${option}`), `flowscope help ${command.name} does not name --${option}`);
    }
  }
});

test('each line of a usage names the command in full, as it is typed', () => {
  for (const command of COMMANDS) {
    const [first, ...rest] = command.usage.split('\n');
    assert.ok(first!.startsWith(`${command.name} `), first);
    for (const line of rest.filter((l) => /^\s+\S/.test(l) && !/^\s+\[/.test(l)))
      assert.match(line, new RegExp(`^\\s+flowscope ${command.name} `), line);
  }
});
