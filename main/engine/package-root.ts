/**
 * The folder of Flowscope's package.json, found from a module upward. The files that ship beside the code
 * (the built-in library, the built renderer) are found from it the same way whether the code runs from its
 * sources (`main/…`) or from a bundle under `dist/` (`dist/cli/…`, `dist/engine/…`, a chunk deeper down).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(moduleUrl: string): string {
  for (let dir = dirname(fileURLToPath(moduleUrl)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`There is no package.json above ${fileURLToPath(moduleUrl)}.`);
  }
}
