/** How numbers, times and paths read on screen. */
import type { RejectUnit } from '../../../preload/contract';

const counts = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return counts.format(n);
}

/** Rejected records counted in what they are: `3 rejected lines`, `1 rejected event`, `2 rejected rows`. */
export function formatRejects(n: number, unit: RejectUnit): string {
  return `${formatCount(n)} rejected ${unit}${n === 1 ? '' : 's'}`;
}

/** The last part of a path, whichever separator the machine that wrote it uses. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** An ISO instant as "2026-01-02 03:04 UTC": analysts compare logs in UTC. */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
