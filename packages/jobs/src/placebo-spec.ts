import { z } from 'zod';
import { PLACEBO_MODES } from '@panel-lab/resample';

/** Where a job's panel comes from: a registered dataset (by id), the synthetic generator, or an example. */
export const JobDatasetSpec = z.discriminatedUnion('source', [
  z.object({ source: z.literal('dataset'), id: z.string().min(1) }).strict(),
  z
    .object({
      source: z.literal('synthetic'),
      seed: z.number().int().default(20240601),
      // ceilings only: the tenant's configurable limits (input-bounds.ts) are checked at submit
      cities: z.number().int().positive().max(1_000_000, 'at most 1000000').optional(),
      years: z.union([z.number().int().positive().max(1000, 'at most 1000'), z.tuple([z.number().int().min(1).max(9999), z.number().int().min(1).max(9999)])]).optional(),
    })
    .strict(),
  z.object({ source: z.literal('example'), name: z.enum(['mpdta']) }).strict(),
]);
export type JobDatasetSpec = z.infer<typeof JobDatasetSpec>;

/** A placebo (permutation) test job: draws split into chunks that run as child jobs (METHODS §6). */
export const PlaceboJobSpec = z
  .object({
    dataset: JobDatasetSpec,
    outcome: z.string().min(1),
    cohort: z.string().min(1).describe("each unit's first treated period (0 or missing = never treated)"),
    controls: z.array(z.string().min(1)).default([]),
    cluster: z.string().min(1).optional(),
    mode: z.enum(PLACEBO_MODES as unknown as [string, ...string[]]).default('A_units_true_timing'),
    draws: z.number().int().min(1).max(100_000_000, 'at most 100000000').default(1000),
    chunkSize: z.number().int().min(1).max(100_000).default(1000),
    seed: z.number().int().default(20240601),
    se: z.boolean().default(true),
    excludeTrueTreated: z.boolean().default(false),
  })
  .strict();
export type PlaceboJobSpec = z.infer<typeof PlaceboJobSpec>;
