/**
 * Lookup tables the analyst imports, for Insights `lookup` and Sumo's threat-intelligence lookup: CSV files
 * kept as imported in `<workspace>.flowscope/lookups/<name>.csv` (beside the workspace, like its other
 * folders: the file's own catalog holds only Flowscope's tables). A query connection gets a table as
 * `lookup_<name>` (TEMP, every column text) the first time a query on it names it, and again when the file
 * changed since.
 *
 * The threat list is the table `threat`: columns indicator, type, actor, threatlevel (a header of
 * `indicator,type,actor,threat level` is accepted in any case and spelling of the last).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, link, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LOOKUP_TABLE_NAME, lookupTableIdent, type LookupTableInfo } from '../../../queries/language/imported-tables';
import { FlowscopeError } from '../errors';
import { sqlString } from '../../../queries/catalog/sql-quote';

/** CloudWatch's own limit for a lookup table. */
const MAX_BYTES = 10 * 1024 * 1024;

const THREAT_TABLE = 'threat';
const THREAT_COLUMNS = ['indicator', 'type', 'actor', 'threatlevel'];

/** One record of a CSV text: its fields and the line it starts on (1-based). */
interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * The records of a CSV text (RFC 4180: a field in double quotes may hold commas, newlines and doubled
 * quotes). Refuses, naming `file` and the line, what DuckDB's reader would take another way: a quoted
 * field never closed, text after a closing quote, a quote inside a field that does not start with one.
 */
export function csvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quotedFrom = 0; // the line a quoted field opened on, while inside it
  const fail = (at: number, why: string) => new FlowscopeError('bad_request', `${file}, line ${at}: ${why}`);
  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quotedFrom) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quotedFrom = 0;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          throw fail(line, 'text follows the closing quote of a field (a quote inside a field is written "").');
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== '')
        throw fail(line, 'a quote inside a field that is not quoted (quote the whole field and double the quote).');
      quotedFrom = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quotedFrom) throw fail(quotedFrom, 'a quoted field is not closed.');
  if (field !== '' || fields.length) endRecord();
  return records;
}

/** The header and the number of rows of a CSV text, checked: names present and distinct, every row as wide. */
function checkCsv(text: string, file: string): { columns: string[]; rows: number } {
  if (text.includes('\uFFFD')) throw new FlowscopeError('bad_request', `${file} is not UTF-8 text.`);
  const records = csvRecords(text, file).filter((r) => r.fields.length > 1 || r.fields[0] !== '');
  if (records.length === 0)
    throw new FlowscopeError('bad_request', `${file} is empty: a lookup table needs a header line of column names.`);
  if (records[0]!.line !== 1)
    throw new FlowscopeError('bad_request', `${file}, line 1: the header line of column names is empty.`);
  const columns = records[0]!.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of columns) {
    if (h === '') throw new FlowscopeError('bad_request', `${file}, line 1: a column has no name.`);
    if (seen.has(h.toLowerCase()))
      throw new FlowscopeError('bad_request', `${file}, line 1: the column ${h} appears twice.`);
    seen.add(h.toLowerCase());
  }
  for (const { line, fields } of records.slice(1))
    if (fields.length !== columns.length)
      throw new FlowscopeError(
        'bad_request',
        `${file}, line ${line}: ${fields.length} fields where the header has ${columns.length}.`,
      );
  return { columns, rows: records.length - 1 };
}

/** A table's name from its file's: `Asset owners (2024).csv` → `asset_owners_2024`. */
export function tableNameOf(fileName: string): string {
  const stem = fileName.replace(/\.[^.]*$/, '');
  const name = stem
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  if (name === '')
    throw new FlowscopeError(
      'bad_request',
      `${fileName}: name the table (letters, digits and _), the file's name has none.`,
    );
  return name;
}

export interface LookupTableSummary extends LookupTableInfo {
  columns: string[];
  rows: number;
  /** When the kept copy was written, ISO 8601. */
  importedAt: string;
}

export class LookupTables {
  /** What each connection has, by table: the file's modification time it was read at. */
  private readonly onConnection = new WeakMap<DuckDBConnection, Map<string, number>>();

  constructor(
    private readonly dir: string,
    private readonly stagingDir: string,
  ) {}

  private file(name: string): string {
    return join(this.dir, `${name}.csv`);
  }

  /**
   * Only plain files are tables. The folder travels with a shared workspace, and a `<name>.csv` there that
   * links elsewhere (found by an outside probe: a link to an AWS credentials file) was read as a table the
   * analyst imported; what `import` writes is always a plain file.
   */
  private isTable(name: string): boolean {
    return lstatSync(this.file(name), { throwIfNoEntry: false })?.isFile() ?? false;
  }

