import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceName } from '../../../preload/contract';

test('a workspace name is a plain file name: any language, spaces inside, the .duckdb suffix dropped', () => {
  for (const [typed, name] of [
    ['case-b', 'case-b'],
    ['  Incident 2026-03 (prod)  ', 'Incident 2026-03 (prod)'],
    ['Prüfung – Köln', 'Prüfung – Köln'],
    ['flows.duckdb', 'flows'],
    ['flows.DuckDB', 'flows'],
    ['v1.2 results', 'v1.2 results'],
    ['console', 'console'],
  ])
    assert.equal(WorkspaceName.parse(typed), name, typed);
});

test('a workspace name that could reach another file, or that a file system refuses, is refused', () => {
  for (const name of [
    '',
    '.duckdb',
    '..',
    '../x',
    'a/b',
    'a\\b',
    '/etc/passwd',
    'C:x',
    '.hidden',
    'trailing.',
    'nul',
    'COM1.txt',
    'tab\there',
    'a'.repeat(101),
    'what?',
  ])
    assert.equal(WorkspaceName.safeParse(name).success, false, JSON.stringify(name));
});
