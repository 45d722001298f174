/**
 * Where a query runs when the analyst picks a remote engine beside the language box: the Athena table
 * (profile, region, `database.table`, workgroup, output location, endpoints) or the CloudWatch log groups,
 * and the estimate above which an Athena run asks first. Kept across restarts with the other app settings,
 * names only: credentials stay with the engine and the AWS SDK's own chain, as for the pulls. Which engine
 * a tab runs on is not kept: a new tab runs on the workspace until the analyst chooses otherwise, so
 * nothing goes to AWS without that choice.
 */
import type { RemoteTarget } from '../../../preload/contract';
import type { EngineChoice } from './remote-format';

export interface AthenaSettings {
  profile: string;
  region: string;
  table: string;
  workgroup: string;
  output: string;
  endpointUrl: string;
  s3EndpointUrl: string;
}

export interface CloudWatchSettings {
  profile: string;
  region: string;
  /** One log group per line (or separated by commas). */
  logGroups: string;
  endpointUrl: string;
}

export type ScanUnit = 'MB' | 'GB' | 'TB';
export const SCAN_UNITS: Record<ScanUnit, number> = { MB: 1e6, GB: 1e9, TB: 1e12 };

/** An Athena run estimated above this asks first: 10 GB, about five cents at $5 per TB. */
const DEFAULT_CONFIRM_ABOVE = { amount: 10, unit: 'GB' as ScanUnit };

const KEY = 'flowscope.remote';

const EMPTY_ATHENA: AthenaSettings = {
  profile: '',
  region: '',
  table: '',
  workgroup: '',
  output: '',
  endpointUrl: '',
  s3EndpointUrl: '',
};
const EMPTY_CLOUDWATCH: CloudWatchSettings = { profile: '', region: '', logGroups: '', endpointUrl: '' };

/** Only the known keys, as text: a stored value from an older version or another hand cannot add any. */
function strings<T extends object>(defaults: T, raw: unknown): T {
  const out = { ...defaults };
  if (typeof raw !== 'object' || raw === null) return out;
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = (raw as Record<keyof T, unknown>)[key];
    if (typeof value === 'string') out[key] = value as T[keyof T];
  }
  return out;
}

interface Stored {
  athena: AthenaSettings;
  cloudwatch: CloudWatchSettings;
  confirmAbove: { amount: number; unit: ScanUnit };
}

function read(): Stored {
  let raw: Partial<Record<keyof Stored, unknown>> = {};
  try {
    raw = (JSON.parse(localStorage.getItem(KEY) ?? '{}') as typeof raw | null) ?? {};
  } catch {
    // Unreadable or unavailable storage: start from the defaults.
  }
  const confirm = raw.confirmAbove as { amount?: unknown; unit?: unknown } | undefined;
  const amount = typeof confirm?.amount === 'number' && confirm.amount >= 0 ? confirm.amount : null;
  const unit = typeof confirm?.unit === 'string' && confirm.unit in SCAN_UNITS ? (confirm.unit as ScanUnit) : null;
  return {
    athena: strings(EMPTY_ATHENA, raw.athena),
    cloudwatch: strings(EMPTY_CLOUDWATCH, raw.cloudwatch),
    confirmAbove: amount !== null && unit ? { amount, unit } : { ...DEFAULT_CONFIRM_ABOVE },
  };
}

function logGroupList(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((g) => g.trim())
    .filter(Boolean);
}

const optional = <K extends string>(key: K, value: string) =>
  (value.trim() ? { [key]: value.trim() } : {}) as Partial<Record<K, string>>;

class RemoteSettings {
  athena = $state<AthenaSettings>({ ...EMPTY_ATHENA });
  cloudwatch = $state<CloudWatchSettings>({ ...EMPTY_CLOUDWATCH });
  confirmAbove = $state({ ...DEFAULT_CONFIRM_ABOVE });

  constructor() {
    const stored = read();
    this.athena = stored.athena;
    this.cloudwatch = stored.cloudwatch;
    this.confirmAbove = stored.confirmAbove;
  }

  /** Bytes above which an Athena run asks for confirmation. */
  get confirmAboveBytes(): number {
    return this.confirmAbove.amount * SCAN_UNITS[this.confirmAbove.unit];
  }

  save(next: Partial<Stored>): void {
    if (next.athena) this.athena = { ...next.athena };
    if (next.cloudwatch) this.cloudwatch = { ...next.cloudwatch };
    if (next.confirmAbove) this.confirmAbove = { ...next.confirmAbove };
    try {
      localStorage.setItem(
        KEY,
        JSON.stringify({ athena: this.athena, cloudwatch: this.cloudwatch, confirmAbove: this.confirmAbove }),
      );
    } catch {
      // Storage unavailable: the settings last for this session only.
    }
  }

  /** What is missing before a query can run there, in the words of the settings dialog; null when ready. */
  missing(engine: Exclude<EngineChoice, 'local'>): string | null {
    if (engine === 'athena')
      return /^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/.test(this.athena.table.trim())
        ? null
        : 'Choose the Athena table (database.table) in Athena settings.';
    return logGroupList(this.cloudwatch.logGroups).length
      ? null
      : 'Name at least one log group in CloudWatch settings.';
  }

  /** Athena as the settings name it; `table` replaces the settings' table (a dashboard panel names its own). */
  athenaTarget(table = this.athena.table.trim()): Extract<RemoteTarget, { engine: 'athena' }> {
    const a = this.athena;
    return {
      engine: 'athena',
      table,
      ...optional('profile', a.profile),
      ...optional('region', a.region),
      ...optional('workgroup', a.workgroup),
      ...optional('output', a.output),
      ...optional('endpointUrl', a.endpointUrl),
      ...optional('s3EndpointUrl', a.s3EndpointUrl),
    };
  }

  /** The contract's target for the engine; call `missing` first. */
  target(engine: Exclude<EngineChoice, 'local'>): RemoteTarget {
    if (engine === 'athena') return this.athenaTarget();
    const c = this.cloudwatch;
    return {
      engine,
      logGroups: logGroupList(c.logGroups),
      ...optional('profile', c.profile),
      ...optional('region', c.region),
      ...optional('endpointUrl', c.endpointUrl),
    };
  }
}

export const remoteSettings = new RemoteSettings();
