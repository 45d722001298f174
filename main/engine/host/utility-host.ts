/**
 * What the engine's utility process does, independent of who started it: open the workspace when the
 * parent says so, serve the contract on the port the parent hands over (one renderer at a time: a new
 * port replaces the old one after a reload; channels acting with AWS credentials refused there), register
 * picked files, make the calls only the parent may make, shut down on request.
 *
 * The same function runs in Electron (parent = `process.parentPort`) and in tests through a
 * `worker_threads` worker, so the code Electron runs is exercised without the Electron binary.
 */
import { isCredentialChannel, type WireError } from '../../../preload/contract';
import { dispatch } from '../dispatch';
import { FlowscopeError, toWireError } from '../errors';
import { serveEndpoint, type HostedEngine, type RefuseChannel } from './endpoint';
import { ParentRequest, type ParentReply } from './parent-protocol';
import { portEndpoint, type PortKind, type PortLike } from './port-endpoint';

export interface ParentChannel {
  kind: PortKind;
  post(reply: ParentReply): void;
  onMessage(listener: (message: unknown, ports: ClosablePort[]) => void): void;
}

export interface ClosablePort extends PortLike {
  close(): void;
}

/** What the utility process needs of the engine; `Engine` is one. */
export interface UtilityEngine extends HostedEngine {
  files: { register(path: string): string };
  close(): Promise<void>;
}

export type OpenEngine = (workspace: string, options: { demo: boolean; create: boolean }) => Promise<UtilityEngine>;

/** The renderer's port serves every channel but those acting with AWS credentials, which only main may call. */
const refuseOnRendererPort: RefuseChannel = (channel) =>
  isCredentialChannel(channel)
    ? `${channel} acts with your AWS credentials: the app calls it for you once you confirm it.`
    : null;

export function runUtilityHost(parent: ParentChannel, openEngine: OpenEngine, exit: () => void): void {
  let engine: Promise<UtilityEngine> | null = null;
  let rendererPort: ClosablePort | null = null;

  const needEngine = (): Promise<UtilityEngine> => {
    if (!engine) throw new FlowscopeError('bad_request', 'No workspace is open yet.');
    return engine;
  };

  parent.onMessage((raw, ports) => {
    const parsed = ParentRequest.safeParse(raw);
    if (!parsed.success) {
      parent.post({
        type: 'protocol-error',
        error: { code: 'bad_request', message: 'Unknown message on the parent channel.' },
      });
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'open': {
        if (engine) {
          parent.post({
            type: 'open-failed',
            error: { code: 'bad_request', message: 'This engine already has a workspace open.' },
          });
          return;
        }
        engine = openEngine(message.workspace, { demo: message.demo, create: message.create });
        engine.then(
          (opened) => opened.workspaceInfo({}).then((info) => parent.post({ type: 'opened', info })),
          (err: unknown) => {
            engine = null;
            parent.post({ type: 'open-failed', error: toWireError(err) });
          },
        );
        return;
      }
      case 'connect': {
        const port = ports[0];
        if (!port) {
          parent.post({
            type: 'protocol-error',
            error: { code: 'bad_request', message: 'A connect message must carry a port.' },
          });
          return;
        }
        rendererPort?.close();
        rendererPort = port;
        void whenEngine(
          needEngine,
          (opened) => {
            serveEndpoint(opened, portEndpoint(port, parent.kind), refuseOnRendererPort);
            parent.post({ type: 'connected' });
          },
          (error) => parent.post({ type: 'protocol-error', error }),
        );
        return;
      }
      case 'files.register': {
        const { requestId, paths } = message;
        void whenEngine(
          needEngine,
          (opened) => {
            parent.post({
              type: 'files.registered',
              requestId,
              handles: paths.map((path) => opened.files.register(path)),
            });
          },
          (error) => parent.post({ type: 'files.failed', requestId, error }),
        );
        return;
      }
      case 'call': {
        const { requestId, channel, input } = message;
        void whenEngine(
          needEngine,
          async (opened) => {
            const response = await dispatch(opened, { id: requestId, channel, input });
            const outcome = response.ok
              ? { ok: true as const, value: response.value }
              : { ok: false as const, error: response.error };
            parent.post({ type: 'called', requestId, outcome });
          },
          (error) => parent.post({ type: 'called', requestId, outcome: { ok: false, error } }),
        );
        return;
      }
      case 'shutdown': {
        rendererPort?.close();
        const closing = engine ? engine.then((opened) => opened.close()) : Promise.resolve();
        void closing.catch(() => undefined).finally(exit);
        return;
      }
    }
  });
}

async function whenEngine(
  needEngine: () => Promise<UtilityEngine>,
  use: (engine: UtilityEngine) => void | Promise<void>,
  fail: (error: WireError) => void,
): Promise<void> {
  try {
    await use(await needEngine());
  } catch (err) {
    fail(toWireError(err));
  }
}
