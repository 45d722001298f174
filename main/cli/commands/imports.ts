/**
 * `flowscope imports --workspace <file> [--json] [--limit <n>]`: the imports the workspace holds (files, S3
 * objects, CloudWatch windows), newest first. `flowscope imports remove <id>... --workspace <file> [--json]`
 * takes imports back out: their records, rejected lines and ledger rows go; the records a later overlapping
 * CloudWatch import left out because a removed one held them are handed back to it and stay. The file keeps
 * its size until `flowscope compact`.
 */
import type { ImportInfo } from '../../../preload/contract';
import type { Engine } from '../../engine';
import { FlowscopeError } from '../../engine/errors';
import { requireWorkspace, withEngine, workspaceOption, write, type Command, type ParsedArgs } from '../command';
import { counted, thousands } from '../output';

/** The most the contract hands out in one page; a longer list is read page by page. */
const PAGE = 10_000;
const DEFAULT_LIMIT = 100;

/** One import as `info` and `imports` list it. */
export function importLine(i: ImportInfo): string {
  return `#${i.id}  ${i.importedAt}  ${i.source}  ${i.format}  ${i.path}  ${counted(i.records, 'record')}, ${thousands(i.rejected)} rejected`;
}

/** The newest `limit` imports (every one for `Infinity`), newest first, and how many there are. */
async function newestImports(engine: Engine, limit: number): Promise<{ total: number; imports: ImportInfo[] }> {
  const imports: ImportInfo[] = [];
  for (;;) {
    const page = await engine.workspaceImports({
      offset: imports.length,
      limit: Math.min(PAGE, limit - imports.length),
      newestFirst: true,
    });
    imports.push(...page.imports);
    if (page.imports.length === 0 || imports.length >= Math.min(limit, page.total))
      return { total: page.total, imports };
  }
}

function limitOption(args: ParsedArgs): number {
  const text = args.values.limit;
  if (text === undefined) return DEFAULT_LIMIT;
  if (typeof text !== 'string' || !/^[1-9]\d*$/.test(text))
    throw new FlowscopeError('bad_request', `--limit ${String(text)}: give a whole number of imports, 1 or more.`);
  return Number(text);
}

/** The ids to remove as given (`7` or `#7`, as lists write them), each once. */
function idsToRemove(words: readonly string[]): number[] {
  if (words.length === 0)
    throw new FlowscopeError('bad_request', 'Name the imports to remove by id: flowscope imports remove <id>...');
  const bad = words.find((w) => !/^#?\d+$/.test(w));
  if (bad !== undefined)
    throw new FlowscopeError('bad_request', `${bad} is not an import id: give the number \`flowscope imports\` lists.`);
  return [...new Set(words.map((w) => Number(w.replace('#', ''))))];
}

async function list(engine: Engine, args: ParsedArgs, workspace: string): Promise<string> {
  const limit = limitOption(args);
  const { total, imports } = await newestImports(engine, limit);
  if (args.values.json) return `${JSON.stringify({ total, imports })}\n`;
  if (total === 0) return `No imports in ${workspace}.\n`;
  const lines = imports.map(importLine);
  if (imports.length < total)
    lines.push(
      `The newest ${thousands(imports.length)} of ${counted(total, 'import')}; --limit ${total} lists them all.`,
    );
  return `${lines.join('\n')}\n`;
}

async function remove(engine: Engine, args: ParsedArgs, workspace: string): Promise<string> {
  const ids = idsToRemove(args.positionals.slice(1));
  // Every id is checked before any import goes: a mistyped one removes nothing.
  const { imports } = await newestImports(engine, Infinity);
  const byId = new Map(imports.map((i) => [i.id, i]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length)
    throw new FlowscopeError(
      'not_found',
      `There is no import ${unknown.map((id) => `#${id}`).join(', ')} in ${workspace}; nothing was removed. ` +
        `\`flowscope imports --workspace ${workspace}\` lists them.`,
    );
  const removed = [];
  for (const id of ids) {
    const { removedRecords } = await engine.workspaceRemoveImport({ importId: id });
    const { path, source, records } = byId.get(id)!;
    removed.push({ id, source, path, records, removedRecords });
  }
  const removedRecords = removed.reduce((n, r) => n + r.removedRecords, 0);
  if (args.values.json) return `${JSON.stringify({ removed, removedRecords })}\n`;
  const lines = removed.map(
    (r) =>
      `Removed #${r.id} ${r.path}: ${counted(r.removedRecords, 'record')} the workspace no longer holds` +
      (r.removedRecords < r.records
        ? `; the other ${thousands(r.records - r.removedRecords)} of its ${thousands(r.records)} stay, held now by later CloudWatch imports that overlap it.`
        : '.'),
  );
  lines.push(
    `The file keeps its size until \`flowscope compact --workspace ${workspace}\` gives back the space (with the app and \`flowscope serve\` closed).`,
  );
  return `${lines.join('\n')}\n`;
}

export const importsCommand: Command = {
  name: 'imports',
  summary: 'List the imports of a workspace, newest first, or remove imports made by mistake.',
  usage:
    'imports --workspace <file> [--json] [--limit <n>]   newest first, 100 unless --limit\n' +
    '       flowscope imports remove <id>... --workspace <file> [--json]   then `flowscope compact` gives back the space',
  options: { ...workspaceOption, json: { type: 'boolean' }, limit: { type: 'string' } },
  jsonWhenNothingDone: (given) =>
    given.includes('remove') ? { removed: [], removedRecords: 0 } : { total: 0, imports: [] },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    const [action] = args.positionals;
    if (action !== undefined && action !== 'remove')
      throw new FlowscopeError(
        'bad_request',
        `Unexpected argument ${action}: \`flowscope imports\` lists, \`flowscope imports remove <id>...\` removes.`,
      );
    if (action === 'remove' && args.values.limit !== undefined)
      throw new FlowscopeError('bad_request', '--limit is for the list; `imports remove` takes the ids to remove.');
    if (action === undefined) limitOption(args);
    return withEngine({ workspace }, io, async (engine) => {
      await write(
        io.out,
        action === 'remove' ? await remove(engine, args, workspace) : await list(engine, args, workspace),
      );
      return 0;
    });
  },
};
