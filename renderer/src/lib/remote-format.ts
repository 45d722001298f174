/** Where a query runs, and how a remote query's cost and provenance read on screen. */
import type { Provenance } from '../../../preload/contract';
import { formatBytes } from './cell-format';
import { formatCount, formatInstant } from './format';

export type EngineChoice = 'local' | 'athena' | 'cloudwatch';

export const ENGINE_NAMES: Record<EngineChoice, string> = {
  local: 'Local (workspace)',
  athena: 'Athena',
  cloudwatch: 'CloudWatch Logs Insights',
};

/** The engine menu's short labels: with the full names it wrapped the query controls at 1280 pixels wide. */
export const ENGINE_MENU_LABELS: Record<EngineChoice, string> = {
  local: 'Workspace',
  athena: 'Athena',
  cloudwatch: 'CloudWatch',
};

/** Dollars: cents for a query that costs some, otherwise enough digits to see the fraction of a cent. */
export function usd(amount: number): string {
  return amount >= 0.01 ? `$${amount.toFixed(2)}` : `$${amount.toPrecision(2)}`;
}

/** CloudWatch Logs Insights answers at most 10,000 rows; of an Athena answer the first 1,000,000 are kept. */
const ROW_CAPS = { cloudwatch: 10_000, athena: 1_000_000 } as const;

/** What the results say under an answer that stopped at its engine's cap, or null when it did not. */
export function cappedNote(p: Provenance): string | null {
  if (!p.capped) return null;
  const rows = formatCount(ROW_CAPS[p.engine]);
  return p.engine === 'athena'
    ? `Flowscope keeps the first ${rows} rows of an Athena answer: this answer has more, all of them in Athena's output location. Aggregate, or narrow the time range, to see everything.`
    : `CloudWatch Logs Insights answers at most ${rows} rows: this answer stopped there. Narrow the time range or aggregate with stats to see everything.`;
}

/** The parts of a remote answer's provenance, in order, for the results' status line. */
export function provenanceParts(p: Provenance): { label: string; value: string }[] {
  const range = p.timeRange
    ? `${p.timeRange.from ? formatInstant(p.timeRange.from) : 'the beginning'} to ${p.timeRange.to ? formatInstant(p.timeRange.to) : 'now'}`
    : 'every partition';
  return [
    { label: 'Engine', value: ENGINE_NAMES[p.engine] },
    { label: p.engine === 'athena' ? 'Table' : 'Log groups', value: p.target },
    { label: p.engine === 'athena' ? 'Query execution id' : 'Query id', value: p.remoteQueryId },
    { label: 'Data scanned', value: formatBytes(p.scannedBytes) },
    ...(p.costUsd !== undefined ? [{ label: 'Cost', value: `about ${usd(p.costUsd)}` }] : []),
    { label: 'Time range', value: range },
  ];
}
