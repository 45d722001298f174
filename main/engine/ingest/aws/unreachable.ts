/**
 * A service that cannot be reached at all: no region to send to, nothing listens at the endpoint, or its
 * host does not resolve. A missing or misspelt `--region` or `--endpoint-url` is mended by no retry, so the
 * retry gives such a failure one more try (a passing network blip) and then says what to check, naming the
 * endpoint, where it retried eight times, some 20 seconds, and said "gave up after 8 attempts".
 */
import { FlowscopeError } from '../../errors';
import { noRegion, type AwsTarget } from './clients';

/** Attempts in all for a request that could not connect: the first, and one more for a passing blip. */
export const UNREACHABLE_ATTEMPTS = 2;

/** The SDK's refusal to send a request it has no region for (no endpoint to send it to). */
export function regionMissing(err: unknown): boolean {
  return err instanceof Error && err.message === 'Region is missing';
}

/** What to say of a request that could not reach the service at all, or null when it did reach it. */
export function unreachable(err: unknown, target: AwsTarget): FlowscopeError | null {
  if (regionMissing(err)) return noRegion(target);
  const e = err as { code?: string; hostname?: string; address?: string; port?: number; message?: string } | undefined;
  if (e?.code === 'ECONNREFUSED')
    return target.endpointUrl
      ? new FlowscopeError(
          'aws_error',
          `Nothing answers at the endpoint URL ${target.endpointUrl} (${e.message ?? e.code}): check its host and port.`,
          { option: 'endpoint-url' },
        )
      : new FlowscopeError(
          'aws_error',
          `Nothing answers at the AWS endpoint ${e.address ?? ''}${e.port ? `:${e.port}` : ''} (${e.message ?? e.code}): check the network connection (a proxy or firewall in the way).`,
        );
  if (e?.code !== 'ENOTFOUND' && e?.code !== 'EAI_AGAIN') return null;
  const host = e.hostname ?? '';
  return target.endpointUrl
    ? new FlowscopeError(
        'aws_error',
        `The host ${host} of the endpoint URL ${target.endpointUrl} does not resolve: check its spelling.`,
        { option: 'endpoint-url' },
      )
    : new FlowscopeError(
        'aws_error',
        `The AWS endpoint ${host} does not resolve: check the Region${target.region ? ` "${target.region}"` : ''}, and the network connection.`,
        { option: 'region' },
      );
}
