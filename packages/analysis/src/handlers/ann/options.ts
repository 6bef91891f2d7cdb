import { z } from 'zod';
import { DEFAULT_BATCH_ROWS, DEFAULT_MAX_HIDDEN, type MinibatchInfo } from '@panel-lab/ann';

/** Network fields shared by the seed 002 handlers (training budget; METHODS §18.2). */
export const networkFields = {
  epochs: z.number().int().min(1).max(5000).default(300).describe('maximum training epochs (early stopping ends most members sooner)'),
  patience: z.number().int().min(1).default(30),
  learningRate: z.number().positive().default(0.01),
  somMode: z.enum(['experts', 'features', 'stacked', 'none']).default('none').describe('SOM wiring (METHODS §18.4)'),
  maxHidden: z.number().int().min(1).default(DEFAULT_MAX_HIDDEN).describe(
    `cap on the hidden units of the seed's rule (METHODS §18.3), which grows linearly with rows (9 on the seed panel, about 90 at 10x, 900 at 100x); the seed panel is below the default ${DEFAULT_MAX_HIDDEN}`,
  ),
  batchRows: z.number().int().min(1).default(DEFAULT_BATCH_ROWS).describe(
    `rows per gradient step: a network with more training rows takes one minibatch step of this many rows per epoch (a seeded shuffle, reshuffled each pass) and early-stops on a fixed seeded subset of twice this many rows; with fewer it trains full batch (the seed panel, 2,574 rows, does at the default ${DEFAULT_BATCH_ROWS}). Bounds training memory and time per epoch at any panel size`,
  ),
};

/** Table-note sentence on minibatch training, or '' when every network trained full batch (as at the seed's scale). */
export function minibatchNote(info: MinibatchInfo | null | undefined): string {
  if (!info) return '';
  return ` Networks with more than ${info.batchRows} training rows trained on minibatches of ${info.batchRows} rows (one Adam step per epoch on a seeded shuffle), early stopping on a fixed subset of ${info.validationRows} rows${info.validationFallbackMembers ? ` (${info.validationFallbackMembers} networks had no held-out rows there and were validated on their training rows in it)` : ''}.`;
}
