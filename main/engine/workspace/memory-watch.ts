/**
 * Watches the process's resident memory while queries run. DuckDB's memory limit holds for its buffers
 * (tables, sorts, hash tables, which spill to disk), but not for the strings and lists expressions and
 * aggregates build (`string_agg`, `list`, …), which can grow the process far past it. DuckDB stops a query
 * at its next chunk of rows when interrupted, so a watch that samples often can stop such a query before
 * the process reaches twice the limit.
 *
 * Memory a finished query freed is not always given back to the system at once, so the resident size can
 * stay high after it: a query is stopped only when the process is above the threshold and has grown by a
 * noticeable amount (GROWTH_SHARE of the threshold) since that query started.
 */

/** Above this share of the memory limit the process is taken to be running away. */
export const MEMORY_STOP_FACTOR = 1.5;
/**
 * The same for a write (an import's transaction), which needs more than a query: DuckDB's own load of a busy
 * VPC's 100 M records peaks at 1.1 times the limit, the engine's import at 1.2 to 1.3 times.
 */
export const WRITE_STOP_FACTOR = 2;
const GROWTH_SHARE = 1 / 8;
const SAMPLE_MS = 50;

export class MemoryWatch {
  private timer: NodeJS.Timeout | null = null;
  /** The resident size when each watched query started, by its stop function. */
  private readonly watched = new Map<() => void, number>();

  constructor(
    /** Bytes of resident memory above which a growing query is stopped. */
    private readonly threshold: number,
    private readonly rss: () => number = () => process.memoryUsage.rss(),
  ) {}

  /** Watches a query until the function it answers is called; `stop` is called if the query runs away. */
  start(stop: () => void): () => void {
    this.watched.set(stop, this.rss());
    if (!this.timer) {
      this.timer = setInterval(() => this.sample(), SAMPLE_MS);
      this.timer.unref();
    }
    return () => {
      this.watched.delete(stop);
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  private sample(): void {
    const now = this.rss();
    if (now <= this.threshold) return;
    for (const [stop, atStart] of this.watched) if (now - atStart > this.threshold * GROWTH_SHARE) stop();
  }
}

/** A write the watch stopped: it grew the process past `bytes`. */
export class WriteRanAway extends Error {
  constructor(readonly bytes: number) {
    super(
      `it grew the process past ${(bytes / 1024 ** 3).toFixed(1)} GiB, twice the workspace's memory limit, and was stopped`,
    );
  }
}
