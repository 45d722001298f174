/**
 * A real import process for the SIGKILL test: imports one file into a workspace, saying on stdout when its
 * transaction has begun ("in-transaction") and when it finished ("done").
 */
import { importFile } from '../../../main/engine/ingest';
import { Workspace } from '../../../main/engine/workspace';

const [workspace, file] = process.argv.slice(2) as [string, string];
const ws = await Workspace.open(workspace);
const transaction = ws.transaction.bind(ws);
ws.transaction = (fn) =>
  transaction((tx) => {
    process.stdout.write('in-transaction\n');
    return fn(tx);
  });
const outcome = await importFile(ws, file, {});
await ws.close();
process.stdout.write(`done ${JSON.stringify(outcome)}\n`);
