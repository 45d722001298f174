/**
 * An ISO 8601 time (`iso-time.ts`) as a field of a schema: the contract's times on the wire and a saved-query
 * file's time range. Its own module, so that what reads times without zod (`flowscope info`) loads no zod.
 */
import { z } from 'zod';
import { isoTimeMs, NOT_AN_ISO_TIME } from './iso-time';

export const IsoTimeText = z
  .string()
  .max(64)
  .refine((s) => isoTimeMs(s) !== null, { message: NOT_AN_ISO_TIME });
