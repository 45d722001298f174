/**
 * A process for the kill -9 part of the reliability suite to kill: it opens a workspace, says "started",
 * and does one thing through the engine as the app does (import a folder, pull from S3 or CloudWatch), or
 * checkpoints and compacts the workspace over and over. It is killed at a random moment; "done" says it
 * finished first.
 *
 *   kill-child.ts import <workspace> <folder>
 *   kill-child.ts checkpoint <workspace>
 *   kill-child.ts s3 <workspace> <endpoint> <s3-url>
 *   kill-child.ts cloudwatch <workspace> <endpoint> <log-group> <from> <to>
 */
import type { JobInfo } from '../../preload/contract';
import { Engine } from '../../main/engine';
import { call } from '../../main/engine/dispatch';

const [mode, workspace, ...rest] = process.argv.slice(2) as [string, string, ...string[]];
const engine = await Engine.open({ workspace });
process.stdout.write('started\n');

async function job(channel: 'ingest.files' | 'pull.s3' | 'pull.cloudwatch', input: unknown): Promise<void> {
  const { jobId } = (await call(engine, channel, input)) as { jobId: string };
  const info = (await call(engine, 'job.wait', { jobId })) as JobInfo;
  if (info.state !== 'done') throw new Error(`${channel} ended ${info.state}: ${info.error}`);
}

if (mode === 'import') await job('ingest.files', { files: [engine.files.register(rest[0]!)] });
else if (mode === 's3') await job('pull.s3', { url: rest[1], endpointUrl: rest[0] });
else if (mode === 'cloudwatch')
  await job('pull.cloudwatch', { logGroup: rest[1], endpointUrl: rest[0], from: rest[2], to: rest[3] });
else if (mode === 'checkpoint') {
  for (;;) {
    await engine.workspace.run('CHECKPOINT');
    await engine.workspace.compact();
  }
} else throw new Error(`no mode ${mode}`);
await engine.close();
process.stdout.write('done\n');
