/**
 * The key layouts AWS writes VPC flow logs in, and which folders a time-bounded pull must list.
 *
 *   [prefix/][o-xxxx/]AWSLogs/[o-xxxx/]<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/[HH/]<file>
 *   [prefix/]AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=<yyyy>/month=<mm>/day=<dd>/[hour=<HH>/]<file>
 *   [prefix/]aws/VPC_FLOW/<version>/region=<region>/accountId=<account>/eventDay=<yyyymmdd>/<file>   (Security Lake)
 *   [prefix/]<yyyy>/<mm>/<dd>/<HH>/<stream>-<n>-<yyyy-mm-dd-HH-MM-SS>-<uuid>   (Kinesis Data Firehose)
 *
 * Security Lake's bucket holds its other sources beside VPC_FLOW (CloudTrail, Route 53, …); their objects
 * are not flow logs and are left out. Its `eventDay` folders are named by the records' own day, not by
 * delivery, so the same widening is simply generous there.
 *
 * Folders are named by delivery time, which comes after the records' own time, so a pull for [from, to]
 * also lists the next day or hour: a folder is kept when its span, widened at its end by one unit of its own
 * size (a day for year/month/day folders, an hour for hour folders) and at its start by a little clock skew,
 * meets the range. Records are then kept by their own start time at import.
 */

export interface S3Url {
  bucket: string;
  prefix: string;
}

export function parseS3Url(url: string): S3Url {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url.trim());
  if (!m || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1]!)) {
    throw new Error(`"${url}" is not an S3 URL like s3://bucket/prefix/`);
  }
  return { bucket: m[1]!, prefix: m[2]! };
}

/** What a key (or folder prefix) says about itself, as far as it goes. */
export interface KeyInfo {
  account?: string;
  region?: string;
  organization?: string;
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  /** How far the date goes: null before the year folder. */
  depth: 'year' | 'month' | 'day' | 'hour' | null;
  /** The key up to its first date folder (`…/us-east-1/`, `…/aws-region=us-east-1/`), when it has one. */
  dateBase?: string;
  /** How its date folders are spelt: `2026/03/09`, `year=2026/month=03/day=09`, `eventDay=20260309`. */
  dateStyle?: 'path' | 'hive' | 'event-day';
  /** Security Lake: the source folder (`VPC_FLOW`, `CLOUD_TRAIL_MGMT`, …). */
  lakeSource?: string;
  /** AWSLogs: the service folder (`vpcflowlogs`, `CloudTrail`, `Config`, …). */
  service?: string;
  /** The key up to and including its service (or Security Lake source), account and region folders. */
  serviceBase?: string;
  accountBase?: string;
  regionBase?: string;
  format: 'text' | 'parquet' | null;
}

const HIVE: Record<string, keyof KeyInfo> = {
  'aws-account-id': 'account',
  'aws-region': 'region',
  year: 'year',
  month: 'month',
  day: 'day',
  hour: 'hour',
};

/** Reads the layout of a key or a folder prefix; segments it does not recognise are passed over. */
export function parseKey(key: string): KeyInfo {
  const parts = key.split('/').filter((s) => s !== '');
  const info: KeyInfo = { depth: null, format: formatOf(key) };
  const awsLogs = parts.indexOf('AWSLogs');
  if (awsLogs < 0) return parseSecurityLake(parts, info) ?? parseDateFolders(key, parts, info);
  const before = parts[awsLogs - 1];
  if (before && /^o-[a-z0-9]{4,}$/.test(before)) info.organization = before;
  let rest = parts.slice(awsLogs + 1);
  if (rest[0] && /^o-[a-z0-9]{4,}$/.test(rest[0])) {
    info.organization = rest[0];
    rest = rest.slice(1);
  }
  const upTo = (segment: number) => `${parts.slice(0, segment).join('/')}/`;
  const restStart = parts.length - rest.length;
  if (rest[0]?.includes('=')) {
    info.dateStyle = 'hive';
    const year = rest.findIndex((seg) => seg.startsWith('year='));
    if (year >= 0) info.dateBase = upTo(restStart + year);
    rest.forEach((seg, j) => {
      const [k, v] = seg.split('=', 2) as [string, string | undefined];
      if (k === 'aws-service' && v !== undefined) [info.service, info.serviceBase] = [v, upTo(restStart + j + 1)];
      const field = HIVE[k];
      if (!field || v === undefined) return;
      if (field === 'account' || field === 'region') {
        info[field] = v;
        info[field === 'account' ? 'accountBase' : 'regionBase'] = upTo(restStart + j + 1);
      } else if (/^\d+$/.test(v)) setDatePart(info, field as 'year' | 'month' | 'day' | 'hour', Number(v));
    });
    return info;
  }
  // <account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/[HH/]; the last segment of an object's key is its name.
  const folders = key.endsWith('/') ? rest.length : rest.length - 1;
  if (folders > 0 && /^\d{12}$/.test(rest[0]!)) [info.account, info.accountBase] = [rest[0], upTo(restStart + 1)];
  if (folders > 1) [info.service, info.serviceBase] = [rest[1], upTo(restStart + 2)];
  if (rest[1] !== 'vpcflowlogs') return info;
  if (folders > 2) [info.region, info.regionBase] = [rest[2], upTo(restStart + 3)];
  const date = rest.slice(3, 7);
  if (date.length) {
    info.dateBase = upTo(restStart + 3);
    info.dateStyle = 'path';
  }
  readPathDate(date, info);
  return info;
}

