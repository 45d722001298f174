#!/usr/bin/env node
// The `flowscope` command. A packaged build runs its bundle (dist/cli/flowscope.mjs); a checkout runs the
// TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/flowscope.mjs', import.meta.url);
let cli;
if (existsSync(bundle)) {
  cli = await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../main/cli/index.ts', import.meta.url).href);
}
await cli.runAndExit(process.argv.slice(2));
