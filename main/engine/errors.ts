import type { ErrorCode, WireError } from '../../preload/contract';

/** An error the engine means to tell the caller about: it crosses the contract as a coded value. */
export class FlowscopeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'FlowscopeError';
  }
}

export function toWireError(err: unknown): WireError {
  if (err instanceof FlowscopeError) {
    return err.detail === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, detail: err.detail };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
