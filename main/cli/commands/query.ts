/**
 * `flowscope query "<query>" --workspace <file> [--from <time>] [--to <time>] [--last 24h] [--dialect insights|sumo|sql|athena]
 *   [--format table|csv|json] [--explain] [--timeout <seconds>]`
 * The query runs through the engine's `query.run` (one call) and the rest of its rows through `query.page`;
 * `--explain` prints the SQL `query.compile` makes instead. A query that does not compile is reported with
 * its line and column and a caret under the mistake.
 *
 * `--file q.flowquery.json` runs a saved query (checked like an imported file; its dialect and time range
 * apply unless given here). `--output <file>` writes the whole result there, streamed by DuckDB (csv, json,
 * or parquet: by --format, else by the file's extension, else csv), instead of printing it.
 */
import { randomUUID } from 'node:crypto';
import type { CellValue, Dialect, ExportFormat, Output, TimeRange } from '../../../preload/contract';
import type { Engine } from '../../engine';
import { FlowscopeError } from '../../engine/errors';
import {
  call,
  checkedPath,
  requireWorkspace,
  timeOptions,
  withEngine,
  workspaceOption,
  write,
  type Command,
} from '../command';
import { spreadsheetText } from '../../../queries/catalog/spreadsheet-text';
import { counted, csvLine, jsonRow, tableText, thousands, type OutputFormat } from '../output';
import { remoteOptions, remoteTarget, runRemote } from './remote';

const PAGE = 10_000;

/** Said on stderr when Insights' implicit limit cut the answer, which the rows alone would not show. */
function cappedNotice(cappedAt: number): string {
  return `${counted(cappedAt, 'row')}: CloudWatch Logs Insights returns at most ${thousands(cappedAt)}; more records matched (add | limit N to see more)\n`;
}

/**
 * Said on stderr when the time range held no record at all, with where the workspace's records are: a range
 * beside the data otherwise answers like a quiet hour (`c = 0`). Empty when the range held records.
 */
async function rangeNotice(engine: Engine, resultId: string): Promise<string> {
  const { scanned } = (await call(engine, 'query.stats', { resultId })) as Output<'query.stats'>;
  if (scanned !== 0) return '';
  const span = (await engine.workspaceInfo()).timeSpan;
  return `No record in the time range: ${span ? `the workspace's records are from ${span.from} to ${span.to}` : 'the workspace holds no records'}.\n`;
}

const FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

