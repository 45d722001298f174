/** A pull as a job of the engine's runner: progress, notices, cancel, and the summary with the pull's counts. */
import type { JobSummary } from '../../../../preload/contract';
import type { JobRunner } from '../../jobs';
import { runtimeNotice } from './clients';
import type { PullHooks, PullSummary } from './pull-report';

export function startPullJob(
  jobs: JobRunner,
  kind: 'pull.s3' | 'pull.cloudwatch',
  pull: (hooks: PullHooks) => Promise<PullSummary>,
  notify: (payload: { jobId: string; message: string }) => void,
): { jobId: string } {
  const jobId: string = jobs.start(kind, async ({ signal, progress }): Promise<JobSummary> => {
    const runtime = runtimeNotice();
    if (runtime) notify({ jobId, message: runtime });
    const s = await pull({ signal, progress, notice: (message) => notify({ jobId, message }) });
    return {
      records: s.records,
      rejected: s.rejected,
      ...(s.rejectedEvents ? { rejectedEvents: s.rejectedEvents } : {}),
      ...(s.rejectedRows ? { rejectedRows: s.rejectedRows } : {}),
      files: [],
      pull: {
        objects: s.objects,
        skipped: s.skipped,
        failed: s.failed,
        ...(s.controlMessages ? { controlMessages: s.controlMessages } : {}),
        ...(s.heldBefore ? { heldBefore: s.heldBefore } : {}),
        ...(s.passedOver ? { passedOver: s.passedOver } : {}),
        ...(s.sources ? { sources: s.sources } : {}),
      },
    };
  });
  return { jobId };
}
