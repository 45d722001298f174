/**
 * The record format of a CloudWatch log group whose flow log uses a custom format. CloudWatch keeps no
 * header, so the format is given once (`pull cloudwatch <group> --log-format …`) and remembered in the
 * workspace for that group: later pulls of the group, and subscription deliveries (Firehose objects, Lambda
 * events) holding its events, read its records with it. Kept as pull state (`pull_checkpoints`, source
 * 'cloudwatch-format', key the group), beside the windows the pulls already remember.
 */
import type { SqlRunner, Workspace } from '../workspace';
import { parseLogFormat } from './log-format';

const SOURCE = 'cloudwatch-format';

/** The formats remembered for those of `groups` that have one. */
export async function rememberedFormats(db: SqlRunner, groups: readonly string[]): Promise<Map<string, string>> {
  if (groups.length === 0) return new Map();
  // A workspace remembers a handful of groups: all of them in one read.
  const rows = await db.all<{ key: string; value: string }>(
    'SELECT key, value FROM pull_checkpoints WHERE source = $1',
    [SOURCE],
  );
  const wanted = new Set(groups);
  return new Map(
    rows.filter((r) => wanted.has(r.key)).map((r) => [r.key, (JSON.parse(r.value) as { format: string }).format]),
  );
}

/** Remembers `format` for `group` (checked first: a format that does not parse is refused, not kept). */
export async function rememberFormat(ws: Workspace, group: string, format: string): Promise<void> {
  parseLogFormat(format);
  await ws.transaction((tx) => tx.setCheckpoint(SOURCE, group, JSON.stringify({ format })));
}

/**
 * The format a pull of `group` reads its records with: the one given (remembered from now on), else the one
 * remembered, else none (the default format).
 */
export async function formatForPull(
  ws: Workspace,
  group: string,
  given: string | undefined,
): Promise<string | undefined> {
  if (given) {
    await rememberFormat(ws, group, given);
    return given;
  }
  return (await rememberedFormats(ws, [group])).get(group);
}
