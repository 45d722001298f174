/**
 * The engine's utility-process entry point (bundled to dist/engine/utility.mjs). Electron's main starts
 * it with `utilityProcess.fork`; the conformance tests start the same file as a `worker_threads` worker.
 */
import { Engine } from '../index';
import { ensureDemoWorkspace } from '../demo-workspace';
import { currentParentChannel } from './parent-channel';
import { runUtilityHost } from './utility-host';

const parent = currentParentChannel();
if (!parent) {
  process.stderr.write('The Flowscope engine host must be started by Flowscope (as a utility process or worker).\n');
  process.exit(2);
}
runUtilityHost(
  parent,
  async (workspace, { demo, create }) => {
    if (demo) await ensureDemoWorkspace(workspace, process.stderr);
    return Engine.open({ workspace, create, warmDashboards: true });
  },
  () => process.exit(0),
);
