/**
 * The engine: one open workspace and one method per contract channel (`query.run` → `queryRun`), plus an
 * event stream. Hosts (CLI, `flowscope serve`, the Electron utility process) call it through `dispatch`.
 *
 *   const engine = await Engine.open({ workspace: 'flows.duckdb', create: true });
 *   const off = engine.on(({ event, payload }) => …);   // job.progress, job.state
 *   await engine.close();
 */
import type {
  ContractHandlers,
  EventName,
  EventPayload,
  JobInfo,
  Output,
  ParsedInput,
} from '../../preload/contract';
import { FlowscopeError } from './errors';
import { FileRegistry } from './files';
import { JobRunner } from './jobs';
import { listBuckets, listLogGroups, listLogStreams } from './ingest/aws/listings';
import { listProfiles } from './ingest/aws/profiles';
import { startPullJob } from './ingest/aws/pull-jobs';
import { pullCloudWatch } from './ingest/cloudwatch';
import { pullS3 } from './ingest/s3';
import { Workspace, type OpenOptions } from './workspace';

export type EngineEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];
export type EngineListener = (event: EngineEvent) => void;

export interface EngineOptions extends Omit<OpenOptions, 'create'> {
  /** Path of the workspace file. */
  workspace: string;
  /** Create the file when it does not exist (otherwise: not_found). */
  create?: boolean;
}

/** A channel whose engine side another part of the project is still building. */
function notBuilt(channel: string): never {
  throw new FlowscopeError('internal', `${channel} is not available in this build of Flowscope yet.`);
}

export class Engine implements ContractHandlers {
  readonly files = new FileRegistry();
  readonly jobs: JobRunner;
  private readonly listeners = new Set<EngineListener>();

  private constructor(readonly workspace: Workspace) {
    this.jobs = new JobRunner((event, payload) => this.emit({ event, payload } as EngineEvent));
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const { workspace, ...rest } = options;
    return new Engine(await Workspace.open(workspace, rest));
  }

  /** Subscribes to events; answers the function that unsubscribes. */
  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.jobs.stopAll();
    await this.workspace.close();
    this.listeners.clear();
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its host's problem; it must not stop the job that emitted.
      }
    }
  }

  // workspace.*

  workspaceInfo(): Promise<Output<'workspace.info'>> {
    return this.workspace.info();
  }

  workspaceImports(input: ParsedInput<'workspace.imports'>): Promise<Output<'workspace.imports'>> {
    return this.workspace.imports(input.offset, input.limit);
  }

  async workspaceRemoveImport(input: ParsedInput<'workspace.removeImport'>): Promise<Output<'workspace.removeImport'>> {
    return { removedRecords: await this.workspace.removeImport(input.importId) };
  }

  workspaceCompact(): Promise<Output<'workspace.compact'>> {
    return this.workspace.compact();
  }

  workspaceRejected(input: ParsedInput<'workspace.rejected'>): Promise<Output<'workspace.rejected'>> {
    return this.workspace.rejected(input.importId, input.offset, input.limit);
  }

  // job.*

  async jobList(): Promise<Output<'job.list'>> {
    return this.jobs.list();
  }

  async jobCancel(input: ParsedInput<'job.cancel'>): Promise<Output<'job.cancel'>> {
    return { cancelled: this.jobs.cancel(input.jobId) };
  }

  async jobWait(input: ParsedInput<'job.wait'>): Promise<JobInfo> {
    const done = this.jobs.wait(input.jobId);
    if (!done) throw new FlowscopeError('not_found', `There is no job ${input.jobId}.`);
    return done;
  }

  // ingest.*

  async ingestFiles(_input: ParsedInput<'ingest.files'>): Promise<Output<'ingest.files'>> {
    return notBuilt('ingest.files');
  }

  // query.*

  async queryRun(_input: ParsedInput<'query.run'>): Promise<Output<'query.run'>> {
    return notBuilt('query.run');
  }

  async queryPage(_input: ParsedInput<'query.page'>): Promise<Output<'query.page'>> {
    return notBuilt('query.page');
  }

  async queryCompile(_input: ParsedInput<'query.compile'>): Promise<Output<'query.compile'>> {
    return notBuilt('query.compile');
  }

  async queryComplete(_input: ParsedInput<'query.complete'>): Promise<Output<'query.complete'>> {
    return notBuilt('query.complete');
  }

  async queryCancel(_input: ParsedInput<'query.cancel'>): Promise<Output<'query.cancel'>> {
    return notBuilt('query.cancel');
  }

  // pull.*, aws.* (main/engine/ingest/s3.ts, cloudwatch.ts, aws/)

  async pullS3(input: ParsedInput<'pull.s3'>): Promise<Output<'pull.s3'>> {
    return startPullJob(this.jobs, 'pull.s3', (hooks) => pullS3(this.workspace, input, hooks), (payload) => this.emit({ event: 'pull.notice', payload }));
  }

  async pullCloudwatch(input: ParsedInput<'pull.cloudwatch'>): Promise<Output<'pull.cloudwatch'>> {
    return startPullJob(this.jobs, 'pull.cloudwatch', (hooks) => pullCloudWatch(this.workspace, input, hooks), (payload) => this.emit({ event: 'pull.notice', payload }));
  }

  async awsProfiles(): Promise<Output<'aws.profiles'>> {
    return { profiles: listProfiles() };
  }

  async awsLogGroups(input: ParsedInput<'aws.logGroups'>): Promise<Output<'aws.logGroups'>> {
    return { groups: await listLogGroups(input, input.prefix) };
  }

  async awsStreams(input: ParsedInput<'aws.streams'>): Promise<Output<'aws.streams'>> {
    return { streams: await listLogStreams(input, input.logGroup, input.prefix) };
  }

  async awsBuckets(input: ParsedInput<'aws.buckets'>): Promise<Output<'aws.buckets'>> {
    return { buckets: await listBuckets(input) };
  }
}
