/**
 * A saved-query file given on the command line (`flowscope query --file q.flowquery.json`): read with the
 * same checks as an imported file (size cap, version, strict schema), and its time range made concrete —
 * `{"last": "24h"}` means the last 24 hours of the data in the workspace, as it does in the app.
 */
import { readFileSync, statSync } from 'node:fs';
import type { TimeRange, WorkspaceInfo } from '../../../preload/contract';
import { SavedQuery, type SavedTimeRange } from '../../../queries/library/saved-query';
import { lastOfClock, lastOfData } from '../../../queries/library/span';
import { FlowscopeError } from '../errors';
import { checkFileSize, documentText, parseDocument } from './documents';

export function readSavedQueryFile(path: string): SavedQuery {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new FlowscopeError('not_found', `There is no file ${path}.`);
  }
  if (!stat.isFile())
    throw new FlowscopeError(
      'bad_request',
      `${path} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, not a saved-query file (*.flowquery.json).`,
    );
  const size = stat.size;
  // Named as given, so that the message says which of the analyst's files it is.
  checkFileSize(path, size);
  return parseDocument(SavedQuery, documentText(readFileSync(path), path), path);
}

/**
 * The saved range as the engine takes it. A relative one ends just after the workspace's newest record's start
 * (`span`), or, for a remote engine's live data, at the wall clock's `now` (milliseconds).
 */
export function concreteTimeRange(
  range: SavedTimeRange | undefined,
  span: WorkspaceInfo['timeSpan'] | number,
): TimeRange | undefined {
  if (!range) return undefined;
  if ('from' in range) return { from: range.from, to: range.to };
  if (typeof span === 'number') return lastOfClock(range.last, span);
  return span ? lastOfData(range.last, span.newestStart) : undefined;
}
