/**
 * Imports and pulls as the app shows them: each job with its progress (from `job.progress` events),
 * its end state and summary (from `job.state`), and a way to cancel it. Files reach the engine as handles,
 * which the client gets from its host (`FlowscopeClient.pickFiles`, `sendFiles`, `sendDropped`).
 */
import type { Input, JobInfo, JobProgress, JobSummary, RejectedLine } from '../../../preload/contract';
import type { SendProgress } from '../../../preload/rpc-client';
import { api } from './api';

export interface JobView {
  jobId: string;
  kind: string;
  label: string;
  state: JobInfo['state'] | 'uploading';
  progress: JobProgress | null;
  summary: JobSummary | null;
  error: string | null;
  notice: string | null;
  /** Upload progress in the browser, before the engine has the files. */
  upload: { done: number; total: number } | null;
}

export class Jobs {
  list = $state<JobView[]>([]);

  start(): () => void {
    const client = api();
    const stops = [
      client.on('job.progress', (p) => {
        const job = this.find(p.jobId);
        if (job && job.state === 'running') job.progress = p;
      }),
      client.on('job.state', (info) => this.settle(info)),
      client.on('pull.notice', (n) => {
        const job = this.find(n.jobId);
        if (job) job.notice = n.message;
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  private find(jobId: string): JobView | undefined {
    return this.list.find((j) => j.jobId === jobId);
  }

  private settle(info: JobInfo): void {
    const job = this.find(info.jobId);
    if (!job) return;
    job.state = info.state;
    job.summary = info.summary ?? null;
    job.error = info.error ?? null;
  }

  private track(jobId: string, kind: string, label: string): JobView {
    const existing = this.find(jobId);
    if (existing) return existing;
    this.list.unshift({
      jobId,
      kind,
      label,
      state: 'running',
      progress: null,
      summary: null,
      error: null,
      notice: null,
      upload: null,
    });
    const job = this.list[0]!;
    // An end that came before we listened (a tiny import) is picked up here.
    void api()
      .invoke('job.wait', { jobId })
      .then((info) => this.settle(info))
      .catch(() => undefined);
    return job;
  }

  /**
   * Imports files as one job once the host has them as handles (`send` asks the client for them). While a
   * browser uploads them, a card shows the bytes sent; a failed upload stays on that card. Without a label
   * (files picked in the host's dialog, whose names the page never sees) the job is named by their count.
   */
  async importFiles(label: string | null, send: (progress: SendProgress) => Promise<string[]>): Promise<void> {
    // Set inside the progress callback, so not narrowed to null here.
    let view = null as JobView | null;
    try {
      const handles = await send((upload) => {
        if (!view) {
          this.list.unshift({
            jobId: `upload-${Date.now()}`,
            kind: 'upload',
            label: label ?? 'Files',
            state: 'uploading',
            progress: null,
            summary: null,
            error: null,
            notice: null,
            upload,
          });
          view = this.list[0]!;
        } else view.upload = upload;
      });
      if (handles.length === 0) {
        if (view) this.dismiss(view.jobId);
        return;
      }
      const { jobId } = await api().invoke('ingest.files', { files: handles });
      if (!view) {
        this.track(jobId, 'import', label ?? (handles.length === 1 ? '1 file' : `${handles.length} files`));
        return;
      }
      view.jobId = jobId;
      view.kind = 'import';
      view.state = 'running';
      view.upload = null;
      void api()
        .invoke('job.wait', { jobId })
        .then((info) => this.settle(info))
        .catch(() => undefined);
    } catch (err) {
      if (!view) throw err;
      view.state = 'failed';
      view.error = err instanceof Error ? err.message : String(err);
    }
  }

  async pullS3(input: Input<'pull.s3'>): Promise<void> {
    const { jobId } = await api().invoke('pull.s3', input);
    this.track(jobId, 'pull.s3', input.url);
  }

  async pullCloudWatch(input: Input<'pull.cloudwatch'>): Promise<void> {
    const { jobId } = await api().invoke('pull.cloudwatch', input);
    this.track(jobId, 'pull.cloudwatch', input.logGroup);
  }

  async cancel(jobId: string): Promise<void> {
    await api().invoke('job.cancel', { jobId });
  }

  dismiss(jobId: string): void {
    this.list = this.list.filter((j) => j.jobId !== jobId);
  }

  /** The rejected lines of a finished job, from every import it made that had any. */
  rejectedLines(job: JobView, limit = 500): Promise<{ total: number; lines: RejectedLine[] }> {
    const imports = (job.summary?.files ?? [])
      .filter((f) => f.rejected > 0 && f.importId !== undefined)
      .map((f) => f.importId!);
    return rejectedLinesOf(imports, limit);
  }
}

/** The rejected lines of these imports (a job's, or one the Imports view lists), the first `limit` of them. */
export async function rejectedLinesOf(
  importIds: readonly number[],
  limit = 500,
): Promise<{ total: number; lines: RejectedLine[] }> {
  let total = 0;
  const lines: RejectedLine[] = [];
  for (const importId of importIds) {
    const page = await api().invoke('workspace.rejected', {
      importId,
      limit: Math.max(1, Math.min(limit - lines.length, 10_000)),
    });
    total += page.total;
    lines.push(...page.lines);
    if (lines.length >= limit) break;
  }
  return { total, lines };
}

/** Share of the work done, 0..1, or null when the total is not known yet. */
export function fractionDone(job: JobView): number | null {
  if (job.upload) return job.upload.total ? job.upload.done / job.upload.total : null;
  const p = job.progress;
  if (!p) return null;
  if (p.bytesTotal) return Math.min(1, p.bytesDone / p.bytesTotal);
  if (p.itemsTotal) return Math.min(1, p.itemsDone / p.itemsTotal);
  return null;
}
