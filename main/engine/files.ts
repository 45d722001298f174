/**
 * File handles: a host (CLI, serve, Electron main) that saw the user pick or drop a file registers its path
 * and passes the handle (`fh_…`) over the contract. The renderer never names a path, so it can only reach
 * files a trusted host registered.
 */
import { randomBytes } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { FlowscopeError } from './errors';

export class FileRegistry {
  private readonly paths = new Map<string, string>();

  register(path: string): string {
    const handle = `fh_${randomBytes(18).toString('base64url')}`;
    this.paths.set(handle, resolvePath(path));
    return handle;
  }

  resolve(handle: string): string {
    const path = this.paths.get(handle);
    if (path === undefined) throw new FlowscopeError('not_found', `No file is registered as ${handle}.`);
    return path;
  }
}
