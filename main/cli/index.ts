/**
 * The `flowscope` command line: `flowscope <command> [options]`. It runs the engine in-process.
 * A command is one file in `commands/`, listed in `COMMANDS` below.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { toWireError } from '../engine/errors';
import type { Command, Io } from './command';
import { demoCommand } from './commands/demo';
import { importCommand } from './commands/import';
import { infoCommand } from './commands/info';
import { queryCommand } from './commands/query';
import { serveCommand } from './commands/serve';
import { pullCommand } from './commands/pull';
import { awsCommand } from './commands/aws';
import { aboutCommand } from './commands/about';
import { lookupCommand, threatCommand } from './commands/lookup';

const COMMANDS: readonly Command[] = [
  importCommand,
  queryCommand,
  infoCommand,
  demoCommand,
  pullCommand,
  awsCommand,
  lookupCommand,
  threatCommand,
  serveCommand,
  aboutCommand,
];

/** Exit codes: 0 done, 1 the work failed, 2 the command line is wrong. */
export async function main(
  argv: readonly string[],
  io: Io = { out: process.stdout, err: process.stderr },
): Promise<number> {
  if (io.out === process.stdout) endQuietlyWhenOutputCloses();
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.err.write(helpText(rest[0]));
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err.write(`flowscope: there is no command "${name}".\n\n${helpText()}`);
    return 2;
  }
  let args;
  try {
    args = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.err.write(
      `flowscope ${command.name}: ${err instanceof Error ? err.message : String(err)}\nusage: flowscope ${command.usage}\n`,
    );
    return 2;
  }
  if (args.values.help) {
    io.err.write(helpText(command.name));
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    const { code, message, detail } = toWireError(err);
    // Engine messages name the app's controls ("choose a Region"); here, the option that sets it too.
    const option = (detail as { option?: unknown } | undefined)?.option;
    io.err.write(`flowscope ${command.name}: ${message}${typeof option === 'string' ? ` (--${option})` : ''}\n`);
    return code === 'bad_request' ? 2 : 1;
  }
}

function helpText(commandName?: string): string {
  const command = COMMANDS.find((c) => c.name === commandName);
  if (command) return `${command.summary}\n\nusage: flowscope ${command.usage}\n`;
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: flowscope <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'flowscope help <command> shows the options of a command.',
    '',
  ].join('\n');
}

/**
 * `flowscope query … | head` closes the pipe while the result is still being written: the reader has what it
 * wanted, so the command ends at once, with no EPIPE stack trace and status 0 (as `git log | head` does).
 */
let quietOnClose = false;
function endQuietlyWhenOutputCloses(): void {
  if (quietOnClose) return;
  quietOnClose = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
