/**
 * `flowscope query "<query>" --workspace <file> [--from <time>] [--to <time>] [--format table|csv|json]`
 * The query runs through the engine's `query.run` (one call) and the rest of its rows through `query.page`.
 */
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../engine/dispatch';
import { FlowscopeError } from '../../engine/errors';
import { requireWorkspace, withEngine, workspaceOption, write, type Command } from '../command';
import { csvLine, jsonRow, tableText, type OutputFormat } from '../output';

const PAGE = 10_000;
const FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

export const queryCommand: Command = {
  name: 'query',
  summary: 'Run a query (DuckDB SQL) on a workspace and print the result.',
  usage: 'query "<query>" --workspace <file> [--from <time>] [--to <time>] [--format table|csv|json]',
  options: { ...workspaceOption, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', short: 'f' } },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    if (args.positionals.length !== 1) throw new FlowscopeError('bad_request', 'Give exactly one query, in quotes.');
    const format = (args.values.format ?? 'table') as OutputFormat;
    if (!FORMATS.includes(format)) throw new FlowscopeError('bad_request', `--format must be one of ${FORMATS.join(', ')}.`);
    const from = args.values.from as string | undefined;
    const to = args.values.to as string | undefined;
    const timeRange = from === undefined && to === undefined ? undefined : { from: from ?? null, to: to ?? null };

    return withEngine({ workspace }, async (engine) => {
      const first = (await call(engine, 'query.run', { query: args.positionals[0], dialect: 'sql', timeRange, pageSize: PAGE })) as Output<'query.run'>;
      const { columns, rowCount } = first;
      const pages = async function* () {
        yield first.rows;
        for (let offset = first.rows.length; offset < rowCount; ) {
          const page = (await call(engine, 'query.page', { resultId: first.resultId, offset, limit: PAGE })) as Output<'query.page'>;
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
        await write(io.out, csvLine(columns.map((c) => c.name)));
        for await (const rows of pages()) await write(io.out, rows.map(csvLine).join(''));
      } else {
        const all: CellValue[][] = [];
        for await (const rows of pages()) all.push(...rows);
        await write(io.out, tableText(columns, all));
        io.err.write(`${rowCount} row${rowCount === 1 ? '' : 's'} in ${Math.round(first.elapsedMs)} ms\n`);
      }
      return 0;
    });
  },
};
