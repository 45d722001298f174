/**
 * The engine: one open workspace and one method per contract channel (`query.run` → `queryRun`), plus an
 * event stream. Hosts (CLI, `flowscope serve`, the Electron utility process) call it through `dispatch`.
 *
 * Opening one loads DuckDB and the workspace code only: the query languages, the library (with the
 * contract's schemas) and the import formats load with the first call that needs them, so that a command such
 * as `flowscope info` starts without them.
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
import { Downloads } from './library/export-result';
import type { ImportOptions } from './ingest/import-file';
import type { LibraryChannels } from './library/service';
import type { QueryService } from './query';
import type { RemoteOptions } from './remote';
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
  /** How remote queries retry their AWS calls: the pulls' attempts and backoff when absent (tests shorten them). */
  remoteRetry?: RemoteOptions['retry'];
  /** AWS's ip-ranges.json for aws_service/aws_region; default `awsIpRangesFile()` (the user's data folder). */
  awsIpRangesFile?: string;
  /** Where `addressData.refreshAwsIpRanges` fetches it; default `awsIpRangesUrl()` (AWS). */
  awsIpRangesUrl?: string;
}

export class Engine implements ContractHandlers {
  readonly files = new FileRegistry();
  /** Exports waiting for the browser to download them (`flowscope serve` hands each out once). */
  private readonly downloads = new Downloads();
  readonly jobs: JobRunner;
  private readonly listeners = new Set<EngineListener>();
  /** Set once the query service has loaded (see `queries`). */
  private queryService: QueryService | undefined;
  private queryServiceLoading: Promise<QueryService> | undefined;
  private queryTimeoutMs: number | undefined;
  private remoteRetry: RemoteOptions['retry'];
  private awsIpRanges = awsIpRangesFile();
  private awsIpRangesSource = awsIpRangesUrl();

  private libraryLoading: Promise<LibraryChannels> | undefined;

