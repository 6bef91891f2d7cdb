import { z } from 'zod';

/** Fields every analysis spec entry has. */
export function analysisObject<E extends string, S extends z.ZodRawShape>(estimator: E, shape: S) {
  return z
    .object({
      id: z.string().min(1).regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, dot, dash or underscore'),
      estimator: z.literal(estimator),
      title: z.string().optional(),
      intro: z.string().optional().describe('text under the section title, before the blocks (e.g. what this analysis adds to the argument); a blank line starts a new paragraph'),
      ...shape,
    })
    .strict();
}
