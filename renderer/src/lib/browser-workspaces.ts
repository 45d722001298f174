/**
 * The browser host's workspaces, for the socket client: `flowscope serve` lists the workspaces of its folder
 * at `GET WORKSPACES_PATH` and switches (creating first when asked) at `POST WORKSPACES_PATH`. A refusal
 * comes back as the coded error a contract call would answer, and is thrown as one.
 */
import { WORKSPACES_PATH, WireError, WorkspaceFolder, type WorkspaceSwitch } from '../../../preload/contract';
import { ContractError, type FolderWorkspaces } from '../../../preload/rpc-client';

async function answer(response: Promise<Response>): Promise<WorkspaceFolder> {
  let reply: Response;
  try {
    reply = await response;
  } catch {
    throw new ContractError({ code: 'internal', message: 'The connection to flowscope serve was lost.' });
  }
  const text = await reply.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // A refusal before the route (no session, a foreign origin) is plain text.
  }
  if (reply.ok) return WorkspaceFolder.parse(body);
  const error = WireError.safeParse(body);
  throw new ContractError(error.success ? error.data : { code: 'internal', message: text || `HTTP ${reply.status}` });
}

export const folderWorkspaces: FolderWorkspaces = {
  kind: 'folder',
  list: () => answer(fetch(WORKSPACES_PATH, { cache: 'no-store' })),
  switchTo: (request: WorkspaceSwitch) =>
    answer(
      fetch(WORKSPACES_PATH, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      }),
    ),
};
