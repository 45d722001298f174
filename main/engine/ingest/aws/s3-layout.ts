/**
 * The key layouts AWS writes VPC flow logs in, and which folders a time-bounded pull must list.
 *
 *   [prefix/][o-xxxx/]AWSLogs/[o-xxxx/]<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/[HH/]<file>
 *   [prefix/]AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=<yyyy>/month=<mm>/day=<dd>/[hour=<HH>/]<file>
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
  hive?: boolean;
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
  if (awsLogs < 0) return info;
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
    info.hive = true;
    const year = rest.findIndex((seg) => seg.startsWith('year='));
    if (year >= 0) info.dateBase = upTo(restStart + year);
    for (const seg of rest) {
      const [k, v] = seg.split('=', 2) as [string, string | undefined];
      const field = HIVE[k];
      if (!field || v === undefined) continue;
      if (field === 'account' || field === 'region') info[field] = v;
      else if (/^\d+$/.test(v)) setDatePart(info, field as 'year' | 'month' | 'day' | 'hour', Number(v));
    }
    return info;
  }
  // <account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/[HH/]
  if (rest[0] && /^\d{12}$/.test(rest[0])) info.account = rest[0];
  if (rest[1] !== 'vpcflowlogs') return info;
  if (rest[2]) info.region = rest[2];
  const date = rest.slice(3, 7);
  if (date.length) info.dateBase = upTo(restStart + 3);
  const names = ['year', 'month', 'day', 'hour'] as const;
  for (let i = 0; i < date.length; i++) {
    const seg = date[i]!;
    if (!/^\d{1,4}$/.test(seg)) break;
    setDatePart(info, names[i]!, Number(seg));
  }
  return info;
}

function setDatePart(info: KeyInfo, part: 'year' | 'month' | 'day' | 'hour', value: number): void {
  info[part] = value;
  info.depth = part;
}

function formatOf(key: string): 'text' | 'parquet' | null {
  if (/\.parquet$/i.test(key)) return 'parquet';
  if (/\.(log|txt)(\.gz)?$/i.test(key) || /\.gz$/i.test(key)) return 'text';
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
  return !key.endsWith('/') && formatOf(key) !== null && !/aws-logs-write-test$/.test(key);
}

/**
 * Where a flat listing may jump to when it meets a key whose folder is outside the range: a `StartAfter`
 * just before the first day folder that may hold records (for keys too early), or past every date folder of
 * this account and region (for keys too late). Null when the key gives no safe jump; a jump always lies
 * after the key, so a listing always moves forward.
 */
export function jumpAfter(key: string, info: KeyInfo, range: TimeBounds): string | null {
  const span = folderSpan(info);
  if (!span || !info.dateBase || !key.startsWith(info.dateBase)) return null;
  let target: string | null = null;
  if (range.from !== null && span.to + CLOCK_SKEW <= range.from) {
    const d = new Date(Math.floor((range.from - CLOCK_SKEW) / DAY) * DAY);
    const [y, m, dd] = [String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())];
    target = info.dateBase + (info.hive ? `year=${y}/month=${m}/day=${dd}` : `${y}/${m}/${dd}`);
  } else if (range.to !== null && span.from - DAY > range.to) {
    target = `${info.dateBase}\uffff`;
  }
  return target !== null && target > key ? target : null;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
