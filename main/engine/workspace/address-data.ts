/**
 * Fills the `enrich` tables of a workspace's instance (`queries/catalog/address-data.ts`) the first time a
 * query needs them, from the CSVs the npm packages ship (read where they are installed, never
 * downloaded) and from the AWS ip-ranges file the analyst fetched. The locked-down instance reads files
 * only in the staging folder, so each file is linked (or copied, or for AWS written) there for the load and
 * removed after. The country and ASN tables, once filled, are also kept as Parquet files in the staging
 * folder's `address-data/` (which clearing the staging folder spares), named by the package's version and
 * the loading SQL, so the next process on this workspace reads them back in about 40 ms of CPU instead of
 * 1 to 3 s; any other file there is a stale version and is removed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import countryCodes from 'i18n-iso-countries/codes.json' with { type: 'json' };
import englishNames from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import {
  addressDataLoadSql,
  addressDataSavedLoadSql,
  addressDataSaveSql,
  addressDataUsed,
  type AddressDataSet,
  type StagedAddressFiles,
} from '../../../queries/catalog/address-data';
import { awsIpRangesCsv, parseAwsIpRanges } from '../../../queries/catalog/aws-ip-ranges';
import { csvField } from '../csv-field';
import { FlowscopeError } from '../errors';
import { ADDRESS_DATA_KEPT } from './config';

const require = createRequire(import.meta.url);

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The CSVs of each packaged data set, addresses as integers. */
const PACKAGED: Record<'geo' | 'asn', { pkg: string; ipv4: () => string; ipv6: () => string }> = {
  geo: {
    pkg: '@ip-location-db/geo-whois-asn-country',
    ipv4: () => packageFile('@ip-location-db/geo-whois-asn-country', 'geo-whois-asn-country-ipv4-num.csv'),
    ipv6: () => packageFile('@ip-location-db/geo-whois-asn-country', 'geo-whois-asn-country-ipv6-num.csv'),
  },
  asn: {
    pkg: '@ip-location-db/asn',
    ipv4: () => packageFile('@ip-location-db/asn', 'asn-ipv4-num.csv'),
    ipv6: () => packageFile('@ip-location-db/asn', 'asn-ipv6-num.csv'),
  },
};

/** `code,name,numeric` lines for every ISO 3166-1 country, English names. */
function countriesCsv(): string {
  const names = englishNames.countries as Record<string, string | string[]>;
  return (countryCodes as string[][])
    .map(([alpha2, , numeric]) => {
      const name = names[alpha2!];
      return `${alpha2},${csvField(Array.isArray(name) ? name[0]! : (name ?? alpha2!))},${numeric}\n`;
    })
    .join('');
}

export interface AddressDataOptions {
  /** AWS's ip-ranges.json as `flowscope aws ip-ranges --refresh` stores it. */
  awsIpRangesFile: string;
}

/** How to get the AWS file, for errors and the CLI. */
function awsIpRangesMissing(file: string): FlowscopeError {
  return new FlowscopeError(
    'query_error',
    `aws_service and aws_region (awsService/awsRegion) read AWS's ip-ranges.json, which is not on this machine (${file}). ` +
      'Fetch it once while online with `flowscope aws ip-ranges --refresh`.',
  );
}

export class AddressDataLoader {
  /** Each data set's load, and the version of its source it loaded (AWS: the file's modification time). */
  private readonly loading = new Map<AddressDataSet, { version: number; done: Promise<void> }>();

  constructor(
    private readonly stagingDir: string,
    private readonly options: AddressDataOptions,
    /** Where filled country and ASN tables are kept as Parquet (inside the staging folder: DuckDB may write there). */
    private readonly savedDir: string = join(stagingDir, ADDRESS_DATA_KEPT),
  ) {}

  /** The packages change only with the app; AWS's file whenever it is fetched again (app or CLI). */
  private sourceVersion(set: AddressDataSet): number {
    if (set !== 'aws') return 0;
    const mtime = statSync(this.options.awsIpRangesFile, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined) throw awsIpRangesMissing(this.options.awsIpRangesFile);
    return mtime;
  }

