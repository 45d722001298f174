import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';
import { layersRule } from './build/lint/layers.js';

/**
 * The layering of ARCHITECTURE.md, enforced. Packages: who may import Node, DuckDB and Electron.
 * Every Node built-in (node's own list), with and without `node:`.
 */
const NODE = {
  group: ['node:*', ...builtinModules.flatMap((name) => [name, `${name}/*`])],
  message: 'queries/, the contract and the renderer are pure: no Node built-ins.',
};
const DUCKDB = { group: ['@duckdb/*'], message: 'Only main/engine/workspace/ imports DuckDB.' };
const ELECTRON = { group: ['electron'], message: 'Only main/electron/ and preload/index.ts import Electron.' };
const layer = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

/** Folders: the arrows between layers that must not exist (a relative import is checked by where it lands). */
const FENCES = [
  { from: 'queries/', forbid: ['preload/', 'main/', 'renderer/'], why: 'queries/ is the lowest layer.' },
  {
    from: 'queries/catalog/',
    forbid: ['queries/language/', 'queries/library/', 'queries/chart/'],
    why: 'catalog is data, below the languages.',
  },
  {
    from: 'queries/language/',
    forbid: ['queries/library/', 'queries/chart/'],
    why: 'the built-in library is written in the languages.',
  },
  { from: 'queries/library/', forbid: ['queries/chart/'], why: 'charts read saved-query specs, not the other way.' },
  { from: 'preload/contract', forbid: ['main/', 'renderer/'], why: 'the contract is pure and host-free.' },
  { from: 'renderer/', forbid: ['main/'], why: 'the renderer reaches the engine only through the contract.' },
  {
    from: 'main/engine/',
    forbid: ['main/cli/', 'main/serve/', 'main/electron/'],
    why: 'the engine never depends on its hosts.',
  },
  {
    from: 'main/engine/workspace/',
    forbid: ['main/engine/ingest/'],
    why: 'the workspace is below ingest: ingest writes into it, never the other way.',
  },
];

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
  {
    plugins: { flowscope: { rules: { layers: layersRule } } },
    rules: { 'flowscope/layers': ['error', FENCES] },
  },
  layer(
    ['queries/**', 'preload/contract.ts', 'preload/contract/**', 'preload/shell-channels.ts', 'renderer/**'],
    [NODE, DUCKDB, ELECTRON],
  ),
  layer(['main/engine/**', 'main/serve/**', 'main/cli/**'], [DUCKDB, ELECTRON], ['main/engine/workspace/**']),
  layer(['main/engine/workspace/**'], [ELECTRON]),
  layer(['main/electron/**', 'preload/index.ts'], [DUCKDB]),
  {
    // The client is the renderer's only seam with its host: talking to the host another way belongs in the
    // clients (the socket client's browser-files.ts and browser-workspaces.ts, or the preload's bridge), not in
    // a component.
    files: ['renderer/**'],
    ignores: ['renderer/src/lib/browser-files.ts', 'renderer/src/lib/browser-workspaces.ts', 'renderer/src/lib/api.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((name) => ({
          name,
          message: 'The renderer reaches its host only through the client (api()).',
        })),
      ],
    },
  },
);
