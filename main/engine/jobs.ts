/**
 * The job runner: long work (imports, pulls) runs as a job that reports progress, can be cancelled, and
 * ends with one final state and a summary.
 *
 *   const jobId = runner.start('import', async ({ signal, progress }) => {
 *     progress({ bytesTotal, itemsTotal });            // merge what is known; rate and estimate are derived
 *     ...; if (signal.aborted) ...;                    // stop soon after cancel
 *     return { records, rejected, files };             // the summary
 *   });
 *
 * Events: `job.progress` at most every `progressIntervalMs` (plus one last update before the end), then
 * `job.state` once with the final state. A body that throws fails the job with its message; a body that
 * stops (returns or throws) after cancel ends as `cancelled`, keeping the summary it returned.
 */
import { randomUUID } from 'node:crypto';
import type { EventName, EventPayload, JobInfo, JobProgress, JobSummary, WorkProgress } from '../../preload/contract';

/** A body reports what it knows of its progress; the runner keeps the rest from before. */
export type ProgressUpdate = Partial<WorkProgress>;

export interface JobContext {
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
}

export type JobBody = (ctx: JobContext) => Promise<JobSummary>;

export type JobEmit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

interface Job {
  info: JobInfo;
  controller: AbortController;
  done: Promise<JobInfo>;
}

/** Finished jobs kept for `job.list` and `job.wait`. */
const KEEP_FINISHED = 200;

export class JobRunner {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly emit: JobEmit,
    private readonly progressIntervalMs = 100,
  ) {}

  start(kind: string, body: JobBody): string {
    const jobId = `job_${randomUUID()}`;
    const controller = new AbortController();
    const info: JobInfo = { jobId, kind, state: 'running' };
    const reporter = new ProgressReporter(jobId, kind, this.progressIntervalMs, (p) => this.emit('job.progress', p));
    const done = (async (): Promise<JobInfo> => {
      await Promise.resolve(); // the caller gets the id before the first event
      this.emit('job.state', { ...info });
      try {
        if (controller.signal.aborted) throw new Error('cancelled before it started');
        const summary = await body({ signal: controller.signal, progress: (u) => reporter.update(u) });
        Object.assign(info, { state: controller.signal.aborted ? 'cancelled' : 'done', summary });
      } catch (err) {
        if (controller.signal.aborted) info.state = 'cancelled';
        else Object.assign(info, { state: 'failed', error: err instanceof Error ? err.message : String(err) });
      }
      reporter.flush();
      this.emit('job.state', { ...info });
      this.forgetOldJobs();
      return { ...info };
    })();
    this.jobs.set(jobId, { info, controller, done });
    return jobId;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  /** Answers whether the job was running (and is now asked to stop). */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.info.state !== 'running') return false;
    job.controller.abort();
    return true;
  }

  wait(jobId: string): Promise<JobInfo> | undefined {
    return this.jobs.get(jobId)?.done;
  }

  /** Cancels every running job and waits for them to end (closing the engine). */
  async stopAll(): Promise<void> {
    const running = [...this.jobs.values()].filter((j) => j.info.state === 'running');
    for (const j of running) j.controller.abort();
    await Promise.allSettled(running.map((j) => j.done));
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.info.jobId);
  }
}

/** Keeps the latest progress and sends it at most once per interval. */
class ProgressReporter {
  private readonly startedAt = Date.now();
  private lastSent = 0;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private state: Omit<JobProgress, 'rate' | 'etaMs'>;

  constructor(
    jobId: string,
    kind: string,
    private readonly intervalMs: number,
    private readonly send: (p: JobProgress) => void,
  ) {
    this.state = {
      jobId,
      kind,
      bytesDone: 0,
      bytesTotal: null,
      itemsDone: 0,
      itemsTotal: null,
      records: 0,
      rejected: 0,
    };
  }

  update(u: ProgressUpdate): void {
    this.state = { ...this.state, ...u };
    this.pending = true;
    if (this.timer === undefined) this.sendWhenDue();
  }

  /** Sends now if an interval has passed, else sets a timer that checks again: Node's timers count from the
   * event loop's cached time, which lags the clock by however long the current turn has run, so a timer can fire
   * a few milliseconds before the interval has passed. */
  private sendWhenDue(): void {
    this.timer = undefined;
    const wait = this.lastSent + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.sendWhenDue(), wait);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    this.pending = false;
    this.lastSent = Date.now();
    const seconds = Math.max((this.lastSent - this.startedAt) / 1000, 0.001);
    const rate = this.state.bytesDone / seconds;
    const left = this.state.bytesTotal === null ? null : Math.max(0, this.state.bytesTotal - this.state.bytesDone);
    const etaMs = left === null || rate <= 0 ? null : Math.round((left / rate) * 1000);
    this.send({ ...this.state, rate, etaMs });
  }
}
