import { z } from 'zod';

/** One data set Flowscope ships or reads, with what its licence asks to be shown. */
export const DataAttribution = z.object({
  id: z.string(),
  data: z.string(),
  source: z.string(),
  licence: z.string(),
  licenceUrl: z.string(),
  /** The attribution the licence asks for, as it is to be shown. */
  attribution: z.string(),
  /** Where the data and its makers are (some licences ask for a link). */
  links: z.array(z.object({ label: z.string(), url: z.string() })),
  /** The npm package it is read from and its installed version; null where it is not an installed package. */
  package: z.string().nullable(),
  version: z.string().nullable(),
  /** What the data cannot answer, and why (the geolocation is by country only). */
  limits: z.string().optional(),
});
export type DataAttribution = z.infer<typeof DataAttribution>;

export const SoftwareLicence = z.object({ name: z.string(), licence: z.string(), url: z.string() });
export type SoftwareLicence = z.infer<typeof SoftwareLicence>;

export const aboutChannels = {
  /** What the About view shows: the version, Flowscope's licence, the data's sources and licences, the main software. */
  'app.about': {
    input: z.object({}),
    output: z.object({
      name: z.string(),
      version: z.string(),
      licence: z.string(),
      data: z.array(DataAttribution),
      software: z.array(SoftwareLicence),
    }),
  },
} as const;