  /** Loads what `sql` needs and is not loaded yet (or changed); every caller of the same set waits for the one load. */
  async ensureFor(sql: string, conn: DuckDBConnection): Promise<void> {
    for (const set of addressDataUsed(sql)) {
      const version = this.sourceVersion(set);
      let load = this.loading.get(set);
      if (!load || load.version !== version) {
        const done = this.load(set, conn);
        load = { version, done };
        this.loading.set(set, load);
        done.catch(() => this.loading.get(set) === load && this.loading.delete(set));
      }
      await load.done;
    }
  }

  /** The instance is gone (compaction or close): a new one starts with empty tables. */
  reset(): void {
    this.loading.clear();
  }

  private async load(set: AddressDataSet, conn: DuckDBConnection): Promise<void> {
    const staged: string[] = [];
    const stage = async (source: string | { text: string }): Promise<string> => {
      const target = join(this.stagingDir, `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.csv`);
      staged.push(target);
      if (typeof source !== 'string') await writeFile(target, source.text);
      // A hard link where the file system allows it, a copy otherwise.
      else await link(source, target).catch(() => copyFile(source, target));
      return target;
    };
    try {
      const countries = set === 'geo' ? await stage({ text: countriesCsv() }) : undefined;
      if (set === 'aws') {
        let csv;
        try {
          csv = awsIpRangesCsv(parseAwsIpRanges(await readFile(this.options.awsIpRangesFile, 'utf8')));
        } catch (err) {
          throw new FlowscopeError(
            'query_error',
            `${this.options.awsIpRangesFile} is not AWS's ip-ranges.json: ${(err as Error).message}. Fetch it again with \`flowscope aws ip-ranges --refresh\`.`,
          );
        }
        const files = { ipv4: await stage({ text: csv.ipv4 }), ipv6: await stage({ text: csv.ipv6 }) };
        await inTransaction(conn, addressDataLoadSql(set, files));
        return;
      }
      const saved = this.savedFiles(set);
      if (existsSync(saved.ipv4) && existsSync(saved.ipv6)) {
        // A damaged file is read from the packages again, and written anew.
        const ok = await inTransaction(conn, addressDataSavedLoadSql(set, saved, countries)).then(
          () => true,
          () => false,
        );
        if (ok) return;
      }
      const files = { ipv4: await stage(PACKAGED[set].ipv4()), ipv6: await stage(PACKAGED[set].ipv6()) };
      await inTransaction(conn, addressDataLoadSql(set, files, countries));
      await this.save(set, saved, conn);
    } finally {
      await Promise.all(staged.map((f) => rm(f, { force: true })));
    }
  }

  /** The Parquet files of a packaged data set: its package's version and the SQL that fills, writes and reads them in the name. */
  private savedFiles(set: 'geo' | 'asn'): StagedAddressFiles {
    const pkg = PACKAGED[set].pkg;
    const version = (require(`${pkg}/package.json`) as { version: string }).version;
    const none = { ipv4: '', ipv6: '' };
    const sql = [addressDataLoadSql, addressDataSaveSql, addressDataSavedLoadSql]
      .flatMap((statements) => statements(set, none))
      .join(';');
    const key = createHash('sha256').update(`${pkg}@${version}\0${sql}`).digest('hex').slice(0, 16);
    return { ipv4: join(this.savedDir, `${set}4-${key}.parquet`), ipv6: join(this.savedDir, `${set}6-${key}.parquet`) };
  }

  /** Best effort: a file that cannot be written means the next process reads the packages again. */
  private async save(set: 'geo' | 'asn', saved: StagedAddressFiles, conn: DuckDBConnection): Promise<void> {
    try {
      await mkdir(this.savedDir, { recursive: true });
      const suffix = `.${randomBytes(4).toString('hex')}.tmp`;
      const temp = { ipv4: saved.ipv4 + suffix, ipv6: saved.ipv6 + suffix };
      for (const s of addressDataSaveSql(set, temp)) await conn.run(s);
      await rename(temp.ipv4, saved.ipv4);
      await rename(temp.ipv6, saved.ipv6);
      const keep = new Set([saved.ipv4, saved.ipv6].map((f) => basename(f)));
      for (const name of await readdir(this.savedDir))
        if (name.startsWith(set) && !keep.has(name)) await rm(join(this.savedDir, name), { force: true });
    } catch {
      // See above.
    }
  }
}

/** Runs `statements` in one transaction on `conn`, rolled back if one fails. */
async function inTransaction(conn: DuckDBConnection, statements: readonly string[]): Promise<void> {
  await conn.run('BEGIN');
  try {
    for (const s of statements) await conn.run(s);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
