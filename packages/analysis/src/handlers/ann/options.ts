import { z } from 'zod';

/** Network fields shared by the seed 002 handlers (training budget; METHODS §18.2). */
export const networkFields = {
  epochs: z.number().int().min(1).max(5000).default(300).describe('maximum training epochs (early stopping ends most members sooner)'),
  patience: z.number().int().min(1).default(30),
  learningRate: z.number().positive().default(0.01),
  somMode: z.enum(['experts', 'features', 'stacked', 'none']).default('none').describe('SOM wiring (METHODS §18.4)'),
};
