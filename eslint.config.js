import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

/** The layering rules of ARCHITECTURE.md, enforced: who may import Node, DuckDB and Electron. */
const NODE = {
  group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'worker_threads', 'zlib', 'stream'],
  message: 'queries/, the contract and the renderer are pure: no Node built-ins.',
};
const DUCKDB = { group: ['@duckdb/*'], message: 'Only main/engine/workspace/ imports DuckDB.' };
const ELECTRON = { group: ['electron'], message: 'Only main/electron/ and preload/index.ts import Electron.' };
const ENGINE = { group: ['**/main/**'], message: 'Pure code does not import the engine.' };
const layer = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'release', 'test-results', 'playwright-report', 'bench-out', 'types/electron'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  layer(['queries/**', 'preload/contract.ts', 'preload/contract/**', 'renderer/**'], [NODE, DUCKDB, ELECTRON, ENGINE]),
  layer(['main/engine/**', 'main/serve/**', 'main/cli/**'], [DUCKDB, ELECTRON], ['main/engine/workspace/**']),
  layer(['main/engine/workspace/**'], [ELECTRON]),
  layer(['main/electron/**', 'preload/index.ts'], [DUCKDB]),
);
