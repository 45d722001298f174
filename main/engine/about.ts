/**
 * `app.about`: Flowscope's version and licence, and the data and software inside it with their licences
 * and attributions (queries/catalog/attributions.ts), each data package with the version installed, read
 * where it is installed: the snapshot that answers the analyst's queries.
 */
import { createRequire } from 'node:module';
import packageJson from '../../package.json' with { type: 'json' };
import type { Output } from '../../preload/contract';
import { DATA_SOURCES, SOFTWARE } from '../../queries/catalog/attributions';

const require = createRequire(import.meta.url);

/** The installed version of a package, or null where it is not installed (a renderer-only package in the app). */
function installedVersion(pkg: string | null): string | null {
  if (!pkg) return null;
  try {
    return (require(`${pkg}/package.json`) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

export function aboutFlowscope(): Output<'app.about'> {
  return {
    name: 'Flowscope',
    version: packageJson.version,
    licence: packageJson.license,
    data: DATA_SOURCES.map((d) => ({ ...d, links: [...d.links], version: installedVersion(d.package) })),
    software: SOFTWARE.map(({ name, licence, url }) => ({ name, licence, url })),
  };
}
