/**
 * `flowscope lookup import <name> <file.csv> --workspace <file>`, `flowscope lookup list --workspace <file>`:
 * lookup tables for Insights `lookup`, kept beside the workspace.
 * `flowscope threat import <list.csv> --workspace <file>`: the threat list (indicator, type, actor, threat
 * level) that Sumo's `lookup … from sumo://threat/cs` and `threatIntel()` read.
 */
import { FlowscopeError } from '../../engine/errors';
import { requireWorkspace, withEngine, workspaceOption, write, type Command } from '../command';

async function importTable(workspace: string, name: string, path: string, json: boolean, out: NodeJS.WritableStream) {
  return withEngine({ workspace }, async (engine) => {
    const table = await engine.lookupImport({ name, file: engine.files.register(path) });
    await write(out, json ? `${JSON.stringify(table)}\n` : `Imported ${table.name}: ${table.columns.join(', ')}\n`);
    return 0;
  });
}

export const lookupCommand: Command = {
  name: 'lookup',
  summary: 'Import a CSV lookup table for Insights `lookup`, or list the imported ones.',
  usage: 'lookup import <name> <file.csv> --workspace <file> [--json] | lookup list --workspace <file> [--json]',
  options: { ...workspaceOption, json: { type: 'boolean' } },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    const [what, name, path, ...extra] = args.positionals;
    if (extra.length) throw new FlowscopeError('bad_request', `Unexpected arguments: ${extra.join(' ')}`);
    if (what === 'import') {
      if (!name || !path)
        throw new FlowscopeError(
          'bad_request',
          'Name the table and the file: flowscope lookup import <name> <file.csv>.',
        );
      return importTable(workspace, name, path, args.values.json === true, io.out);
    }
    if (what !== 'list') throw new FlowscopeError('bad_request', 'Say import <name> <file.csv> or list.');
    return withEngine({ workspace }, async (engine) => {
      const { tables } = await engine.lookupList();
      if (args.values.json) await write(io.out, `${JSON.stringify(tables)}\n`);
      else await write(io.out, tables.map((t) => `${t.name}  ${t.columns.join(', ')}\n`).join(''));
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
    return importTable(workspace, 'threat', path, args.values.json === true, io.out);
  },
};
