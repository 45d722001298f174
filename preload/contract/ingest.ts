import { z } from 'zod';

/**
 * Files reach the engine as opaque handles (`fh_…`) that the host registered when the user picked or
 * dropped them, never as paths the renderer names.
 */
export const FileHandle = z.string().regex(/^fh_[A-Za-z0-9_-]{8,64}$/);

export const ingestChannels = {
  'ingest.files': {
    input: z.object({
      files: z.array(FileHandle).min(1).max(10_000),
      /** An AWS log format string (`${version} ${srcaddr} …`) for headerless files. */
      logFormat: z.string().max(4096).optional(),
    }),
    output: z.object({ jobId: z.string() }),
  },
} as const;
