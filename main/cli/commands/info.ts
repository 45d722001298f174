/**
 * `flowscope info --workspace <file> [--json]`: records, time span, imports, rejected lines and the VPC ranges
 * `direction()` is relative to. `--set-vpc-ranges <cidr,...>` stores the workspace's own VPC ranges and
 * `--clear-vpc-ranges` removes them (the ranges seen in the data apply again) before it shows them.
 */
import type { VpcRanges } from '../../../preload/contract';
import { FlowscopeError } from '../../engine/errors';
import { requireWorkspace, withEngine, workspaceOption, write, type Command } from '../command';
import { thousands } from '../output';
import { importLine } from './imports';

const SOURCE_TEXT: Record<VpcRanges['source'], string> = {
  workspace: 'set in the workspace',
  data: 'seen in the data',
  default: 'the private ranges: no records to infer them from',
};

/** The list to store, if the command line changes the VPC ranges. */
function vpcRangesToSet(values: Record<string, unknown>): string[] | undefined {
  const set = values['set-vpc-ranges'];
  const clear = values['clear-vpc-ranges'] === true;
  if (typeof set === 'string' && clear)
    throw new FlowscopeError('bad_request', 'Give either --set-vpc-ranges or --clear-vpc-ranges, not both.');
  if (clear) return [];
  if (typeof set !== 'string') return undefined;
  const cidrs = set.split(',').filter((c) => c.trim() !== '');
  if (!cidrs.length)
    throw new FlowscopeError('bad_request', '--set-vpc-ranges needs CIDR blocks, e.g. 10.0.0.0/16,172.31.0.0/16.');
  return cidrs;
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'Show what a workspace holds: records, time span, imports, rejected lines, VPC ranges.',
  usage: 'info --workspace <file> [--json] [--set-vpc-ranges <cidr,...> | --clear-vpc-ranges]',
  options: {
    ...workspaceOption,
    json: { type: 'boolean' },
    'set-vpc-ranges': { type: 'string' },
    'clear-vpc-ranges': { type: 'boolean' },
  },
  async run(args, io) {
    const workspace = requireWorkspace(args);
    const toSet = vpcRangesToSet(args.values);
    return withEngine({ workspace }, io, async (engine) => {
      const vpcRanges = toSet
        ? await engine.workspaceSetVpcRanges({ cidrs: toSet })
        : await engine.workspaceVpcRanges();
      const info = await engine.workspaceInfo();
      const { imports } = await engine.workspaceImports({ offset: 0, limit: 10_000 });
      if (args.values.json) {
        await write(io.out, `${JSON.stringify({ ...info, vpcRanges, importList: imports })}\n`);
        return 0;
      }
      const lines = [
        `Workspace      ${info.path}`,
        `Records        ${thousands(info.records)}`,
        `Time span      ${info.timeSpan ? `${info.timeSpan.from} to ${info.timeSpan.to}` : '(empty)'}`,
        `Imports        ${thousands(info.imports)}`,
        `Rejected lines ${thousands(info.rejected)}`,
        `Schema version ${info.schemaVersion}`,
        `Storage format ${info.storage.version}${info.storage.current ? '' : ` (older: queries that group by text are slower; upgrade with \`flowscope compact --workspace ${info.path}\`)`}`,
        `VPC ranges     ${vpcRanges.cidrs.join(', ')} (${SOURCE_TEXT[vpcRanges.source]})`,
      ];
      if (imports.length) {
        lines.push('', 'Imports:');
        for (const i of imports) lines.push(`  ${importLine(i)}`);
      }
      await write(io.out, `${lines.join('\n')}\n`);
      return 0;
    });
  },
};
