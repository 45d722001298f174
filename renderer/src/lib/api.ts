/**
 * The one place the renderer gets its engine client from: the bridge the Electron preload put on
 * `window.flowscope`, otherwise a WebSocket client to `flowscope serve`. Components never know which.
 */
import { clientFromBridge, type FlowscopeBridge, type FlowscopeClient } from '../../../preload/rpc-client';
import { pageSocketUrl, socketClient } from './socket-client';

export { ContractError, type ConnectionState, type FlowscopeClient } from '../../../preload/rpc-client';

declare global {
  interface Window {
    flowscope?: FlowscopeBridge;
  }
}

let client: FlowscopeClient | null = null;

export function api(): FlowscopeClient {
  client ??= window.flowscope
    ? clientFromBridge(window.flowscope)
    : socketClient(() => new WebSocket(pageSocketUrl(window.location)), admitted);
  return client;
}

/** Whether `flowscope serve` still admits this page's session: a restarted one answers 401. */
async function admitted(): Promise<boolean> {
  try {
    const answer = await fetch('/', { method: 'HEAD', cache: 'no-store' });
    return answer.status !== 401 && answer.status !== 403;
  } catch {
    return true; // not up yet: keep trying
  }
}
