/**
 * The AWS target's own fields of something that holds more (a pull's request, a listing's options, a remote
 * query's target), for a client or an error's context. A module without the SDK, so the engine's remote
 * service can use it before the SDK is loaded.
 */
import type { AwsTarget } from './clients';

export function awsTarget(t: AwsTarget): AwsTarget {
  return { profile: t.profile, region: t.region, endpointUrl: t.endpointUrl };
}
