/**
 * The one dispatcher every transport uses: it validates a message against the contract, calls the engine
 * method that serves the channel, and answers with a value or a coded error. Nothing reaches the engine
 * unvalidated, and no exception escapes as anything but a `{code, message}`.
 */
import {
  channels,
  isChannel,
  methodName,
  RequestMessage,
  type Channel,
  type ContractHandlers,
  type ResponseMessage,
} from '../../preload/contract';
import { FlowscopeError, toWireError } from './errors';

export async function dispatch(handlers: ContractHandlers, message: unknown): Promise<ResponseMessage> {
  const envelope = RequestMessage.safeParse(message);
  if (!envelope.success) {
    return {
      id: idOf(message),
      ok: false,
      error: { code: 'bad_request', message: 'A message must be {id, channel, input}.' },
    };
  }
  const { id, channel, input } = envelope.data;
  try {
    return { id, ok: true, value: await call(handlers, channel, input) };
  } catch (err) {
    return { id, ok: false, error: toWireError(err) };
  }
}

/** Validate and call one channel; throws a FlowscopeError for bad input. */
export async function call(handlers: ContractHandlers, channel: string, input: unknown): Promise<unknown> {
  if (!isChannel(channel)) throw new FlowscopeError('unknown_channel', `No channel is called "${channel}".`);
  const parsed = channels[channel].input.safeParse(input ?? {});
  if (!parsed.success) {
    throw new FlowscopeError(
      'bad_request',
      `Bad input for ${channel}: ${parsed.error.issues.map(describeIssue).join('; ')}`,
      {
        issues: parsed.error.issues.map(describeIssue),
      },
    );
  }
  const method = handlers[methodName(channel as Channel)] as (input: unknown) => Promise<unknown>;
  return method.call(handlers, parsed.data);
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

function idOf(message: unknown): number | string {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'number' || typeof id === 'string' ? id : -1;
}