/** `<yyyy>/<mm>/<dd>/<HH>` folders, as far as they go. */
function readPathDate(date: readonly string[], info: KeyInfo): void {
  const names = ['year', 'month', 'day', 'hour'] as const;
  for (let i = 0; i < date.length && i < names.length; i++) {
    const seg = date[i]!;
    if (!/^\d{1,4}$/.test(seg)) break;
    setDatePart(info, names[i]!, Number(seg));
  }
}

/** `aws/<SOURCE>/<version>/region=<r>/accountId=<a>/eventDay=<yyyymmdd>/`, as Security Lake writes it. */
function parseSecurityLake(parts: readonly string[], info: KeyInfo): KeyInfo | undefined {
  const region = parts.findIndex((p) => p.startsWith('region='));
  if (region < 0 || !parts[region + 1]?.startsWith('accountId=')) return undefined;
  const upTo = (segment: number) => `${parts.slice(0, segment).join('/')}/`;
  if (region >= 3 && parts[region - 3] === 'aws')
    [info.lakeSource, info.serviceBase] = [parts[region - 2], upTo(region - 1)];
  [info.region, info.regionBase] = [parts[region]!.slice('region='.length), upTo(region + 1)];
  [info.account, info.accountBase] = [parts[region + 1]!.slice('accountId='.length), upTo(region + 2)];
  const day = /^eventDay=(\d{4})(\d{2})(\d{2})$/.exec(parts[region + 2] ?? '');
  if (day) {
    info.dateBase = info.accountBase;
    info.dateStyle = 'event-day';
    setDatePart(info, 'year', Number(day[1]));
    setDatePart(info, 'month', Number(day[2]));
    setDatePart(info, 'day', Number(day[3]));
  }
  return info;
}

/**
 * Kinesis Data Firehose's `<yyyy>/<mm>/<dd>/<HH>/` delivery-time folders, under whatever prefix the stream
 * was given: the first four-digit year followed by a month folder.
 */
function parseDateFolders(key: string, parts: readonly string[], info: KeyInfo): KeyInfo {
  const folders = key.endsWith('/') ? parts : parts.slice(0, -1);
  const year = folders.findIndex((p, i) => /^\d{4}$/.test(p) && /^(0[1-9]|1[0-2])$/.test(folders[i + 1] ?? ''));
  if (year < 0) return info;
  info.dateBase = year === 0 ? '' : `${parts.slice(0, year).join('/')}/`;
  info.dateStyle = 'path';
  readPathDate(folders.slice(year, year + 4), info);
  return info;
}

function setDatePart(info: KeyInfo, part: 'year' | 'month' | 'day' | 'hour', value: number): void {
  info[part] = value;
  info.depth = part;
}

/** `<stream>-<version>-<yyyy>-<mm>-<dd>-<HH>-<MM>-<SS>-<random>` (AWS's random part is a UUID). */
const FIREHOSE_NAME = /-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-z-]+$/i;

/**
 * What an object holds by its name: Parquet, or text (flow-log text `.log`, `.log.gz`, or CloudWatch JSON
 * that Firehose delivered: its keys are named as FIREHOSE_NAME, or end in `.gz`; or JSON a team keeps, such
 * as a subscription Lambda's events or `aws logs filter-log-events` output, which the import tells apart by
 * content). Other keys are not flow logs (`notes.txt`, `_SUCCESS`, `LICENSE`), nor is JSON in AWS's own
 * `AWSLogs/` delivery, which writes none.
 */
