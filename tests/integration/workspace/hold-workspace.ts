/** Run as a separate process by tests: opens a workspace, says "open", and holds it until stdin closes. */
import { Workspace } from '../../../main/engine/workspace';

const ws = await Workspace.open(process.argv[2]!, { create: true });
process.stdout.write('open\n');
process.stdin.resume();
process.stdin.on('end', () => void ws.close());
