import { z } from 'zod';
import { IsoTime } from './wire';

/**
 * AWS's ip-ranges.json as kept on this machine for awsService/awsRegion: where it is, whether it is there,
 * and what it holds (AWS's creation date and sync token, how many ranges). `problem` says why a file that is
 * there cannot be read.
 */
export const AwsIpRangesState = z.object({
  file: z.string(),
  present: z.boolean(),
  createDate: z.string().nullable(),
  syncToken: z.string().nullable(),
  ipv4Ranges: z.number().int(),
  ipv6Ranges: z.number().int(),
  /** When this machine fetched it (the file's modification time). */
  fetchedAt: IsoTime.nullable(),
  problem: z.string().nullable(),
});
export type AwsIpRangesState = z.infer<typeof AwsIpRangesState>;

export const addressDataChannels = {
  'addressData.awsIpRanges': { input: z.object({}), output: AwsIpRangesState },
  /** Fetches AWS's ip-ranges.json anew (the machine must be online); the kept file changes only if it is AWS's. */
  'addressData.refreshAwsIpRanges': { input: z.object({}), output: AwsIpRangesState },
} as const;
