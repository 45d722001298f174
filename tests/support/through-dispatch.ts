/**
 * Contract calls through the real dispatcher (input validation, coded errors), as a transport makes them.
 */
import assert from 'node:assert/strict';
import type { Channel, ContractHandlers, Input, Output, WireError } from '../../preload/contract';
import { dispatch } from '../../main/engine/dispatch';

/** The channel's value; a refusal is thrown as an Error carrying the coded error's fields. */
export async function callChannel<C extends Channel>(
  handlers: ContractHandlers,
  channel: C,
  input: Input<C>,
): Promise<Output<C>> {
  const r = await dispatch(handlers, { id: 1, channel, input });
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as Output<C>;
}

/** The coded error of a call that must be refused; fails the test if it was answered. */
export async function refusedChannel<C extends Channel>(
  handlers: ContractHandlers,
  channel: C,
  input: Input<C>,
): Promise<WireError> {
  const r = await dispatch(handlers, { id: 1, channel, input });
  assert.equal(r.ok, false, `${channel} should have been refused`);
  return (r as { error: WireError }).error;
}
