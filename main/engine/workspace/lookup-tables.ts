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
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, link, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LOOKUP_TABLE_NAME, lookupTableIdent, type LookupTableInfo } from '../../../queries/language/imported-tables';
import { FlowscopeError } from '../errors';
import { sqlString } from './config';

/** CloudWatch's own limit for a lookup table. */
const MAX_BYTES = 10 * 1024 * 1024;

export const THREAT_TABLE = 'threat';
const THREAT_COLUMNS = ['indicator', 'type', 'actor', 'threatlevel'];

/** One CSV line's fields (RFC 4180 quoting); the caller splits lines. */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

/** The header of a CSV text, checked: names present and distinct, every line as many fields. */
function checkCsv(text: string, file: string): string[] {
  if (text.includes('\uFFFD')) throw new FlowscopeError('bad_request', `${file} is not UTF-8 text.`);
  const lines = text.split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1);
  if (lines.length === 0 || lines[0]!.trim() === '')
    throw new FlowscopeError('bad_request', `${file} is empty: a lookup table needs a header line of column names.`);
  const header = csvFields(lines[0]!).map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') throw new FlowscopeError('bad_request', `${file}, line 1: a column has no name.`);
    if (seen.has(h.toLowerCase()))
      throw new FlowscopeError('bad_request', `${file}, line 1: the column ${h} appears twice.`);
    seen.add(h.toLowerCase());
  }
  lines.slice(1).forEach((line, i) => {
    if (line.includes('"')) return; // quoted newlines and commas: DuckDB's reader judges these
    const n = csvFields(line).length;
    if (line !== '' && n !== header.length)
      throw new FlowscopeError(
        'bad_request',
        `${file}, line ${i + 2}: ${n} fields where the header has ${header.length}.`,
      );
  });
  return header;
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

  /** The imported tables and their columns, for the compiler. */
  list(): LookupTableInfo[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.csv') && LOOKUP_TABLE_NAME.test(basename(f, '.csv')))
      .map((f) => {
        const text = readFileSync(join(this.dir, f), 'utf8');
        const first = text.slice(0, text.search(/\r?\n|$/));
        return { name: basename(f, '.csv'), columns: csvFields(first).map((h) => h.trim()) };
      });
  }

  /** Imports (or replaces) table `name` from a CSV file; nothing is kept unless the whole file is good. */
  async import(name: string, source: string): Promise<LookupTableInfo> {
    if (!LOOKUP_TABLE_NAME.test(name))
      throw new FlowscopeError('bad_request', `${name} is not a table name: letters, digits and _ only (at most 64).`);
    if (!existsSync(source) || !statSync(source).isFile())
      throw new FlowscopeError('not_found', `There is no file ${source}.`);
    if (statSync(source).size > MAX_BYTES)
      throw new FlowscopeError('bad_request', `${source} is larger than 10 MB, the limit of a lookup table.`);
    let text = readFileSync(source, 'utf8').replace(/^\uFEFF/, '');
    let columns = checkCsv(text, source);
    if (name === THREAT_TABLE) {
      const normal = columns.map((c) => c.toLowerCase().replace(/[\s_-]+/g, ''));
      if (THREAT_COLUMNS.some((c, i) => normal[i] !== c))
        throw new FlowscopeError(
          'bad_request',
          `${source}, line 1: a threat list's columns are indicator, type, actor, threat level (found ${columns.join(', ')}).`,
        );
      // Kept under the names the lookups read; the analyst's own spellings need not match.
      columns = [...THREAT_COLUMNS, ...columns.slice(THREAT_COLUMNS.length)];
      text = `${columns.join(',')}${text.slice(text.search(/\r?\n|$/))}`;
    }
    mkdirSync(this.dir, { recursive: true });
    const temp = join(this.dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temp, text);
    await rename(temp, this.file(name));
    return { name, columns };
  }

  /** Puts the tables `sql` names on `conn`, when missing there or changed since. */
  async ensureFor(sql: string, conn: DuckDBConnection): Promise<void> {
    const have = this.onConnection.get(conn) ?? new Map<string, number>();
    this.onConnection.set(conn, have);
    for (const m of sql.matchAll(/"lookup_([A-Za-z0-9_]{1,64})"/g)) {
      const name = m[1]!;
      const file = this.file(name);
      if (!existsSync(file)) {
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
