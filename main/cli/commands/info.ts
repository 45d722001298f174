/** `flowscope info --workspace <file> [--json]`: records, time span, imports and rejected lines. */
import { requireWorkspace, withEngine, workspaceOption, write, type Command } from '../command';

export const infoCommand: Command = {
  name: 'info',
  summary: 'Show what a workspace holds: records, time span, imports, rejected lines.',
  usage: 'info --workspace <file> [--json]',
  options: { ...workspaceOption, json: { type: 'boolean' } },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    return withEngine({ workspace }, async (engine) => {
      const info = await engine.workspaceInfo();
      const { imports } = await engine.workspaceImports({ offset: 0, limit: 10_000 });
      if (args.values.json) {
        await write(io.out, `${JSON.stringify({ ...info, importList: imports })}\n`);
        return 0;
      }
      const lines = [
        `Workspace      ${info.path}`,
        `Records        ${info.records.toLocaleString('en-US')}`,
        `Time span      ${info.timeSpan ? `${info.timeSpan.from} to ${info.timeSpan.to}` : '(empty)'}`,
        `Imports        ${info.imports.toLocaleString('en-US')}`,
        `Rejected lines ${info.rejected.toLocaleString('en-US')}`,
        `Schema version ${info.schemaVersion}`,
      ];
      if (imports.length) {
        lines.push('', 'Imports:');
        for (const i of imports) {
          lines.push(
            `  #${i.id}  ${i.importedAt}  ${i.source}  ${i.path}  ${i.records.toLocaleString('en-US')} records, ${i.rejected} rejected`,
          );
        }
      }
      await write(io.out, `${lines.join('\n')}\n`);
      return 0;
    });
  },
};
