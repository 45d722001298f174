/**
 * `flowscope lookup import [<name>] <file.csv> --workspace <file>`, `flowscope lookup list --workspace <file>`:
 * lookup tables for Insights `lookup`, kept beside the workspace (named after the file unless named).
 * `flowscope threat import <list.csv> --workspace <file>`: the threat list (indicator, type, actor, threat
 * level) that Sumo's `lookup … from sumo://threat/cs` and `threatIntel()` read.
 */
import type { LookupTable } from '../../../preload/contract';
import { FlowscopeError } from '../../engine/errors';
import { requireWorkspace, withEngine, workspaceOption, write, type Command, type Io } from '../command';

async function importTable(workspace: string, name: string | undefined, path: string, json: boolean, io: Io) {
  return withEngine({ workspace }, io, async (engine) => {
    const table = await engine.lookupImport({ name, file: engine.files.register(path) });
    await write(io.out, json ? `${JSON.stringify(table)}\n` : `Imported ${describe(table)}\n`);
    return 0;
  });
}

const describe = (t: LookupTable) => `${t.name}: ${t.rows} rows; ${t.columns.join(', ')}`;

export const lookupCommand: Command = {
  name: 'lookup',
  summary: 'Import a CSV lookup table for Insights `lookup`, or list the imported ones.',
  usage: 'lookup import [<name>] <file.csv> --workspace <file> [--json] | lookup list --workspace <file> [--json]',
  options: { ...workspaceOption, json: { type: 'boolean' } },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    const [what, ...rest] = args.positionals;
    if (rest.length > 2) throw new FlowscopeError('bad_request', `Unexpected arguments: ${rest.slice(2).join(' ')}`);
    if (what === 'import') {
      const path = rest.pop();
      if (!path) throw new FlowscopeError('bad_request', 'Name the file: flowscope lookup import [<name>] <file.csv>.');
      return importTable(workspace, rest[0], path, args.values.json === true, io);
    }
    if (what !== 'list' || rest.length)
      throw new FlowscopeError('bad_request', 'Say import [<name>] <file.csv> or list.');
    return withEngine({ workspace }, io, async (engine) => {
      const { tables } = await engine.lookupList();
      if (args.values.json) await write(io.out, `${JSON.stringify(tables)}\n`);
      else await write(io.out, tables.map((t) => `${describe(t)}\n`).join(''));
      return 0;
    });
  },
};

export const threatCommand: Command = {
  name: 'threat',
  summary: 'Import the threat list (CSV: indicator, type, actor, threat level) for threat-intelligence lookups.',
  usage: 'threat import <list.csv> --workspace <file> [--json]',
  options: { ...workspaceOption, json: { type: 'boolean' } },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    const [what, path, ...extra] = args.positionals;
    if (what !== 'import' || !path || extra.length)
      throw new FlowscopeError('bad_request', 'Usage: flowscope threat import <list.csv> --workspace <file>.');
    return importTable(workspace, 'threat', path, args.values.json === true, io);
  },
};
