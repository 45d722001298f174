/**
 * Watches the process's resident memory while queries run. DuckDB's memory limit holds for its buffers
 * (tables, sorts, hash tables, which spill to disk), but not for the strings and lists expressions and
 * aggregates build (`string_agg`, `list`, …), which can grow the process far past it. DuckDB stops a query
 * at its next chunk of rows when interrupted, so a watch that samples often can stop such a query before
 * the process reaches twice the limit.
 */

/** Above this share of the memory limit the process is taken to be running away. */
export const MEMORY_STOP_FACTOR = 1.5;
const SAMPLE_MS = 50;

export class MemoryWatch {
  private timer: NodeJS.Timeout | null = null;
  private users = 0;

  constructor(
    /** Bytes of resident memory above which `onOver` is called (once per sample while above). */
    private readonly threshold: number,
    private readonly onOver: () => void,
    private readonly rss: () => number = () => process.memoryUsage.rss(),
  ) {}

  /** Watches until the function it answers is called; watches overlap (one timer for all). */
  start(): () => void {
    if (this.users++ === 0) {
      this.timer = setInterval(() => {
        if (this.rss() > this.threshold) this.onOver();
      }, SAMPLE_MS);
      this.timer.unref();
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--this.users === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }
}
