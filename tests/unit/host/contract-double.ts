/**
 * A stand-in engine for transport tests: it serves `workspace.info` and `query.run` with values computed
 * from its input, and emits events on demand. Every other channel answers `internal`, so a test that
 * reaches one by mistake fails loudly. The end-to-end and conformance suites use the real Engine.
 */
import {
  channels,
  methodName,
  type Channel,
  type ContractHandlers,
  type EventMessage,
  type ParsedInput,
} from '../../../preload/contract';
import type { HostedEngine } from '../../../main/engine/host/endpoint';
import { FlowscopeError } from '../../../main/engine/errors';

const contractMethods = new Set<PropertyKey>(Object.keys(channels).map((channel) => methodName(channel as Channel)));

export interface ContractDouble extends HostedEngine {
  emit(event: EventMessage): void;
  listenerCount(): number;
  calls: string[];
}

export function contractDouble(): ContractDouble {
  const listeners = new Set<(event: EventMessage) => void>();
  const calls: string[] = [];
  const served: Partial<ContractHandlers> = {
    async workspaceInfo() {
      calls.push('workspaceInfo');
      return {
        path: '/double.duckdb',
        records: 3,
        rejected: 0,
        timeSpan: null,
        imports: 1,
        schemaVersion: 1,
        storage: { version: 'v1.5.0+', current: true },
      };
    },
    async queryRun(input: ParsedInput<'query.run'>) {
      calls.push('queryRun');
      return {
        resultId: 'r1',
        columns: [{ name: 'query', type: 'VARCHAR' }],
        rows: [[input.query]],
        offset: 0,
        rowCount: 1,
        dialect: input.dialect ?? 'sql',
        elapsedMs: 0,
        sql: input.query,
      };
    },
  };
  const double = {
    on(listener: (event: EventMessage) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event: EventMessage) => listeners.forEach((listener) => listener(event)),
    listenerCount: () => listeners.size,
    calls,
  };
  return new Proxy(double, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      const method = served[key as keyof ContractHandlers];
      if (method) return method;
      if (!contractMethods.has(key)) return undefined;
      return async () => {
        throw new FlowscopeError('internal', `The contract double does not serve ${String(key)}.`);
      };
    },
  }) as unknown as ContractDouble;
}
