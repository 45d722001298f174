/** A one-line progress bar for a job, redrawn on a terminal's stderr; nothing at all when it is not a terminal. */
import type { JobProgress } from '../../preload/contract';
import type { Io } from './command';
import { thousands } from './output';

export class ProgressBar {
  private drawn = false;

  constructor(private readonly stream: Io['err']) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  draw(p: JobProgress): void {
    if (!this.enabled) return;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 60));
    const fraction = p.bytesTotal ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
    const filled = Math.round(fraction * width);
    const parts = [
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`,
      p.bytesTotal ? `${Math.floor(fraction * 100)}%` : '',
      `${thousands(p.records)} records`,
      p.rejected ? `${thousands(p.rejected)} rejected` : '',
      `${(p.rate / 1024 ** 2).toFixed(1)} MB/s`,
      p.etaMs === null ? '' : `${Math.ceil(p.etaMs / 1000)} s left`,
    ];
    this.stream.write(`\r\x1b[2K${parts.filter(Boolean).join('  ')}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