export const queryCommand: Command = {
  name: 'query',
  summary: 'Run a query (Insights, Sumo, DuckDB SQL or Athena SQL) on a workspace and print the result.',
  usage:
    'query "<query>" | --file <q.flowquery.json> --workspace <file> [--from <time>] [--to <time>] [--last 24h] [--dialect insights|sumo|sql|athena] [--format table|csv|json|parquet] [--output <file>] [--explain] [--timeout <seconds>]\n  [--engine athena --table db.table [--workgroup w] [--output s3://… (beside --output <file>)] [--max-scan 100GB] [--run-without-estimate] | --engine cloudwatch --log-group <name>…] [--profile P] [--region R] [--endpoint-url URL] [--s3-endpoint-url URL]',
  options: {
    ...workspaceOption,
    from: { type: 'string' },
    to: { type: 'string' },
    last: { type: 'string' },
    format: { type: 'string', short: 'f' },
    dialect: { type: 'string', short: 'd' },
    explain: { type: 'boolean' },
    timeout: { type: 'string' },
    file: { type: 'string' },
    output: { type: 'string', short: 'o', multiple: true },
    ...remoteOptions,
  },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    // The contract's schemas and the saved-query reader load with a query, not with `flowscope --help`.
    const [
      { Dialect: DialectSchema, ExportFormat: ExportFormatSchema },
      { concreteTimeRange, readSavedQueryFile },
      { checkExportTarget },
    ] = await Promise.all([
      import('../../../preload/contract'),
      import('../../engine/library/saved-query-file'),
      import('../../engine/library/export-result'),
    ]);
    const EXPORT_FORMATS: readonly ExportFormat[] = ExportFormatSchema.options;
    const saved =
      args.values.file === undefined ? null : readSavedQueryFile(checkedPath(args.values.file as string, '--file'));
    if (args.positionals.length !== (saved ? 0 : 1))
      throw new FlowscopeError(
        'bad_request',
        saved ? 'Give either a query or --file, not both.' : 'Give exactly one query, in quotes.',
      );
    // With Athena, an s3:// --output is where Athena writes its result, and another the file here: both may
    // be given (a workgroup without an output location needs the first, saving the answer the second).
    const outputs = ((args.values.output as string[] | undefined) ?? []).map((o) => checkedPath(o, '--output'));
    const athenaOutputs = outputs.filter((o) => o.startsWith('s3://'));
    const files = outputs.filter((o) => !o.startsWith('s3://'));
    if (athenaOutputs.length > 1 || files.length > 1)
      throw new FlowscopeError('bad_request', '--output is given twice: one file, and with Athena one s3:// location.');
    const remote = remoteTarget(args, athenaOutputs[0]);
    if (athenaOutputs.length && remote?.engine !== 'athena')
      throw new FlowscopeError(
        'bad_request',
        '--output s3://… is where Athena writes its answer: give --engine athena.',
      );
    const output = files[0];
    // Without --format, a file is written in the format its name ends with (`-o top.parquet`), else CSV.
    const named = output && /\.([a-z]+)$/i.exec(output)?.[1]?.toLowerCase();
    const byName = named && EXPORT_FORMATS.includes(named as ExportFormat) ? named : 'csv';
    const format = (args.values.format ?? (output ? byName : 'table')) as OutputFormat | 'parquet';
    if (output ? !EXPORT_FORMATS.includes(format as ExportFormat) : !FORMATS.includes(format as OutputFormat)) {
      throw new FlowscopeError(
        'bad_request',
        output
          ? `With --output, --format must be one of ${EXPORT_FORMATS.join(', ')}.`
          : `--format must be one of ${FORMATS.join(', ')} (parquet needs --output).`,
      );
    }
    // Before the query runs: a target that cannot take the file (or is the workspace) is known now.
    if (output) checkExportTarget(output, workspace);
    const { from, to, last } = await timeOptions(args, true);
    let timeRange: TimeRange | undefined =
      from === undefined && to === undefined ? undefined : { from: from ?? null, to: to ?? null };
    // A relative range (--last, or the saved query's `last`) is made concrete once the engine is open.
    const relative = last ? { last } : timeRange ? undefined : saved?.timeRange;
    const dialectText = args.values.dialect as string | undefined;
    if (dialectText !== undefined && !DialectSchema.safeParse(dialectText).success) {
      throw new FlowscopeError('bad_request', `--dialect must be one of ${DialectSchema.options.join(', ')}.`);
    }
    const dialect = (dialectText as Dialect | undefined) ?? saved?.dialect;
    const timeoutText = args.values.timeout as string | undefined;
    const timeoutMs = timeoutText === undefined ? undefined : Math.round(Number(timeoutText) * 1000);
    if (timeoutMs !== undefined && !(timeoutMs >= 1))
      throw new FlowscopeError('bad_request', '--timeout must be a number of seconds.');
    const query = saved?.query ?? args.positionals[0]!;
    // A saved query's problems name its file; their lines and columns are of the query text, not of the file.
    const origin = saved ? `${args.values.file as string}, query text: ` : '';

    return withEngine({ workspace }, io, async (engine) => {
      // Loaded here, not at the top: `flowscope --help` loads every command and no query code.
      const [{ describeDiagnostic }, { pointAt, withCaret }] = await Promise.all([
        import('../../engine/query'),
        import('../point-at'),
      ]);
      // The last 24 hours of the workspace's data; of the wall clock where the query runs remotely (live data).
      if (relative)
        timeRange = concreteTimeRange(relative, remote ? Date.now() : (await engine.workspaceInfo()).timeSpan);
      if (args.values.explain && remote?.engine === 'athena') {
        const plan = (await call(engine, 'remote.plan', {
          query,
          dialect,
          timeRange,
          target: remote,
        })) as Output<'remote.plan'>;
        const problem = plan.diagnostics[0];
        if (problem || plan.sent === null) {
          io.err.write(
            `flowscope query: ${origin}${problem ? describeDiagnostic(problem) : 'the query cannot be sent to Athena'}\n${problem ? pointAt(query, problem) : ''}`,
          );
          return 1;
        }
        await write(io.out, `${plan.sent}\n`);
        return 0;
      }
      if (args.values.explain) {
        const compiled = (await call(engine, 'query.compile', {
          query,
          dialect,
          timeRange,
        })) as Output<'query.compile'>;
        if (compiled.note) io.err.write(`${compiled.note}\n`);
        const problem = compiled.diagnostics[0];
        if (problem || compiled.sql === null) {
          io.err.write(
            `flowscope query: ${origin}${problem ? describeDiagnostic(problem) : 'the query did not compile'}\n${problem ? pointAt(query, problem) : ''}`,
          );
          return 1;
        }
        await write(io.out, `${compiled.sql}\n`);
        return 0;
      }
      const first = (await (
        remote
          ? runRemote(engine, io, { query, dialect, timeRange, target: remote, timeoutMs, pageSize: PAGE })
          : call(engine, 'query.run', { query, dialect, timeRange, timeoutMs, pageSize: PAGE })
      ).catch((err: unknown) => {
        const pointed = withCaret(err, query);
        if (!origin || !(pointed instanceof FlowscopeError)) throw pointed;
        throw new FlowscopeError(pointed.code, origin + pointed.message, pointed.detail);
      })) as Output<'query.run'> | Output<'remote.run'>;
      if ('note' in first && first.note) io.err.write(`${first.note}\n`);
      if ('warnings' in first)
        for (const w of first.warnings ?? [])
          io.err.write(`flowscope query: warning: ${origin}${describeDiagnostic(w)}\n`);
      if (output) {
        const target = engine.files.register(output);
        // DuckDB writes the whole result, for as long as it is big: Ctrl-C (or SIGTERM) stops it, and the
        // export then fails as cancelled, with nothing written at --output.
        const queryId = `cli-export-${randomUUID()}`;
        const interrupt = () => {
          io.err.write('Stopping the export…\n');
          void call(engine, 'query.cancel', { queryId });
        };
        process.once('SIGINT', interrupt);
        process.once('SIGTERM', interrupt);
        if (io.err.isTTY) io.err.write(`Writing ${first.rowCount} rows to ${output}… (Ctrl-C stops)\n`);
        let written: Output<'export.result'>;
        try {
          written = (await call(engine, 'export.result', {
            resultId: first.resultId,
            format,
            target,
            queryId,
          })) as Output<'export.result'>;
        } finally {
          process.off('SIGINT', interrupt);
          process.off('SIGTERM', interrupt);
        }
        io.err.write(`${written.rows} row${written.rows === 1 ? '' : 's'} written to ${written.savedTo}\n`);
        if ('cappedAt' in first && first.cappedAt !== undefined) io.err.write(cappedNotice(first.cappedAt));
        if (timeRange && !remote) io.err.write(await rangeNotice(engine, first.resultId));
        return 0;
      }
      const { columns, rowCount } = first;
      const pages = async function* () {
        yield first.rows;
        for (let offset = first.rows.length; offset < rowCount;) {
          const page = (await call(engine, 'query.page', {
            resultId: first.resultId,
            offset,
            limit: PAGE,
          })) as Output<'query.page'>;
          if (page.rows.length === 0) break;
          offset += page.rows.length;
          yield page.rows;
        }
      };
      if (format === 'json') {
        let sep = '';
        await write(io.out, '[');
        for await (const rows of pages()) {
          if (rows.length === 0) continue;
          await write(io.out, sep + rows.map((r) => jsonRow(columns, r)).join(',\n'));
          sep = ',\n';
        }
        await write(io.out, ']\n');
      } else if (format === 'csv') {
        await write(io.out, csvLine(columns.map((c) => spreadsheetText(c.name))));
        for await (const rows of pages()) await write(io.out, rows.map((r) => csvLine(r, columns)).join(''));
      } else {
        const all: CellValue[][] = [];
        for await (const rows of pages()) all.push(...rows);
        await write(io.out, tableText(columns, all));
        io.err.write(`${rowCount} row${rowCount === 1 ? '' : 's'} in ${Math.round(first.elapsedMs)} ms\n`);
      }
      if ('cappedAt' in first && first.cappedAt !== undefined) io.err.write(cappedNotice(first.cappedAt));
      if (timeRange && !remote) io.err.write(await rangeNotice(engine, first.resultId));
      return 0;
    });
  },
};
