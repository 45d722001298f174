/**
 * What a view asks of the engine for what it shows: a result's pages, chart data, counts, histogram and
 * fields after its answer came, or the queries of a page of panels (the entity view). Each request goes
 * under an id of its own, so that when the analyst moves on (runs again, narrows the time range, closes the
 * tab, looks at another entity) everything still in flight is stopped on the engine with `query.cancel`,
 * rather than left to keep DuckDB and its connections busy for an answer nobody will see; an answer that
 * comes after that is refused as `cancelled` too, so it never lands in what replaced it. One request can
 * be stopped alone too (a chart asked again at another width), through an AbortSignal.
 */
import type { Input, Output } from '../../../preload/contract';
import { api, ContractError } from './api';

export type CancellableChannel =
  'query.run' | 'query.page' | 'query.chart' | 'query.stats' | 'query.histogram' | 'query.fields';

let counter = 0;

/** A request stopped here, or on the engine: not a failure to show, the analyst has moved on. */
export function isCancelled(err: unknown): boolean {
  return err instanceof ContractError && err.code === 'cancelled';
}

const cancelled = () => new ContractError({ code: 'cancelled', message: 'The request was cancelled.' });

export class FollowUps {
  /** Requests sent and not yet answered, by their ids. */
  private readonly pending = new Set<string>();
  private stopped = false;

  /**
   * `onGone` hears that the engine no longer keeps the result these requests read (`not_found`: it keeps
   * the latest results of every tab, so another tab's runs may have pushed this one out).
   */
  constructor(
    private readonly prefix: string,
    private readonly onGone?: () => void,
  ) {}

  /**
   * Sends a request under a fresh id; fails with `cancelled` once stopped (all of them, or this one by
   * `signal`), also when its answer comes after the stop.
   */
  ask<C extends CancellableChannel>(
    channel: C,
    input: Omit<Input<C>, 'queryId'>,
    signal?: AbortSignal,
  ): Promise<Output<C>> {
    if (this.stopped || signal?.aborted) return Promise.reject(cancelled());
    const queryId = `${this.prefix}-${(counter++).toString(36)}`;
    this.pending.add(queryId);
    const onAbort = () => this.cancel(queryId);
    signal?.addEventListener('abort', onAbort, { once: true });
    const request = api().invoke(channel, { ...input, queryId } as Input<C>);
    return request
      .then(
        (answer) => {
          if (this.stopped || signal?.aborted) throw cancelled();
          return answer;
        },
        (err: unknown) => {
          if (err instanceof ContractError && err.code === 'not_found' && !this.stopped) this.onGone?.();
          throw err;
        },
      )
      .finally(() => {
        this.pending.delete(queryId);
        signal?.removeEventListener('abort', onAbort);
      });
  }

  /** Stops every request in flight on the engine, and refuses new ones. */
  stop(): void {
    this.stopped = true;
    for (const queryId of [...this.pending]) this.cancel(queryId);
  }

  private cancel(queryId: string): void {
    if (!this.pending.delete(queryId)) return;
    // The request itself then fails with `cancelled`; a cancel that finds nothing (answered meanwhile) is fine.
    void api()
      .invoke('query.cancel', { queryId })
      .catch(() => undefined);
  }
}
