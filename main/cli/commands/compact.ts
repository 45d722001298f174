/**
 * `flowscope compact --workspace <file> [--json]`: rewrites the workspace file, giving back the space of removed
 * imports and upgrading a file in an older storage format to the current one (`STORAGE_VERSION`), in which a
 * top-N by a text column is several times faster. It needs the file to itself: the app or a `flowscope serve`
 * that has it open must be closed first.
 */
import { FlowscopeError } from '../../engine/errors';
import { formatBytes } from '../../engine/remote/scan-bytes';
import { openEngine, requireWorkspace, workspaceOption, write, type Command } from '../command';
import { thousands } from '../output';

export const compactCommand: Command = {
  name: 'compact',
  summary: 'Rewrite a workspace: give back the space of removed imports, upgrade an older storage format.',
  usage: 'compact --workspace <file> [--json]',
  options: { ...workspaceOption, json: { type: 'boolean' } },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    const engine = await openEngine({ workspace }, io).catch((err: unknown) => {
      if (!(err instanceof FlowscopeError && err.code === 'workspace_in_use')) throw err;
      throw new FlowscopeError(
        'workspace_in_use',
        `${err.message} Compacting rewrites the file: close the app or \`flowscope serve\` that has it open, then run compact again.`,
        err.detail,
      );
    });
    try {
      const before = (await engine.workspaceInfo()).storage;
      const started = performance.now();
      const { bytesBefore, bytesAfter } = await engine.workspaceCompact();
      const seconds = Math.round(performance.now() - started) / 1000;
      const after = (await engine.workspaceInfo()).storage;
      if (args.values.json) {
        await write(
          io.out,
          `${JSON.stringify({ path: workspace, bytesBefore, bytesAfter, seconds, storageBefore: before.version, storageAfter: after.version })}\n`,
        );
        return 0;
      }
      const format =
        before.version === after.version
          ? `storage format ${after.version}`
          : `storage format upgraded from ${before.version} to ${after.version}`;
      await write(
        io.out,
        `Compacted ${workspace}: ${formatBytes(bytesBefore)} → ${formatBytes(bytesAfter)} (${thousands(bytesBefore)} → ${thousands(bytesAfter)} bytes) in ${seconds.toFixed(1)} s; ${format}.\n`,
      );
      return 0;
    } finally {
      await engine.close();
    }
  },
};
