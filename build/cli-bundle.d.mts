import type { BuildOptions, Metafile } from 'esbuild';
export const CLI_ENTRY: string;
export function cliOptions(root: string, out?: string): BuildOptions;
export function buildCli(root: string, out?: string): Promise<Metafile>;
export function isCliBundleStale(root: string, out?: string): boolean;
