import type { BuildOptions } from 'esbuild';

export declare function electronBundles(
  root: string,
  out?: string,
): { main: BuildOptions; preload: BuildOptions; utility: BuildOptions };
