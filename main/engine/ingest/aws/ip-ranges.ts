/**
 * AWS's published address ranges (`ip-ranges.json`), fetched by `flowscope aws ip-ranges --refresh` while the
 * machine is online and kept in the user's data folder, where the query engine reads it for
 * aws_service/aws_region. It is public (no credentials); nothing else fetches it, so queries stay offline.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AwsIpRangesState } from '../../../../preload/contract';
import { parseAwsIpRanges } from '../../../../queries/catalog/aws-ip-ranges';
import { FlowscopeError } from '../../errors';
import { userDataDir } from '../../user-data-dir';

const AWS_IP_RANGES_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';

/** Where the file is kept: `FLOWSCOPE_AWS_IP_RANGES`, else `aws-ip-ranges.json` in the user's data folder. */
export function awsIpRangesFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLOWSCOPE_AWS_IP_RANGES || join(userDataDir(env), 'aws-ip-ranges.json');
}

/** Where `--refresh` and the app fetch it from: AWS, or `FLOWSCOPE_AWS_IP_RANGES_URL` (tests, mirrors). */
export function awsIpRangesUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLOWSCOPE_AWS_IP_RANGES_URL || AWS_IP_RANGES_URL;
}

export interface AwsIpRangesInfo {
  file: string;
  syncToken: string;
  createDate: string;
  ipv4Ranges: number;
  ipv6Ranges: number;
}

function describe(file: string, text: string): AwsIpRangesInfo {
  const r = parseAwsIpRanges(text);
  return {
    file,
    syncToken: r.syncToken,
    createDate: r.createDate,
    ipv4Ranges: r.ipv4.length,
    ipv6Ranges: r.ipv6.length,
  };
}

/** What the kept file holds, or null when there is none. */
export async function awsIpRangesInfo(file: string): Promise<AwsIpRangesInfo | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return describe(file, text);
  } catch (err) {
    throw new FlowscopeError('bad_request', `${file} is not AWS's ip-ranges.json: ${(err as Error).message}.`);
  }
}

/** Fetches the file, checks it is AWS's format, and replaces the kept one only then. */
export async function refreshAwsIpRanges(file: string, url = awsIpRangesUrl()): Promise<AwsIpRangesInfo> {
  let text: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (err) {
    throw new FlowscopeError(
      'aws_error',
      `Could not fetch ${url}: ${(err as Error).message}. The kept file is unchanged.`,
    );
  }
  let info: AwsIpRangesInfo;
  try {
    info = describe(file, text);
  } catch (err) {
    throw new FlowscopeError('bad_request', `${url} did not answer AWS's ip-ranges.json: ${(err as Error).message}.`);
  }
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
  return info;
}

/** What the app shows of the kept file; a file that cannot be read is a `problem`, not an error. */
export async function awsIpRangesState(file: string): Promise<AwsIpRangesState> {
  const none = { file, createDate: null, syncToken: null, ipv4Ranges: 0, ipv6Ranges: 0 };
  const fetchedAt = await stat(file).then(
    (s) => s.mtime.toISOString(),
    () => null,
  );
  if (fetchedAt === null) return { ...none, present: false, fetchedAt, problem: null };
  try {
    const info = await awsIpRangesInfo(file);
    if (!info) return { ...none, present: false, fetchedAt: null, problem: null };
    const { syncToken, createDate, ipv4Ranges, ipv6Ranges } = info;
    return { file, present: true, syncToken, createDate, ipv4Ranges, ipv6Ranges, fetchedAt, problem: null };
  } catch (err) {
    return { ...none, present: true, fetchedAt, problem: (err as Error).message };
  }
}