  private constructor(
    readonly workspace: Workspace,
    private readonly libraryDir?: string,
  ) {
    this.jobs = new JobRunner((event, payload) => this.emit({ event, payload } as EngineEvent));
    // Kept results and pooled connections belong to the instance that compaction replaces.
    workspace.onReplace(() => {
      this.queryService?.close();
      return this.queryService?.closed();
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
      remoteRetry,
      ...rest
    } = options;
    const engine = new Engine(await Workspace.open(workspace, rest), libraryDir);
    engine.queryTimeoutMs = queryTimeoutMs;
    engine.remoteRetry = remoteRetry;
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
    // A service still loading is closed too, once it is there. No query starts after this, not even a
    // dashboard panel asked again by a warm-up still running.
    const queries = await this.queryServiceLoading;
    const queriesClosed = queries?.shutDown();
    await this.warmedUp;
    await queriesClosed;
    this.downloads.clear();
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
    return this.workspace.imports(input.offset, input.limit, input.newestFirst);
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
    return this.jobs.start('import', async (ctx) => {
      const { importFilesJob } = await import('./ingest/files-job');
      return importFilesJob(this.workspace, paths, options, ctx);
    });
  }

  // query.*

  /** The query service (the languages, charts, remote engines), loaded and made with the first call. */
  private queries(): Promise<QueryService> {
    this.queryServiceLoading ??= import('./query').then(({ QueryService }) => {
      this.queryService = new QueryService(
        this.workspace,
        this.queryTimeoutMs,
        { awsIpRangesFile: this.awsIpRanges },
        { notice: (payload) => this.emit({ event: 'remote.notice', payload }), retry: this.remoteRetry },
      );
      return this.queryService;
    });
    return this.queryServiceLoading;
  }

  async queryRun(input: ParsedInput<'query.run'>): Promise<Output<'query.run'>> {
    return (await this.queries()).run(input);
  }

  // lookup.*

  async lookupList(): Promise<Output<'lookup.list'>> {
    return { tables: (await this.queries()).lookupTables() };
  }

  async lookupImport(input: ParsedInput<'lookup.import'>): Promise<Output<'lookup.import'>> {
    const file = this.files.resolve(input.file);
    return (await this.queries()).importLookupTable(input.name, file);
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

  async queryPage(input: ParsedInput<'query.page'>): Promise<Output<'query.page'>> {
    return (await this.queries()).page(input);
  }

  async queryChart(input: ParsedInput<'query.chart'>): Promise<Output<'query.chart'>> {
    return (await this.queries()).chart(input);
  }

  async queryStats(input: ParsedInput<'query.stats'>): Promise<Output<'query.stats'>> {
    return (await this.queries()).stats(input);
  }

  async queryHistogram(input: ParsedInput<'query.histogram'>): Promise<Output<'query.histogram'>> {
    return (await this.queries()).histogram(input);
  }

  async queryFields(input: ParsedInput<'query.fields'>): Promise<Output<'query.fields'>> {
    return (await this.queries()).fields(input);
  }

  async queryCompile(input: ParsedInput<'query.compile'>): Promise<Output<'query.compile'>> {
    return (await this.queries()).compile(input);
  }

  async queryComplete(input: ParsedInput<'query.complete'>): Promise<Output<'query.complete'>> {
    return (await this.queries()).complete(input);
  }

  async queryCancel(input: ParsedInput<'query.cancel'>): Promise<Output<'query.cancel'>> {
    return (await this.queries()).cancel(input);
  }

  // remote.* (main/engine/remote/)

  async remotePlan(input: ParsedInput<'remote.plan'>): Promise<Output<'remote.plan'>> {
    return (await this.queries()).remote.plan(input);
  }

  async remoteRun(input: ParsedInput<'remote.run'>): Promise<Output<'remote.run'>> {
    return (await this.queries()).remote.run(input);
  }

  async remoteAthenaTable(input: ParsedInput<'remote.athenaTable'>): Promise<Output<'remote.athenaTable'>> {
    return (await this.queries()).remote.athenaTable(input);
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

  /** The library and its channels, loaded and made with the first call. */
  private library(): Promise<LibraryChannels> {
    this.libraryLoading ??= Promise.all([import('./library'), import('./library/service')]).then(
      ([{ Library, libraryLocation }, { LibraryChannels }]) => {
        return new LibraryChannels({
          library: new Library(libraryLocation(this.workspace.path, this.libraryDir)),
          files: this.files,
          workspace: this.workspace,
          downloads: this.downloads,
          runPanel: async (input) => (await this.queries()).run(input, 'panel'),
          chart: (input) => this.queryChart(input),
          copyResult: async (resultId, path, copyOptions, format, sort, queryId) =>
            (await this.queries()).copyResult(resultId, path, copyOptions, format, sort, queryId),
        });
      },
    );
    return this.libraryLoading;
  }

  async libraryList(input: ParsedInput<'library.list'>) {
    return (await this.library()).libraryList(input);
  }

  async libraryGet(input: ParsedInput<'library.get'>) {
    return (await this.library()).libraryGet(input);
  }

  async librarySave(input: ParsedInput<'library.save'>) {
    return (await this.library()).librarySave(input);
  }

  async libraryRename(input: ParsedInput<'library.rename'>) {
    return (await this.library()).libraryRename(input);
  }

  async libraryDelete(input: ParsedInput<'library.delete'>) {
    return (await this.library()).libraryDelete(input);
  }

  async libraryTrust(input: ParsedInput<'library.trust'>) {
    return (await this.library()).libraryTrust(input);
  }

  async libraryImport(input: ParsedInput<'library.import'>) {
    return (await this.library()).libraryImport(input);
  }

  async libraryExport(input: ParsedInput<'library.export'>) {
    return (await this.library()).libraryExport(input);
  }

  async dashboardList() {
    return (await this.library()).dashboardList();
  }

  async dashboardGet(input: ParsedInput<'dashboard.get'>) {
    return (await this.library()).dashboardGet(input);
  }

  async dashboardSave(input: ParsedInput<'dashboard.save'>) {
    return (await this.library()).dashboardSave(input);
  }

  async dashboardDelete(input: ParsedInput<'dashboard.delete'>) {
    return (await this.library()).dashboardDelete(input);
  }

  async dashboardPin(input: ParsedInput<'dashboard.pin'>) {
    return (await this.library()).dashboardPin(input);
  }

  async dashboardRunPanel(input: ParsedInput<'dashboard.runPanel'>) {
    return (await this.library()).dashboardRunPanel(input);
  }

  async exportResult(input: ParsedInput<'export.result'>) {
    return (await this.library()).exportResult(input);
  }

  /**
   * Settles when every warm-up of the built-in dashboards begun so far has ended (see `warmDashboards` in
   * EngineOptions); it never rejects. A job's end begins one while another may still run.
   */
  get warmedUp(): Promise<void> {
    return Promise.all(this.warmingUp).then(() => undefined);
  }
  private readonly warmingUp = new Set<Promise<void>>();
  private readonly stopWarming = new AbortController();

  /** Fill the result cache with the built-in dashboards now and after every finished job that may import. */
  private warmDashboards(): void {
    const warm = () => {
      const warming = this.library()
        .then((library) => library.warmBuiltinDashboards(this.stopWarming.signal))
        .catch(() => undefined);
      this.warmingUp.add(warming);
      void warming.then(() => this.warmingUp.delete(warming));
    };
    this.on((e) => e.event === 'job.state' && e.payload.state === 'done' && warm());
    warm();
  }

  /** The file of a finished export, handed out once to the host that serves downloads (`flowscope serve`). */
  takeDownload(downloadId: string) {
    return this.downloads.take(downloadId);
  }
}
