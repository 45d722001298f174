/** An engine as `flowscope serve` serves it: uploads into its staging folder, exports handed out once. */
import type { Engine } from '../engine';
import type { OpenedWorkspace } from './workspace-folder';

/** A running job as a switch's refusal names it. */
const JOB_NAMES: Record<string, string> = {
  import: 'An import',
  'pull.s3': 'A pull from S3',
  'pull.cloudwatch': 'A pull from CloudWatch Logs',
};

export async function servedEngine(opening: Promise<Engine>): Promise<OpenedWorkspace> {
  const engine = await opening;
  return {
    engine,
    uploads: { stagingDir: engine.workspace.stagingDir, register: (path) => engine.files.register(path) },
    downloads: { take: (id) => engine.takeDownload(id) },
    busy: () => {
      const running = engine.jobs.list().find((job) => job.state === 'running');
      return running ? (JOB_NAMES[running.kind] ?? 'A job') : null;
    },
    close: () => engine.close(),
  };
}
