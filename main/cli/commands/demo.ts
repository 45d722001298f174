/**
 * `flowscope demo --workspace <file> [--records N]`: a new workspace filled with realistic generated flow
 * logs, made by the engine's demo builder (`main/engine/demo-workspace.ts`).
 */
import { requireWorkspace, workspaceOption, write, type Command } from '../command';
import { thousands } from '../output';
import { ProgressBar } from '../progress';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Create a workspace filled with realistic generated flow logs.',
  usage: 'demo --workspace <new-file.duckdb> [--records N]',
  options: { ...workspaceOption, records: { type: 'string' } },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    const { createDemoWorkspace, DEMO_RECORDS } = await import('../../engine/demo-workspace');
    const records = Number(args.values.records ?? DEMO_RECORDS);
    const bar = new ProgressBar(io.err);
    const info = await createDemoWorkspace(workspace, { records, onProgress: (p) => bar.draw(p) }).finally(() =>
      bar.clear(),
    );
    await write(
      io.out,
      `Demo workspace ${info.path}: ${thousands(info.records)} records from ${info.timeSpan?.from} to ${info.timeSpan?.to}.\n`,
    );
    return 0;
  },
};
