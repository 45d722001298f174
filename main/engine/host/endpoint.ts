/**
 * The transport-neutral half of every host: one connection (a WebSocket, a MessagePort) carries contract
 * requests in and responses and engine events out. Each transport only adapts its socket or port to a
 * `MessageEndpoint`; validation and dispatch happen here, once, for all of them.
 */
import {
  RequestMessage,
  type ContractHandlers,
  type EventMessage,
  type ResponseMessage,
} from '../../../preload/contract';
import { dispatch } from '../dispatch';

export interface MessageEndpoint {
  send(message: ResponseMessage | EventMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  onClose(listener: () => void): void;
}

/** Engine events as a host can subscribe to them; the returned function unsubscribes. */
export type SubscribeEvents = (listener: (event: EventMessage) => void) => () => void;

/** The engine as a host serves it: the contract methods and its event stream. */
export interface HostedEngine extends ContractHandlers {
  on: SubscribeEvents;
}

/** Why a channel is not served on an endpoint, or null when it is. */
export type RefuseChannel = (channel: string) => string | null;

/**
 * Serve contract calls arriving on `endpoint` and forward engine events to it until it closes. A channel
 * that `refuse` names a reason for is answered with that reason and never reaches the engine.
 */
export function serveEndpoint(engine: HostedEngine, endpoint: MessageEndpoint, refuse?: RefuseChannel): void {
  let open = true;
  /** The queries this connection started that are not answered yet, by the id it chose for them. */
  const running = new Set<string>();
  const unsubscribe = engine.on((event) => {
    if (open) endpoint.send(event);
  });
  endpoint.onMessage((message) => {
    const refused = refuse && refusal(message, refuse);
    const queryId = refused ? undefined : startedQueryId(message);
    if (queryId) running.add(queryId);
    void (refused ? Promise.resolve(refused) : dispatch(engine, message)).then((response) => {
      if (queryId) running.delete(queryId);
      if (open) endpoint.send(response);
    });
  });
  endpoint.onClose(() => {
    open = false;
    unsubscribe();
    // A page reloaded or closed mid-run leaves nothing running for no one (a query ran on at full CPU to
    // its end): its queries are cancelled, as a closed tab's are.
    for (const queryId of running)
      void dispatch(engine, { id: 'connection-closed', channel: 'query.cancel', input: { queryId } });
  });
}

/** The id a request names for the query it starts (a run, a page, an export), which `query.cancel` stops. */
function startedQueryId(message: unknown): string | undefined {
  const request = RequestMessage.safeParse(message);
  if (!request.success || request.data.channel === 'query.cancel') return undefined;
  const queryId = (request.data.input as { queryId?: unknown } | null)?.queryId;
  return typeof queryId === 'string' ? queryId : undefined;
}

function refusal(message: unknown, refuse: RefuseChannel): ResponseMessage | null {
  const request = RequestMessage.safeParse(message);
  const reason = request.success ? refuse(request.data.channel) : null;
  return request.success && reason
    ? { id: request.data.id, ok: false, error: { code: 'bad_request', message: reason } }
    : null;
}

/** The answer to a message that could not even be read (not JSON, not an object): there is no id to echo. */
export function unreadableMessage(reason: string): ResponseMessage {
  return { id: -1, ok: false, error: { code: 'bad_request', message: `Unreadable message: ${reason}` } };
}