function formatOf(key: string): 'text' | 'parquet' | null {
  if (/\.parquet$/i.test(key)) return 'parquet';
  if (/\.log(\.gz)?$/i.test(key) || /\.gz$/i.test(key)) return 'text';
  if (/\.json$/i.test(key)) return key.split('/').includes('AWSLogs') ? null : 'text';
  // A dot in a Firehose stream's name is no extension.
  if (FIREHOSE_NAME.test(key.slice(key.lastIndexOf('/') + 1))) return 'text';
  return null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A record is delivered after its own start, so earlier folders are not needed, but for clock skew. */
const CLOCK_SKEW = 15 * 60_000;

/** The delivery-time span a folder covers, in ms since the epoch, or null when it says no date. */
export function folderSpan(info: KeyInfo): { from: number; to: number } | null {
  if (info.depth === null || info.year === undefined) return null;
  const y = info.year;
  const m = (info.month ?? 1) - 1;
  const d = info.day ?? 1;
  const h = info.hour ?? 0;
  const from = Date.UTC(y, m, d, h);
  switch (info.depth) {
    case 'year':
      return { from, to: Date.UTC(y + 1, 0, 1) };
    case 'month':
      return { from, to: Date.UTC(y, m + 1, 1) };
    case 'day':
      return { from, to: from + DAY };
    case 'hour':
      return { from, to: from + HOUR };
  }
}

export interface TimeBounds {
  /** ms since the epoch; null is open. */
  from: number | null;
  to: number | null;
}

/**
 * Whether a folder (or a key's folder) can hold records of the range. Folders without a date, and keys
 * outside any known layout, are always kept: the import's own time filter decides for them.
 */
export function folderMayHold(info: KeyInfo, range: TimeBounds): boolean {
  const span = folderSpan(info);
  if (!span) return true;
  const slack = info.depth === 'hour' ? HOUR : DAY;
  if (range.to !== null && span.from - slack > range.to) return false;
  if (range.from !== null && span.to + CLOCK_SKEW <= range.from) return false;
  return true;
}

/** Object keys a pull takes: flow-log text or Parquet, not the AWS delivery-check markers or folders. */
export function isFlowLogObject(key: string): boolean {
  return !key.endsWith('/') && formatOf(key) !== null && !isOtherAwsDelivery(key);
}

/**
 * Whether a key, or a file's path in an `aws s3 sync` copy, is something AWS delivers beside flow logs: the
 * delivery test object, JSON under AWSLogs (AWS writes flow logs there as text or Parquet only), another
 * service's folder (CloudTrail, Config) or another Security Lake source.
 */
export function isOtherAwsDelivery(key: string): boolean {
  if (/aws-logs-write-test$/.test(key)) return true;
  if (/\.json(\.gz)?$/i.test(key) && key.split('/').includes('AWSLogs')) return true;
  return unwantedFolder(key, parseKey(key), {}) !== null;
}

/**
 * Where a flat listing may jump to when it meets a key whose folder is outside the range: a `StartAfter`
 * just before the first day folder that may hold records (for keys too early), or past every date folder of
 * this account and region (for keys too late). Null when the key gives no safe jump; a jump always lies
 * after the key, so a listing always moves forward.
 */
export function jumpAfter(key: string, info: KeyInfo, range: TimeBounds): string | null {
  const span = folderSpan(info);
  if (!span || info.dateBase === undefined || !key.startsWith(info.dateBase)) return null;
  let target: string | null = null;
  if (range.from !== null && span.to + CLOCK_SKEW <= range.from) {
    const d = new Date(Math.floor((range.from - CLOCK_SKEW) / DAY) * DAY);
    const [y, m, dd] = [String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())];
    target =
      info.dateBase +
      (info.dateStyle === 'hive'
        ? `year=${y}/month=${m}/day=${dd}`
        : info.dateStyle === 'event-day'
          ? `eventDay=${y}${m}${dd}`
          : `${y}/${m}/${dd}`);
  } else if (range.to !== null && span.from - DAY > range.to) {
    target = `${info.dateBase}\uffff`;
  }
  return target !== null && target > key ? target : null;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Which accounts and regions a pull takes; absent or empty is all. */
export interface SourceFilter {
  accounts?: readonly string[] | undefined;
  regions?: readonly string[] | undefined;
}

/**
 * Whether a listed key is left out because its folder is not flow logs (another AWS service under AWSLogs,
 * another Security Lake source) or not an account or region the pull wants: null when the key is wanted,
 * otherwise a `StartAfter` past the whole folder (`…/CloudTrail/`, the account's, the region's), or no jump
 * where the key names no such folder. A key that names no account (or region) passes no filter on it.
 */
export function unwantedFolder(key: string, info: KeyInfo, filter: SourceFilter): { jumpTo: string | null } | null {
  const past = (base: string | undefined) => ({
    jumpTo: base !== undefined && key.startsWith(base) ? `${base}\uffff` : null,
  });
  if (info.service !== undefined && info.service !== 'vpcflowlogs') return past(info.serviceBase);
  if (info.lakeSource !== undefined && info.lakeSource !== 'VPC_FLOW') return past(info.serviceBase);
  const accountOut =
    !!filter.accounts?.length && (info.account === undefined || !filter.accounts.includes(info.account));
  const regionOut = !!filter.regions?.length && (info.region === undefined || !filter.regions.includes(info.region));
  if (!accountOut && !regionOut) return null;
  // Past the higher of the two folders when both are unwanted: it holds the other.
  const bases = [accountOut ? info.accountBase : undefined, regionOut ? info.regionBase : undefined].filter(
    (b): b is string => b !== undefined,
  );
  return past(bases.sort((a, b) => a.length - b.length)[0]);
}
