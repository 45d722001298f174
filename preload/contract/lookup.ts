import { z } from 'zod';
import { FileHandle } from './ingest';
import { IsoTime } from './wire';

/** A lookup table the analyst imported (Insights `lookup`); `threat` is the threat list Sumo's threat lookups read. */
export const LookupTable = z.object({
  name: z.string(),
  columns: z.array(z.string()),
  rows: z.number().int(),
  importedAt: IsoTime,
});
export type LookupTable = z.infer<typeof LookupTable>;

export const lookupChannels = {
  'lookup.list': { input: z.object({}), output: z.object({ tables: z.array(LookupTable) }) },
  /**
   * Imports (or replaces) a table from a CSV file with a header line, named `name` or else after the file;
   * `threat`: indicator, type, actor, threat level. Errors name the file and the line.
   */
  'lookup.import': {
    input: z.object({
      name: z
        .string()
        .regex(/^[A-Za-z0-9_]{1,64}$/)
        .optional(),
      file: FileHandle,
    }),
    output: LookupTable,
  },
} as const;
