import { sampleWithoutReplacement, type Rng } from '@panel-lab/compute';
import type { AnnEnsemble } from './ensemble.js';
import { OverrideEvaluator } from './partial-dependence.js';

/**
 * Rows a partial-dependence curve averages over, by default. PD over all rows costs O(rows × grid ×
 * members × hidden); 5,000 rows keep the Monte Carlo error of the average far below the bootstrap band
 * while the seed panel (2,574 rows) still uses every row.
 */
export const DEFAULT_PD_ROWS = 5000;

/** `rows` when there are at most `cap` of them, else a seeded subsample of `cap` without replacement, ascending. */
export function capRows(rows: Int32Array, cap: number, rng: Rng): Int32Array {
  if (rows.length <= cap) return rows;
  const pick = sampleWithoutReplacement(rng, rows.length, cap).sort();
  return Int32Array.from(pick, (k) => rows[k]!);
}

/** An evaluator holding only `rows` of the row-major raw inputs (its precomputed state is rows × M·h, not n × M·h). */
export function evaluatorOnRows(model: AnnEnsemble, raw: Float64Array, p: number, rows: Int32Array): OverrideEvaluator {
  const sub = new Float64Array(rows.length * p);
  rows.forEach((i, r) => sub.set(raw.subarray(i * p, (i + 1) * p), r * p));
  return new OverrideEvaluator(model, sub, rows.length);
}
