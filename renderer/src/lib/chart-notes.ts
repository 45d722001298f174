/**
 * What a chart left out of its result, in words: the engine makes a chart's data in the size the chart
 * draws (`queries/chart/chart-data.ts`) and reports each cut, and the chart says it under its title.
 */
import type { ChartReduction } from '../../../preload/contract';
import type { ChartSpec } from '../../../queries/library/saved-query';
import { unpivotedSpec, ysOf } from '../../../queries/chart/chart-data';
import { formatCount } from './format';

/** 300000 → "5-minute", 3600000 → "1-hour". */
export function bucketName(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  const [size, unit] = units.find(([size]) => ms >= size && ms % size === 0) ?? [1, 'millisecond'];
  return `${ms / size}-${unit}`;
}

function describeReduction(r: ChartReduction, spec: ChartSpec): string {
  switch (r.kind) {
    case 'rebinned': {
      // A measure that does not add up (an average, a maximum) is the highest of each bucket, never a sum.
      const highest = r.highest ?? [];
      const added = ysOf(spec).filter((y) => !highest.includes(y));
      if (highest.length === 0)
        return `${formatCount(r.points)} points added up into ${bucketName(r.bucketMs)} buckets`;
      const most = `the highest ${highest.join(' and ')} of each ${bucketName(r.bucketMs)} bucket`;
      return added.length === 0
        ? `${formatCount(r.points)} points: ${most}`
        : `${formatCount(r.points)} points added up into ${bucketName(r.bucketMs)} buckets, except ${most}`;
    }
    case 'downsampled':
      return `${formatCount(r.points)} points: the lowest and highest of each ${bucketName(r.bucketMs)} bucket`;
    case 'unplaced': {
      const measure = ysOf(spec)[0] ?? 'values';
      return `Not on the map: ${formatCount(r.value)} of ${formatCount(r.of)} ${measure} in ${formatCount(r.rows)} ${r.rows === 1 ? 'row' : 'rows'} with no ${spec.x ?? 'place'} (private or unknown addresses)`;
    }
    case 'latest':
      return `The latest ${formatCount(r.shown)} of ${formatCount(r.of)} ${spec.x ?? ''} values`.replace('  ', ' ');
    case 'not-finite': {
      const measures = ysOf(spec).join(' or ') || 'measure';
      return `Not drawn: ${formatCount(r.rows)} ${r.rows === 1 ? 'row' : 'rows'} whose ${measures} is not a finite number (Infinity or NaN)`;
    }
    case 'no-time':
      return `Not drawn: ${formatCount(r.rows)} ${r.rows === 1 ? 'row' : 'rows'} with no ${spec.x ?? 'time'}`;
    case 'negative': {
      const measure = ysOf(spec)[0] ?? 'value';
      return `Not drawn: ${formatCount(r.rows)} ${r.rows === 1 ? 'row' : 'rows'} whose ${measure} is below zero (a pie has no slice for it)`;
    }
    case 'merged': {
      const measure = ysOf(spec)[0] ?? 'value';
      const into = spec.type === 'sankey' ? 'links' : 'cells';
      const how = r.highest ? `the highest ${measure} shown` : `${measure} added up`;
      return `${formatCount(r.rows)} ${r.rows === 1 ? 'row' : 'rows'} merged into ${into} of the same ${spec.x ?? 'x'} and ${spec.series ?? 'series'}: ${how}`;
    }
    case 'top': {
      const of = `${formatCount(r.shown)} of ${formatCount(r.of)}`;
      const rest = r.other ? ', the rest as Other' : '';
      if (r.what === 'categories') return `Top ${of} ${spec.x ?? ''} values${rest}`.replace('  ', ' ');
      if (r.what === 'series') return `Top ${of} ${spec.series ?? ''} series${rest}`.replace('  ', ' ');
      // A heat map's columns are its x values and its rows its series values: named, as bars' are, by the
      // field ("Top 25 of 212 srcaddr values"), not "columns" and "rows", which read as the result's.
      const field = r.what === 'columns' ? spec.x : r.what === 'rows' ? spec.series : undefined;
      if (field !== undefined) return `Top ${of} ${field} values${rest}`;
      return `Top ${of} ${r.what}${rest}`;
    }
  }
}

/** Every cut, one sentence; empty when the chart draws its whole result. */
export function describeReductions(reductions: readonly ChartReduction[], spec: ChartSpec): string {
  return reductions.map((r) => describeReduction(r, unpivotedSpec(spec))).join(' · ');
}
