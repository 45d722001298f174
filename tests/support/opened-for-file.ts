/**
 * What all the tests of one file share (a workspace, an engine, a fixture): opened in a `before` hook,
 * closed in an `after` hook, and the folder it lives in, when given, removed after that. The answer reads it
 * in a test: `const fx = openedForFile(() => openFixture())`, then `fx().engine`. It stands for the `let`
 * and the pair of hooks that every such file wrote out.
 */
import { rmSync } from 'node:fs';
import { after, before } from 'node:test';

export function openedForFile<T extends { close(): unknown }>(open: () => Promise<T>, removing?: string): () => T {
  let opened: T | undefined;
  before(async () => {
    opened = await open();
  });
  after(async () => {
    await opened?.close();
    if (removing !== undefined) rmSync(removing, { recursive: true, force: true });
  });
  return () => {
    if (opened === undefined) throw new Error('read in a test: it is opened before the tests run');
    return opened;
  };
}
