/**
 * The esbuild options of the Electron-side bundles, shared by build/build.mjs and the conformance test
 * (which runs the utility bundle in a worker, as Electron would).
 *   main     <out>/electron/main.cjs     Electron's main process
 *   preload  <out>/electron/preload.cjs  the sandboxed preload (CommonJS, everything but `electron` inlined)
 *   utility  <out>/engine/utility.mjs    the engine's utility-process entry point
 * `out` must sit inside the checkout: the bundles load their npm dependencies from its node_modules.
 */
const NODE_TARGET = 'node22';

export function electronBundles(root, out = 'dist') {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    logLevel: 'warning',
    legalComments: 'none',
  };
  return {
    main: {
      ...common,
      entryPoints: ['main/electron/main.ts'],
      outfile: `${out}/electron/main.cjs`,
      format: 'cjs',
      external: ['electron'],
      packages: 'external',
    },
    // A sandboxed preload may require nothing but `electron`: everything else is inlined.
    preload: {
      ...common,
      entryPoints: ['preload/index.ts'],
      outfile: `${out}/electron/preload.cjs`,
      format: 'cjs',
      external: ['electron'],
      minify: true,
    },
    utility: {
      ...common,
      entryPoints: ['main/engine/host/utility-entry.ts'],
      outfile: `${out}/engine/utility.mjs`,
      format: 'esm',
      packages: 'external',
    },
  };
}
