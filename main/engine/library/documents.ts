/**
 * Reading a library file that may come from anywhere (a colleague, a git pull, a drag-and-drop): capped in
 * size, parsed as JSON, refused when it was written by a newer Flowscope, then validated against its strict
 * schema. Every refusal is a `bad_request` whose message names the file and what is wrong — the JSON line
 * and column, or the path of the offending key (`chart.options: unrecognized key`).
 */
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { libraryFileTooLarge } from '../../../preload/contract';
import { FlowscopeError } from '../errors';

const FORMAT_VERSION = 1;

/** Refuses a library file of `bytes` bytes when it is over the size cap, naming the file. */
export function checkFileSize(fileName: string, bytes: number): void {
  const tooLarge = libraryFileTooLarge(fileName, bytes);
  if (tooLarge) throw new FlowscopeError('bad_request', tooLarge, { file: fileName });
}

/**
 * A library file's text, read only once it is known to be a regular file within the size cap. The user
 * library travels with a workspace (git keeps links), and a file there linking to /dev/zero was read to an
 * end that never comes, holding the engine at full CPU (found by an outside probe).
 */
export function readLibraryFile(path: string, fileName: string): string {
  const stats = statSync(path);
  if (!stats.isFile()) throw refuse(fileName, 'is not a regular file.');
  checkFileSize(fileName, stats.size);
  return documentText(readFileSync(path), fileName);
}

/**
 * A library file's bytes as text. Flowscope writes UTF-8; bytes that are not (a file saved as Latin-1 or
 * UTF-16 by another editor) are refused, naming the line, rather than read as U+FFFD, which would silently run
 * and show another query than the file's (`SELECT 'café'` as `SELECT 'caf�'`).
 */
export function documentText(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    throw refuse(
      fileName,
      `is not UTF-8 text (${lineColumn(text, text.indexOf('\uFFFD'))}); save it as UTF-8 and try again.`,
    );
  }
}

export function parseDocument<S extends z.ZodType>(schema: S, text: string, fileName: string): z.output<S> {
  checkFileSize(fileName, Buffer.byteLength(text, 'utf8'));
  const raw = parseJson(text, fileName);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw refuse(fileName, 'is not a JSON object.');
  const version = (raw as { version?: unknown }).version;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    throw refuse(
      fileName,
      `is format version ${version}, written by a newer Flowscope; this one reads version ${FORMAT_VERSION}. Update Flowscope to open it.`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(describeIssue);
    throw new FlowscopeError(
      'bad_request',
      `${fileName}: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`,
      {
        file: fileName,
        issues,
      },
    );
  }
  return parsed.data;
}

/** Pretty-printed with a final newline, as the built-in files are, so user files diff well in git. */
export function serializeDocument(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  return `${where}: ${issue.message}`;
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = Number(/position (\d+)/.exec(message)?.[1]);
    const where = Number.isFinite(position) ? ` at ${lineColumn(text, position)}` : '';
    throw refuse(fileName, `is not valid JSON${where}: ${message}`);
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

function refuse(fileName: string, what: string): FlowscopeError {
  return new FlowscopeError('bad_request', `${fileName} ${what}`, { file: fileName });
}
