/**
 * What every `flowscope` command is: a name, its options (node's parseArgs form), and a run function that
 * answers the exit code. Commands write results to `io.out` and every message to `io.err`.
 */
import type { ParseArgsConfig } from 'node:util';
import type { Channel } from '../../preload/contract';
import type { Engine, EngineOptions } from '../engine';
import type { UpgradeNotice } from '../engine/workspace';
import { FlowscopeError } from '../engine/errors';

export interface Io {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
}

export interface Command {
  name: string;
  /** One line for `flowscope help`. */
  summary: string;
  /** The usage line(s), without "flowscope ". */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /**
   * With --json, the command's JSON line when it did nothing (a failure before any work): `main` adds
   * `error` and `code` to it, so a script always finds the line it was promised. A function of the
   * arguments as given (after the command's name) where the line depends on them (`imports remove`).
   */
  jsonWhenNothingDone?: Record<string, unknown> | ((given: readonly string[]) => Record<string, unknown>);
  run(args: ParsedArgs, io: Io): Promise<number>;
}

export const workspaceOption = { workspace: { type: 'string', short: 'w' } } as const;

export function requireWorkspace(args: ParsedArgs): string {
  const path = args.values.workspace;
  if (typeof path !== 'string' || path === '')
    throw new FlowscopeError('bad_request', 'Give the workspace file with --workspace <file.duckdb>.');
  return checkedPath(path, '--workspace');
}

/**
 * A path as the command line gave it. Node.js reads the arguments as UTF-8 and puts U+FFFD where a byte is
 * not (a Latin-1 file name, `$'o\xfe.csv'`): the path it hands on names another file, which `--output` then
 * wrote and `--workspace` created or called missing. Such a path is refused, saying why.
 */
export function checkedPath(path: string, option: string): string {
  if (path.includes('\uFFFD'))
    throw new FlowscopeError(
      'bad_request',
      `${option} ${path}: the path holds bytes that are not UTF-8 (shown as �), which Node.js cannot pass on as they are; rename the file or folder, or give a path without them.`,
    );
  return path;
}

/**
 * `--from` and `--to` as given, checked here so that a mistake names the option: each an ISO 8601 time, and
 * `--from` not after `--to` (a range turned round matches nothing, and would answer an empty result); and, for
 * a command that `takesLast`, `--last 24h` instead of them (a `--from 1h` is pointed to it). The time reader
 * loads here, not with `flowscope --help`.
 */
export async function timeOptions(
  args: ParsedArgs,
  takesLast = false,
): Promise<{ from?: string; to?: string; last?: string }> {
  const [{ isoTimeMs, NOT_AN_ISO_TIME }, { SPAN_EXPECTED, SPAN_PATTERN }] = await Promise.all([
    import('../../queries/catalog/iso-time'),
    import('../../queries/library/span'),
  ]);
  const given: { from?: string; to?: string; last?: string } = {};
  for (const key of ['from', 'to'] as const) {
    const text = args.values[key];
    if (typeof text !== 'string') continue;
    if (isoTimeMs(text) === null) {
      const span = text.replace(/^-/, '');
      const hint = takesLast && SPAN_PATTERN.test(span) ? `; for the last ${span}, give --last ${span}` : '';
      throw new FlowscopeError('bad_request', `--${key} ${text}: ${NOT_AN_ISO_TIME}${hint}.`);
    }
    given[key] = text;
  }
  const last = args.values.last;
  if (typeof last === 'string') {
    if (!SPAN_PATTERN.test(last)) throw new FlowscopeError('bad_request', `--last ${last}: not ${SPAN_EXPECTED}.`);
    if (given.from !== undefined || given.to !== undefined)
      throw new FlowscopeError(
        'bad_request',
        '--last is a time range of its own: give it, or --from and --to, not both.',
      );
    given.last = last;
  }
  if (given.from !== undefined && given.to !== undefined && isoTimeMs(given.from)! > isoTimeMs(given.to)!)
    throw new FlowscopeError('bad_request', `--from ${given.from} is after --to ${given.to}; did you swap them?`);
  // `--from 2026-03-02 --to 2026-03-02` means the day to whoever types it, and holds no instant: --to is
  // exclusive. Said here, not answered "No record in the time range" (CloudWatch refuses such a range).
  if (given.from !== undefined && given.to !== undefined && isoTimeMs(given.from) === isoTimeMs(given.to))
    throw new FlowscopeError(
      'bad_request',
      `--from ${given.from} and --to ${given.to} are the same instant, so the range is empty: --to is where it ends, not included${/^\d{4}-\d{2}-\d{2}$/.test(given.to) ? ` (the whole day is --to ${nextDay(given.to)})` : ''}.`,
    );
  return given;
}

/**
 * A log group named by its ARN, as the console's "Copy ARN" gives it
 * (`arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow-logs:*`), is that group: its name.
 */
export function logGroupName(text: string): string {
  return text.replace(/^arn:aws[\w-]*:logs:[\w-]*:\d{12}:log-group:(.+?)(?::\*)?$/, '$1');
}

/** The date after `date` (`2026-03-02` → `2026-03-03`). */
function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Why a command on an older workspace is slow to start: on stderr, so that `--json` output stays one line. */
function sayUpgrade(err: Io['err']): (u: UpgradeNotice) => void {
  return (u) =>
    err.write(
      `Upgrading ${u.file} from workspace schema ${u.fromVersion} to ${u.toVersion}, once` +
        (u.rewrites ? ': it rewrites the records (a minute or more per 10 million records)' : '') +
        `. The file as it was is kept at ${u.backup}.\n`,
    );
}

/**
 * Opens the engine; a workspace that is not there is answered with how to make one. The engine (DuckDB, the
 * AWS SDK) is loaded here, when a command needs it, so that `help` or a wrong command line answers at once.
 */
export async function openEngine(options: EngineOptions, io: Pick<Io, 'err'>): Promise<Engine> {
  const { Engine } = await import('../engine');
  try {
    return await Engine.open({ onUpgrade: sayUpgrade(io.err), ...options });
  } catch (err) {
    const missing = err instanceof FlowscopeError && (err.detail as { missingWorkspace?: string })?.missingWorkspace;
    if (!missing) throw err;
    throw new FlowscopeError(
      'not_found',
      `${err.message} Make one with \`flowscope import <files or folders> --workspace ${missing}\`, or try \`flowscope demo --workspace ${missing}\` for generated flow logs.`,
      err.detail,
    );
  }
}

/**
 * Calls one of the engine's channels through the dispatcher every host uses, so the input is checked against
 * the contract. The dispatcher (and the contract's schemas) load with the first call, not at start.
 */
export async function call(engine: Engine, channel: Channel, input: unknown): Promise<unknown> {
  const dispatch = await import('../engine/dispatch');
  return dispatch.call(engine, channel, input);
}

/** Opens the engine, runs `fn`, and closes the engine whatever happens. */
export async function withEngine<T>(
  options: EngineOptions,
  io: Pick<Io, 'err'>,
  fn: (engine: Engine) => Promise<T>,
): Promise<T> {
  const engine = await openEngine(options, io);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/** The error a write gets when the program reading our output has gone (`flowscope query … | head`). */
export function isClosedPipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

/** Writes and waits until the stream took it, so a large output piped elsewhere is not cut off. */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