  private names(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.csv') && LOOKUP_TABLE_NAME.test(basename(f, '.csv')))
      .filter((f) => this.isTable(basename(f, '.csv')))
      .map((f) => basename(f, '.csv'))
      .sort();
  }

  /** The imported tables and their columns, for the compiler (only header lines are read). */
  list(): LookupTableInfo[] {
    return this.names().map((name) => {
      const text = readFileSync(this.file(name), 'utf8');
      return { name, columns: csvRecords(text.slice(0, text.search(/\r?\n|$/)), name)[0]!.fields.map((h) => h.trim()) };
    });
  }

  /** The imported tables as the app lists them: columns, rows, when imported. */
  describe(): LookupTableSummary[] {
    return this.names().map((name) => {
      const file = this.file(name);
      return {
        name,
        ...checkCsv(readFileSync(file, 'utf8'), `${name}.csv`),
        importedAt: statSync(file).mtime.toISOString(),
      };
    });
  }

  /**
   * Imports (or replaces) a table from a CSV file, named `name` or else after the file; nothing is kept
   * unless the whole file is good. Errors name the file as the analyst knows it (its own name; an upload's
   * path is the server's staging folder) and the line.
   */
  async import(name: string | undefined, source: string): Promise<LookupTableSummary> {
    const shown = basename(source);
    name ??= tableNameOf(shown);
    if (!LOOKUP_TABLE_NAME.test(name))
      throw new FlowscopeError('bad_request', `${name} is not a table name: letters, digits and _ only (at most 64).`);
    if (!existsSync(source) || !statSync(source).isFile())
      throw new FlowscopeError('not_found', `There is no file ${source}.`);
    if (statSync(source).size > MAX_BYTES)
      throw new FlowscopeError('bad_request', `${shown} is larger than 10 MB, the limit of a lookup table.`);
    let text = readFileSync(source, 'utf8').replace(/^\uFEFF/, '');
    const { rows, ...header } = checkCsv(text, shown);
    let columns = header.columns;
    if (name === THREAT_TABLE) {
      const normal = columns.map((c) => c.toLowerCase().replace(/[\s_-]+/g, ''));
      if (THREAT_COLUMNS.some((c, i) => normal[i] !== c))
        throw new FlowscopeError(
          'bad_request',
          `${shown}, line 1: a threat list's columns are indicator, type, actor, threat level (found ${columns.join(', ')}).`,
        );
      // Kept under the names the lookups read; the analyst's own spellings need not match.
      columns = [...THREAT_COLUMNS, ...columns.slice(THREAT_COLUMNS.length)];
      text = `${columns.join(',')}${text.slice(text.search(/\r?\n|$/))}`;
    }
    mkdirSync(this.dir, { recursive: true });
    const temp = join(this.dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temp, text);
    await rename(temp, this.file(name));
    return { name, columns, rows, importedAt: statSync(this.file(name)).mtime.toISOString() };
  }

  /**
   * Puts the tables `sql` names on `conn`, when missing there or changed since. Compiled Insights and Sumo
   * name them quoted, and a missing one is an error saying how to import it; the analyst's own SQL names
   * them bare, where a `lookup_…` that is no imported table is left to DuckDB (it may be a column or a CTE).
   */
  async ensureFor(sql: string, conn: DuckDBConnection): Promise<void> {
    const have = this.onConnection.get(conn) ?? new Map<string, number>();
    this.onConnection.set(conn, have);
    for (const m of sql.matchAll(/("?)\blookup_([A-Za-z0-9_]{1,64})\b\1/g)) {
      const [quoted, name] = [m[1] === '"', m[2]!];
      const file = this.file(name);
      if (!this.isTable(name)) {
        if (!quoted) continue;
        if (name === THREAT_TABLE)
          throw new FlowscopeError(
            'query_error',
            'No threat list is imported in this workspace. Import one (CSV: indicator, type, actor, threat level) with `flowscope threat import list.csv --workspace <file>` or from the app.',
          );
        throw new FlowscopeError(
          'query_error',
          `There is no lookup table ${name}: import it with flowscope lookup import ${name} file.csv.`,
        );
      }
      const mtime = statSync(file).mtimeMs;
      if (have.get(name) === mtime) continue;
      const staged = join(this.stagingDir, `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.csv`);
      await link(file, staged).catch(() => copyFile(file, staged));
      try {
        await conn.run(
          `CREATE OR REPLACE TEMP TABLE ${lookupTableIdent(name)} AS SELECT * FROM read_csv(${sqlString(staged)}, header = true, all_varchar = true, quote = '"', escape = '"')`,
        );
      } finally {
        await rm(staged, { force: true });
      }
      have.set(name, mtime);
    }
  }
}
