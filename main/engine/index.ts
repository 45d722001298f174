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
  EngineEventName,
  EventPayload,
  JobInfo,
  Output,
  ParsedInput,
} from '../../preload/contract';
import { FlowscopeError } from './errors';
import { FileRegistry } from './files';
import { JobRunner } from './jobs';
import { aboutFlowscope } from './about';
import { awsIpRangesFile, awsIpRangesState, awsIpRangesUrl, refreshAwsIpRanges } from './ingest/aws/ip-ranges';
import { listProfiles } from './ingest/aws/profiles';
import { importFilesJob } from './ingest/files-job';
import type { ImportOptions } from './ingest/import-file';
import { Library, libraryLocation } from './library';
import { LibraryChannels } from './library/service';
import { QueryService } from './query';
import { Workspace, type OpenOptions } from './workspace';
import { vpcRangesOf } from './workspace/vpc-ranges';

export type EngineEvent = { [E in EngineEventName]: { event: E; payload: EventPayload<E> } }[EngineEventName];
export type EngineListener = (event: EngineEvent) => void;

export interface EngineOptions extends Omit<OpenOptions, 'create'> {
  /** Path of the workspace file. */
  workspace: string;
  /** Create the file when it does not exist (otherwise: not_found). */
  create?: boolean;
  /** How long a query may run before it is interrupted (default 5 minutes). */
  queryTimeoutMs?: number;
  /** The user's library folder; default `library/` beside the workspace file (see main/engine/library). */
  libraryDir?: string;
  /** Interactive hosts: run the built-in dashboards' panels at open and after each import, into the result cache. */
  warmDashboards?: boolean;
  /** AWS's ip-ranges.json for aws_service/aws_region; default `awsIpRangesFile()` (the user's data folder). */
  awsIpRangesFile?: string;
  /** Where `addressData.refreshAwsIpRanges` fetches it; default `awsIpRangesUrl()` (AWS). */
  awsIpRangesUrl?: string;
}

export class Engine implements ContractHandlers {
  readonly files = new FileRegistry();
  readonly jobs: JobRunner;
  private readonly listeners = new Set<EngineListener>();
  private queryService: QueryService | undefined;
  private queryTimeoutMs: number | undefined;
  private awsIpRanges = awsIpRangesFile();
  private awsIpRangesSource = awsIpRangesUrl();

  readonly library: Library;
  private readonly libraryChannels: LibraryChannels;

  private constructor(
    readonly workspace: Workspace,
    libraryDir?: string,
  ) {
    this.jobs = new JobRunner((event, payload) => this.emit({ event, payload } as EngineEvent));
    // Kept results and pooled connections belong to the instance that compaction replaces.
    workspace.onReplace(() => this.queryService?.close());
    this.library = new Library(libraryLocation(workspace.path, libraryDir));
    this.libraryChannels = new LibraryChannels({
      library: this.library,
      files: this.files,
      workspace,
      runPanel: (input) => this.queries.run(input, 'panel'),
      chart: (input) => this.queryChart(input),
      copyResult: (resultId, path, copyOptions) => this.queries.copyResult(resultId, path, copyOptions),
    });
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const {
      workspace,
      libraryDir,
      queryTimeoutMs,
      warmDashboards,
      awsIpRangesFile: awsFile,
      awsIpRangesUrl: awsUrl,
      ...rest
    } = options;
    const engine = new Engine(await Workspace.open(workspace, rest), libraryDir);
    engine.queryTimeoutMs = queryTimeoutMs;
    if (awsFile) engine.awsIpRanges = awsFile;
    if (awsUrl) engine.awsIpRangesSource = awsUrl;
    if (warmDashboards) engine.warmDashboards();
    return engine;
  }

  /** Subscribes to events; answers the function that unsubscribes. */
  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    // Nothing may run on the instance when it closes (DuckDB aborts the process): the warm-up stops
    // between dashboards, queries are interrupted, and their connections close once they have ended.
    this.stopWarming.abort();
    this.queryService?.close();
    await this.warmedUp;
    await this.queryService?.closed();
    this.libraryChannels.downloads.clear();
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

