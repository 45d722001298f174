/**
 * Everything the engine does through the AWS SDK, in the one module the engine loads only when a channel
 * talks to AWS (`await import('./aws')`): the SDK is about 2 MB of code that opening a workspace, a local
 * query or `flowscope info` never needs, so none of them waits for it. Nothing else in the engine imports
 * these modules' values (types are free); tests/integration/cli/cli-startup.test.ts checks it.
 */
export { athenaClient, logsClient, s3Client } from './ingest/aws/clients';
export { listBuckets, listLogGroups, listLogStreams } from './ingest/aws/listings';
export { startPullJob } from './ingest/aws/pull-jobs';
export { pullCloudWatch } from './ingest/cloudwatch';
export { listObjects, pullS3 } from './ingest/s3';
export { athenaTableMetadata, duckdbTypeOf, runAthenaQuery } from './remote/athena';
export { athenaTable } from './remote/athena-table';
export { runInsightsQuery } from './remote/cloudwatch';
