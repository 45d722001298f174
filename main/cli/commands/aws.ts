/**
 * `flowscope aws profiles | log-groups | streams <group> | buckets [--prefix] [--profile] [--region] [--endpoint-url] [--json]`
 * The listings behind the app's pickers: names only, one per line (with --json one JSON array).
 * `flowscope aws ip-ranges [--refresh] [--endpoint-url URL] [--json]`: what AWS's ip-ranges.json kept in the
 * user's data folder holds (for aws_service/aws_region), fetched anew with --refresh.
 */
import { listProfiles } from '../../engine/ingest/aws/profiles';
import { FlowscopeError } from '../../engine/errors';
import { write, type Command } from '../command';
import { awsTarget, awsTargetOptions } from './pull';

export const awsCommand: Command = {
  name: 'aws',
  summary: 'List AWS profiles, CloudWatch log groups and streams, or S3 buckets to pull from.',
  usage:
    'aws profiles | log-groups | streams <log-group> | buckets [--prefix <p>] [--profile P] [--region R] [--endpoint-url URL] [--json]\n' +
    '       flowscope aws ip-ranges [--refresh] [--endpoint-url URL] [--json]   AWS ip-ranges.json for aws_service/aws_region',
  options: {
    ...awsTargetOptions,
    prefix: { type: 'string' },
    json: { type: 'boolean' },
    refresh: { type: 'boolean' },
  },
  async run(args, io) {
    const [what, group, ...extra] = args.positionals;
    if (extra.length) throw new FlowscopeError('bad_request', `Unexpected arguments: ${extra.join(' ')}`);
    if (what === 'ip-ranges') {
      const { awsIpRangesFile, awsIpRangesInfo, refreshAwsIpRanges } =
        await import('../../engine/ingest/aws/ip-ranges');
      const file = awsIpRangesFile();
      const url = typeof args.values['endpoint-url'] === 'string' ? args.values['endpoint-url'] : undefined;
      const info = args.values.refresh ? await refreshAwsIpRanges(file, url) : await awsIpRangesInfo(file);
      if (args.values.json) await write(io.out, `${JSON.stringify(info)}\n`);
      else if (!info)
        await write(
          io.out,
          `No AWS ip-ranges.json at ${file}. Fetch it while online: flowscope aws ip-ranges --refresh\n`,
        );
      else
        await write(
          io.out,
          `${info.file}: created ${info.createDate} (sync token ${info.syncToken}), ${info.ipv4Ranges} IPv4 and ${info.ipv6Ranges} IPv6 ranges\n`,
        );
      return 0;
    }
    const target = awsTarget(args);
    const prefix = typeof args.values.prefix === 'string' ? args.values.prefix : undefined;
    const { listBuckets, listLogGroups, listLogStreams } = await import('../../engine/ingest/aws/listings');
    let rows: Array<Record<string, unknown> & { name: string }>;
    let describe: (row: Record<string, unknown>) => string;
    switch (what) {
      case 'profiles':
        rows = listProfiles().map((p) => ({ ...p }));
        describe = (p) => `${String(p.kind).padEnd(12)}${p.region ? ` ${String(p.region)}` : ''}`;
        break;
      case 'log-groups':
        rows = await listLogGroups(target, prefix);
        describe = (g) => (g.storedBytes === null ? '' : `${String(g.storedBytes)} bytes`);
        break;
      case 'streams':
        if (!group) throw new FlowscopeError('bad_request', 'Name the log group: flowscope aws streams <log-group>.');
        rows = await listLogStreams(target, group, prefix);
        describe = (s) => `${String(s.firstEvent ?? '-')} .. ${String(s.lastEvent ?? '-')}`;
        break;
      case 'buckets':
        rows = await listBuckets(target);
        describe = (b) => String(b.created ?? '');
        break;
      default:
        throw new FlowscopeError(
          'bad_request',
          'Say what to list: profiles, log-groups, streams <log-group>, buckets or ip-ranges.',
        );
    }
    if (args.values.json) await write(io.out, `${JSON.stringify(rows)}\n`);
    else await write(io.out, rows.map((r) => `${r.name}  ${describe(r)}`.trimEnd() + '\n').join(''));
    return 0;
  },
};
