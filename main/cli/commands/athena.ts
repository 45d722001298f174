/**
 * `flowscope athena table s3://bucket/prefix/ [--database d] [--table t] [--create]`: the CREATE EXTERNAL
 * TABLE with partition projection that fits the bucket, printed for the analyst to review, or run on
 * Athena with `--create`. `--endpoint-url` is Athena's, `--s3-endpoint-url` the bucket's (both default to
 * AWS); no workspace is needed.
 */
import { FlowscopeError } from '../../engine/errors';
import { write, type Command } from '../command';
import { awsTarget, awsTargetOptions } from './pull';

const NAME = /^[A-Za-z0-9_]+$/;

export const athenaCommand: Command = {
  name: 'athena',
  summary: 'Write (or, with --create, run) the Athena table for a bucket of VPC flow logs.',
  usage:
    'athena table s3://bucket/prefix/ [--database d] [--table t] [--workgroup w] [--output s3://…] [--create]\n' +
    '       [--profile P] [--region R] [--endpoint-url URL] [--s3-endpoint-url URL]',
  options: {
    ...awsTargetOptions,
    database: { type: 'string' },
    table: { type: 'string' },
    workgroup: { type: 'string' },
    output: { type: 'string' },
    create: { type: 'boolean' },
    's3-endpoint-url': { type: 'string' },
  },
  async run(args, io) {
    const [what, location, ...extra] = args.positionals;
    if (what !== 'table' || !location?.startsWith('s3://') || extra.length)
      throw new FlowscopeError('bad_request', 'Usage: flowscope athena table s3://bucket/prefix/ [--create]');
    const database = (args.values.database as string | undefined) ?? 'default';
    const table = (args.values.table as string | undefined) ?? 'vpc_flow_logs';
    if (!NAME.test(database) || !NAME.test(table))
      throw new FlowscopeError('bad_request', '--database and --table are names of letters, digits and _.');
    const athena = awsTarget(args);
    const s3Endpoint = args.values['s3-endpoint-url'] as string | undefined;
    // Loaded here, not at the top: the AWS SDK stays out of the command line until a command needs it.
    const { athenaTable } = await import('../../engine/remote/athena-table');
    const answer = await athenaTable({
      location,
      table: `${database}.${table}`,
      create: args.values.create === true,
      workgroup: args.values.workgroup as string | undefined,
      output: args.values.output as string | undefined,
      athena,
      s3: { ...athena, ...(s3Endpoint ? { endpointUrl: s3Endpoint } : {}) },
      signal: new AbortController().signal,
    });
    const l = answer.layout;
    io.err.write(
      `${location}: ${l.format}, ${l.hive ? 'Hive-compatible' : 'AWS'} keys, ${l.hourly ? 'hourly' : 'daily'} folders from ${l.firstDay}, ` +
        `${l.accounts.length} account(s), ${l.regions.length} region(s), ${l.fields.length} fields (read from ${answer.keysRead} objects).\n`,
    );
    await write(io.out, `${answer.ddl};\n`);
    if (answer.createdBy) io.err.write(`Created ${database}.${table} on Athena (query ${answer.createdBy}).\n`);
    return 0;
  },
};