  workspaceVpcRanges(): Promise<Output<'workspace.vpcRanges'>> {
    return vpcRangesOf(this.workspace).current();
  }

  workspaceSetVpcRanges(input: ParsedInput<'workspace.setVpcRanges'>): Promise<Output<'workspace.setVpcRanges'>> {
    return vpcRangesOf(this.workspace).set(input.cidrs);
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

  async ingestFiles(input: ParsedInput<'ingest.files'>): Promise<Output<'ingest.files'>> {
    const paths = input.files.map((handle) => this.files.resolve(handle));
    return { jobId: this.startImport(paths, input.logFormat ? { logFormat: input.logFormat } : {}) };
  }

  /** The import job behind `ingest.files`; in-process callers (the demo) also give the ledger's source. */
  startImport(paths: readonly string[], options: ImportOptions): string {
    return this.jobs.start('import', (ctx) => importFilesJob(this.workspace, paths, options, ctx));
  }

  // query.*

  private get queries(): QueryService {
    this.queryService ??= new QueryService(this.workspace, this.queryTimeoutMs, {
      awsIpRangesFile: this.awsIpRanges,
    });
    return this.queryService;
  }

  queryRun(input: ParsedInput<'query.run'>): Promise<Output<'query.run'>> {
    return this.queries.run(input);
  }

  // lookup.*

  async lookupList(): Promise<Output<'lookup.list'>> {
    return { tables: this.queries.lookupTables() };
  }

  lookupImport(input: ParsedInput<'lookup.import'>): Promise<Output<'lookup.import'>> {
    return this.queries.importLookupTable(input.name, this.files.resolve(input.file));
  }

  // addressData.*, app.*

  addressDataAwsIpRanges(): Promise<Output<'addressData.awsIpRanges'>> {
    return awsIpRangesState(this.awsIpRanges);
  }

  /** A query after this one reloads the AWS ranges: the loader sees the file changed. */
  async addressDataRefreshAwsIpRanges(): Promise<Output<'addressData.refreshAwsIpRanges'>> {
    await refreshAwsIpRanges(this.awsIpRanges, this.awsIpRangesSource);
    return awsIpRangesState(this.awsIpRanges);
  }

  async appAbout(): Promise<Output<'app.about'>> {
    return aboutFlowscope();
  }

  queryPage(input: ParsedInput<'query.page'>): Promise<Output<'query.page'>> {
    return this.queries.page(input);
  }

  queryChart(input: ParsedInput<'query.chart'>): Promise<Output<'query.chart'>> {
    return this.queries.chart(input);
  }

  queryStats(input: ParsedInput<'query.stats'>): Promise<Output<'query.stats'>> {
    return this.queries.stats(input);
  }

  queryHistogram(input: ParsedInput<'query.histogram'>): Promise<Output<'query.histogram'>> {
    return this.queries.histogram(input);
  }

  queryFields(input: ParsedInput<'query.fields'>): Promise<Output<'query.fields'>> {
    return this.queries.fields(input);
  }

  queryCompile(input: ParsedInput<'query.compile'>): Promise<Output<'query.compile'>> {
    return this.queries.compile(input);
  }

  queryComplete(input: ParsedInput<'query.complete'>): Promise<Output<'query.complete'>> {
    return this.queries.complete(input);
  }

  queryCancel(input: ParsedInput<'query.cancel'>): Promise<Output<'query.cancel'>> {
    return this.queries.cancel(input);
  }

  // remote.* (main/engine/remote/)

  remotePlan(input: ParsedInput<'remote.plan'>): Promise<Output<'remote.plan'>> {
    return this.queries.remote.plan(input);
  }

  remoteRun(input: ParsedInput<'remote.run'>): Promise<Output<'remote.run'>> {
    return this.queries.remote.run(input);
  }

  remoteAthenaTable(input: ParsedInput<'remote.athenaTable'>): Promise<Output<'remote.athenaTable'>> {
    return this.queries.remote.athenaTable(input);
  }

  // pull.*, aws.* (main/engine/ingest/s3.ts, cloudwatch.ts, aws/)

  async pullS3(input: ParsedInput<'pull.s3'>): Promise<Output<'pull.s3'>> {
    const aws = await import('./aws');
    return aws.startPullJob(
      this.jobs,
      'pull.s3',
      (hooks) => aws.pullS3(this.workspace, input, hooks),
      (payload) => this.emit({ event: 'pull.notice', payload }),
    );
  }

  async pullCloudwatch(input: ParsedInput<'pull.cloudwatch'>): Promise<Output<'pull.cloudwatch'>> {
    const aws = await import('./aws');
    return aws.startPullJob(
      this.jobs,
      'pull.cloudwatch',
      (hooks) => aws.pullCloudWatch(this.workspace, input, hooks),
      (payload) => this.emit({ event: 'pull.notice', payload }),
    );
  }

  async awsProfiles(): Promise<Output<'aws.profiles'>> {
    return { profiles: listProfiles() };
  }

  async awsLogGroups(input: ParsedInput<'aws.logGroups'>): Promise<Output<'aws.logGroups'>> {
    const aws = await import('./aws');
    return { groups: await aws.listLogGroups(input, input.prefix) };
  }

  async awsStreams(input: ParsedInput<'aws.streams'>): Promise<Output<'aws.streams'>> {
    const aws = await import('./aws');
    return { streams: await aws.listLogStreams(input, input.logGroup, input.prefix) };
  }

  async awsBuckets(input: ParsedInput<'aws.buckets'>): Promise<Output<'aws.buckets'>> {
    const aws = await import('./aws');
    return { buckets: await aws.listBuckets(input) };
  }

  // library.*, dashboard.* (main/engine/library)

  libraryList(input: ParsedInput<'library.list'>) {
    return this.libraryChannels.libraryList(input);
  }

  libraryGet(input: ParsedInput<'library.get'>) {
    return this.libraryChannels.libraryGet(input);
  }

  librarySave(input: ParsedInput<'library.save'>) {
    return this.libraryChannels.librarySave(input);
  }

  libraryRename(input: ParsedInput<'library.rename'>) {
    return this.libraryChannels.libraryRename(input);
  }

  libraryDelete(input: ParsedInput<'library.delete'>) {
    return this.libraryChannels.libraryDelete(input);
  }

  libraryTrust(input: ParsedInput<'library.trust'>) {
    return this.libraryChannels.libraryTrust(input);
  }

  libraryImport(input: ParsedInput<'library.import'>) {
    return this.libraryChannels.libraryImport(input);
  }

  libraryExport(input: ParsedInput<'library.export'>) {
    return this.libraryChannels.libraryExport(input);
  }

  dashboardList() {
    return this.libraryChannels.dashboardList();
  }

  dashboardGet(input: ParsedInput<'dashboard.get'>) {
    return this.libraryChannels.dashboardGet(input);
  }

  dashboardSave(input: ParsedInput<'dashboard.save'>) {
    return this.libraryChannels.dashboardSave(input);
  }

  dashboardDelete(input: ParsedInput<'dashboard.delete'>) {
    return this.libraryChannels.dashboardDelete(input);
  }

  dashboardPin(input: ParsedInput<'dashboard.pin'>) {
    return this.libraryChannels.dashboardPin(input);
  }

  dashboardRunPanel(input: ParsedInput<'dashboard.runPanel'>) {
    return this.libraryChannels.dashboardRunPanel(input);
  }

  exportResult(input: ParsedInput<'export.result'>) {
    return this.libraryChannels.exportResult(input);
  }

  /** The latest warm-up of the built-in dashboards (see `warmDashboards` in EngineOptions); it never rejects. */
  warmedUp: Promise<void> = Promise.resolve();
  private readonly stopWarming = new AbortController();

  /** Fill the result cache with the built-in dashboards now and after every finished job that may import. */
  private warmDashboards(): void {
    const warm = () => {
      this.warmedUp = this.libraryChannels.warmBuiltinDashboards(this.stopWarming.signal).catch(() => undefined);
    };
    this.on((e) => e.event === 'job.state' && e.payload.state === 'done' && warm());
    warm();
  }

  /** The file of a finished export, handed out once to the host that serves downloads (`flowscope serve`). */
  takeDownload(downloadId: string) {
    return this.libraryChannels.downloads.take(downloadId);
  }
}
