/**
 * The `flowscope` command line: `flowscope <command> [options]`. It runs the engine in-process.
 * A command is one file in `commands/`, listed in `COMMANDS` below.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { toWireError } from '../engine/errors';
import { isClosedPipe, write, type Command, type Io, type ParsedArgs } from './command';
import { compactCommand } from './commands/compact';
import { demoCommand } from './commands/demo';
import { importCommand } from './commands/import';
import { infoCommand } from './commands/info';
import { importsCommand } from './commands/imports';
import { queryCommand } from './commands/query';
import { serveCommand } from './commands/serve';
import { pullCommand } from './commands/pull';
import { awsCommand } from './commands/aws';
import { athenaCommand } from './commands/athena';
import { aboutCommand } from './commands/about';
import { lookupCommand, threatCommand } from './commands/lookup';

export const COMMANDS: readonly Command[] = [
  importCommand,
  queryCommand,
  infoCommand,
  importsCommand,
  compactCommand,
  demoCommand,
  pullCommand,
  awsCommand,
  athenaCommand,
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
  if (name === '--version' || name === '-V') {
    await write(io.out, `flowscope ${packageJson.version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err.write(`flowscope: there is no command "${name}".\n\n${helpText()}`);
    return 2;
  }
  let args;
  try {
    args = withTexts(
      parseArgs({
        args: rest.map((a, i) => (isText(a) ? `${TEXT_MARK}${i}` : a)),
        options: { ...command.options, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      }),
      rest,
    );
  } catch (err) {
    const message = relativeTimeHint(command, rest) ?? (err instanceof Error ? err.message : String(err));
    io.err.write(`flowscope ${command.name}: ${message}\nusage: flowscope ${command.usage}\n`);
    if (rest.includes('--json')) await jsonFailure(command, rest, io, 'bad_request', message);
    return 2;
  }
  if (args.values.help) {
    io.err.write(helpText(command.name));
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    // The reader of our output went away: it has what it wanted.
    if (isClosedPipe(err)) return 0;
    const { code, message, detail } = toWireError(err);
    // Engine messages name the app's controls ("choose a Region"); here, the option that sets it too.
    const option = (detail as { option?: unknown } | undefined)?.option;
    io.err.write(`flowscope ${command.name}: ${message}${typeof option === 'string' ? ` (--${option})` : ''}\n`);
    if ((args.values as ParsedArgs['values']).json === true) await jsonFailure(command, rest, io, code, message);
    return code === 'bad_request' ? 2 : 1;
  }
}

/**
 * An argument that starts with a dash and holds a blank is text, never an option: a query that begins with an
 * SQL comment (`-- top talkers⏎SELECT …`, as pasted from AWS's docs and published query files), which
 * parseArgs would take for an unknown option. It is handed to parseArgs as a mark that is no option, and put
 * back after.
 */
const isText = (arg: string) => arg.startsWith('-') && /\s/.test(arg);
const TEXT_MARK = '\u0000text:';

function withTexts<T extends { values: Record<string, unknown>; positionals: string[] }>(
  parsed: T,
  given: readonly string[],
): T {
  const back = (v: unknown) =>
    typeof v === 'string' && v.startsWith(TEXT_MARK) ? given[Number(v.slice(TEXT_MARK.length))] : v;
  const values = Object.fromEntries(
    Object.entries(parsed.values).map(([k, v]) => [k, Array.isArray(v) ? v.map(back) : back(v)]),
  );
  return { ...parsed, values, positionals: parsed.positionals.map((p) => back(p) as string) };
}

/**
 * `--from -1h` (as other tools take a time before now), which parseArgs calls an "ambiguous" value: pointed to
 * `--last 1h`, where the command has it.
 */
function relativeTimeHint(command: Command, given: readonly string[]): string | null {
  if (!('last' in command.options)) return null;
  const at = given.findIndex((a, i) => (a === '--from' || a === '--to') && /^-\d/.test(given[i + 1] ?? ''));
  if (at < 0) return null;
  const span = given[at + 1]!.slice(1);
  return `${given[at]} ${given[at + 1]}: ${given[at]} takes an ISO 8601 time (such as 2026-03-02T10:00); for the last ${span}, give --last ${span}.`;
}

/** The JSON line `--json` promises, for a command that failed before it could do anything. */
async function jsonFailure(
  command: Command,
  given: readonly string[],
  io: Io,
  code: string,
  message: string,
): Promise<void> {
  const nothing = command.jsonWhenNothingDone;
  const line = { ...(typeof nothing === 'function' ? nothing(given) : nothing), error: message, code };
  await write(io.out, `${JSON.stringify(line)}\n`).catch(() => undefined);
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
    'flowscope help <command> shows the options of a command; flowscope --version, the version.',
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

/**
 * Runs the command line and ends the process with its exit code once stdout and stderr have taken
 * everything, without waiting for work nothing needs any more (a query DuckDB is still finishing after its
 * caller was told it timed out).
 */
export async function runAndExit(argv: readonly string[]): Promise<never> {
  const code = await main(argv);
  const flushed = (stream: NodeJS.WritableStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

if (isEntryPoint()) await runAndExit(process.argv.slice(2));
