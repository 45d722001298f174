/**
 * The user's word before the app acts with their AWS credentials. The renderer's engine port refuses
 * those channels; the preload forwards them to main only while the page answers a click or key press;
 * main then asks in a native dialog that names what will happen, as whom and where. A pull, and a query run
 * in Athena or CloudWatch (billed by what it scans; the dialog shows its text), is asked every time. A
 * listing (buckets, log groups, streams, a remote query's scan estimate) is asked once per window for the
 * same profile, region and endpoint when the user ticks the box, since the dialogs list as the user types.
 */
import type { BaseWindow, MessageBoxOptions, MessageBoxReturnValue } from 'electron';
import { channels, type CredentialChannel, type ParsedInput } from '../../preload/contract';
import type { Settled } from '../../preload/shell-channels';

export type AskUser = (window: BaseWindow, options: MessageBoxOptions) => Promise<MessageBoxReturnValue>;

const ALLOW = 0;

export class AwsConsent {
  /** Per window: the targets the user let list without asking again. */
  private readonly listingsAllowed = new Map<number, Set<string>>();

  constructor(private readonly ask: AskUser) {}

  /**
   * The input, validated by its channel's schema, once the user allowed the call; otherwise the refusal
   * to answer the page with.
   */
  async confirm(
    window: BaseWindow,
    windowId: number,
    channel: CredentialChannel,
    input: unknown,
  ): Promise<{ allowed: true; input: unknown } | { allowed: false; outcome: Settled }> {
    const parsed = channels[channel].input.safeParse(input ?? {});
    if (!parsed.success) {
      const message = `Bad input for ${channel}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`;
      return { allowed: false, outcome: { ok: false, error: { code: 'bad_request', message } } };
    }
    const call = describeAwsCall(channel, parsed.data);
    const allowed = this.listingsAllowed.get(windowId);
    if (call.listing && allowed?.has(call.as)) return { allowed: true, input: parsed.data };
    const query = call.query ? `\n\nThe query:\n${call.query}` : '';
    const answer = await this.ask(window, {
      type: 'question',
      title: 'Use your AWS credentials?',
      message: `Flowscope is about to ${call.action}.`,
      detail: `${call.as}.${query}\n\nAllow it only if you just asked for this in Flowscope.`,
      buttons: ['Allow', 'Cancel'],
      defaultId: ALLOW,
      cancelId: 1,
      noLink: true,
      ...(call.listing ? { checkboxLabel: 'Allow listings like this in this window without asking again' } : {}),
    });
    if (answer.response !== ALLOW) {
      const message = `You did not allow Flowscope to ${call.action}.`;
      return { allowed: false, outcome: { ok: false, error: { code: 'cancelled', message } } };
    }
    if (call.listing && answer.checkboxChecked)
      this.listingsAllowed.set(windowId, new Set([...(allowed ?? []), call.as]));
    return { allowed: true, input: parsed.data };
  }

  forget(windowId: number): void {
    this.listingsAllowed.delete(windowId);
  }
}

/** The most of a remote query's text the dialog shows. */
const QUERY_SHOWN = 600;

/** What a credential call does, in words for the dialog, as whom and where, and a remote query's text. */
function describeAwsCall<C extends CredentialChannel>(
  channel: C,
  input: ParsedInput<C>,
): { action: string; as: string; listing: boolean; query?: string } {
  // A remote query names its profile, region and endpoint in its target; every other call at the top.
  const isRemote = channel === 'remote.plan' || channel === 'remote.run';
  const target = (isRemote ? (input as ParsedInput<'remote.run'>).target : input) as ParsedInput<'aws.buckets'>;
  const as = [
    `As ${target.profile ? `the AWS profile "${target.profile}"` : 'your default AWS credentials'}`,
    target.region ? `in ${target.region}` : "in the profile's region",
    ...(target.endpointUrl ? [`at ${target.endpointUrl}`] : []),
  ].join(' ');
  const window = (from?: string | null, to?: string | null) =>
    from || to ? ` (records from ${from ?? 'the start'} to ${to ?? 'now'})` : '';
  switch (channel) {
    case 'pull.s3': {
      const pull = input as ParsedInput<'pull.s3'>;
      return {
        action: `download the flow logs under ${pull.url} into this workspace${window(pull.from, pull.to)}`,
        as,
        listing: false,
      };
    }
    case 'pull.cloudwatch': {
      const pull = input as ParsedInput<'pull.cloudwatch'>;
      return {
        action: `download the flow logs of the CloudWatch log group ${pull.logGroup} into this workspace${window(pull.from, pull.to)}`,
        as,
        listing: false,
      };
    }
    case 'aws.buckets':
      return { action: 'list your S3 buckets', as, listing: true };
    case 'aws.logGroups':
      return { action: 'list your CloudWatch log groups', as, listing: true };
    case 'aws.streams':
      return {
        action: `list the log streams of ${(input as ParsedInput<'aws.streams'>).logGroup}`,
        as,
        listing: true,
      };
    case 'remote.plan':
    case 'remote.run': {
      const { target: remote, query, timeRange } = input as ParsedInput<'remote.run'>;
      const where =
        remote.engine === 'athena'
          ? `in Amazon Athena on the table ${remote.table}`
          : `in CloudWatch Logs Insights on ${remote.logGroups.join(', ')}`;
      if (channel === 'remote.plan')
        return { action: `look up what a query would scan ${where} (its definition and files)`, as, listing: true };
      const cap =
        remote.engine === 'athena' && remote.maxScanBytes !== undefined
          ? `, refused if it would scan more than ${remote.maxScanBytes} bytes`
          : '';
      return {
        action: `run a query ${where}${window(timeRange?.from, timeRange?.to)}, which AWS bills by the data it scans${cap}`,
        as,
        listing: false,
        query: query.length > QUERY_SHOWN ? `${query.slice(0, QUERY_SHOWN)}…` : query,
      };
    }
    case 'remote.athenaTable': {
      const { location, table, create } = input as ParsedInput<'remote.athenaTable'>;
      return create
        ? { action: `create the Athena table ${table} over ${location}`, as, listing: false }
        : { action: `read the layout of ${location} to write an Athena table for it`, as, listing: true };
    }
    default:
      throw new Error(`No description for ${channel satisfies never}.`);
  }
}
