/**
 * Imports and pulls as the app shows them: each job with its progress (from `job.progress` events),
 * its end state and summary (from `job.state`), and a way to cancel it. Files reach the engine as
 * handles: under Electron from the native picker, in the browser by uploading them to `flowscope serve`,
 * which keeps them in the workspace's staging folder.
 */
import type { Input, JobInfo, JobProgress, JobSummary, RejectedLine } from '../../../preload/contract';
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

const UPLOAD_PATH = '/upload';

/** Sends one file's bytes to `flowscope serve`; answers its file handle (imports, lookup tables). */
export function uploadFile(file: File, onProgress: (loaded: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', UPLOAD_PATH);
    xhr.setRequestHeader('X-Flowscope-File-Name', encodeURIComponent(file.name));
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded));
    xhr.addEventListener('load', () => {
      if (xhr.status === 200) resolve((JSON.parse(xhr.responseText) as { handle: string }).handle);
      else reject(new Error(xhr.responseText || `Upload failed (${xhr.status}).`));
    });
    xhr.addEventListener('error', () => reject(new Error('The upload was interrupted.')));
    xhr.send(file);
  });
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

  async importHandles(handles: string[], label: string): Promise<void> {
    const { jobId } = await api().invoke('ingest.files', { files: handles });
    this.track(jobId, 'import', label);
  }

  /** Browser: upload the dropped or chosen files, then import them as one job. */
  async uploadAndImport(files: File[]): Promise<void> {
    if (files.length === 0) return;
    const label = files.length === 1 ? files[0]!.name : `${files.length} files`;
    const total = files.reduce((sum, f) => sum + f.size, 0);
    this.list.unshift({
      jobId: `upload-${Date.now()}`,
      kind: 'upload',
      label,
      state: 'uploading',
      progress: null,
      summary: null,
      error: null,
      notice: null,
      upload: { done: 0, total },
    });
    const view = this.list[0]!;
    try {
      const handles: string[] = [];
      let before = 0;
      for (const file of files) {
        handles.push(await uploadFile(file, (loaded) => (view.upload = { done: before + loaded, total })));
        before += file.size;
      }
      const { jobId } = await api().invoke('ingest.files', { files: handles });
      view.jobId = jobId;
      view.kind = 'import';
      view.state = 'running';
      view.upload = null;
      void api()
        .invoke('job.wait', { jobId })
        .then((info) => this.settle(info))
        .catch(() => undefined);
    } catch (err) {
      view.state = 'failed';
      view.error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Electron: the native dialog; the host registers the picked paths and answers handles. */
  async pickAndImport(): Promise<boolean> {
    const pick = api().pickFiles;
    if (!pick) return false;
    const handles = await pick();
    if (handles.length) await this.importHandles(handles, handles.length === 1 ? '1 file' : `${handles.length} files`);
    return true;
  }

  /** Files dropped on the window: handed over by the Electron host, uploaded in the browser. */
  async importDropped(files: File[], walkFolders: () => Promise<File[]>): Promise<void> {
    const drop = api().dropFiles;
    if (!drop) return this.uploadAndImport(await walkFolders());
    const handles = await drop(files);
    if (handles.length)
      await this.importHandles(
        handles,
        handles.length === 1 ? (files[0]?.name ?? '1 file') : `${handles.length} files`,
      );
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
  async rejectedLines(job: JobView, limit = 500): Promise<{ total: number; lines: RejectedLine[] }> {
    const imports = (job.summary?.files ?? [])
      .filter((f) => f.rejected > 0 && f.importId !== undefined)
      .map((f) => f.importId!);
    let total = 0;
    const lines: RejectedLine[] = [];
    for (const importId of imports) {
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
