import type { Table } from './types.js';

/** An estimate next to the data generator's true value. */
export interface ComparisonRow {
  readonly quantity: string;
  readonly estimate: number;
  readonly truth: number;
  readonly std_error?: number | null;
  readonly conf_low?: number | null;
  readonly conf_high?: number | null;
}

export interface ComparisonSummary {
  readonly rows: number;
  /** Rows with a confidence interval. */
  readonly withInterval: number;
  /** Of those, intervals containing the truth. */
  readonly covered: number;
  readonly meanAbsBias: number;
}

const hasInterval = (r: ComparisonRow): boolean =>
  r.conf_low !== undefined && r.conf_low !== null && r.conf_high !== undefined && r.conf_high !== null &&
  Number.isFinite(r.conf_low) && Number.isFinite(r.conf_high);

export function validateComparison(rows: readonly ComparisonRow[], what: string): void {
  if (rows.length === 0) throw new Error(`${what}: no rows to compare`);
  rows.forEach((r, i) => {
    if (!Number.isFinite(r.estimate)) throw new Error(`${what}: row ${i} ('${r.quantity}') estimate is not finite`);
    if (!Number.isFinite(r.truth)) throw new Error(`${what}: row ${i} ('${r.quantity}') truth is not finite`);
  });
}

export function summariseComparison(rows: readonly ComparisonRow[]): ComparisonSummary {
  const withCi = rows.filter(hasInterval);
  const covered = withCi.filter((r) => (r.conf_low as number) <= r.truth && r.truth <= (r.conf_high as number)).length;
  const meanAbsBias = rows.reduce((s, r) => s + Math.abs(r.estimate - r.truth), 0) / rows.length;
  return Object.freeze({ rows: rows.length, withInterval: withCi.length, covered, meanAbsBias });
}

/** Estimate vs truth table: bias, relative bias and whether the interval covers the truth. */
export function comparisonTable(rows: readonly ComparisonRow[], title: string, notes: readonly string[] = []): Table {
  validateComparison(rows, `comparison '${title}'`);
  const s = summariseComparison(rows);
  return Object.freeze({
    title,
    columns: ['Quantity', 'Estimate', 'Std. error', 'CI low', 'CI high', 'True value', 'Bias', 'Relative bias', 'CI covers truth'],
    rows: rows.map((r) => [
      r.quantity,
      r.estimate,
      r.std_error ?? null,
      r.conf_low ?? null,
      r.conf_high ?? null,
      r.truth,
      r.estimate - r.truth,
      r.truth !== 0 ? (r.estimate - r.truth) / Math.abs(r.truth) : null,
      hasInterval(r) ? ((r.conf_low as number) <= r.truth && r.truth <= (r.conf_high as number) ? 'yes' : 'no') : '',
    ]),
    notes: [
      `Bias = estimate - true value; relative bias divides by |true value|. Mean absolute bias ${s.meanAbsBias.toPrecision(3)} over ${s.rows} quantities.`,
      ...notes,
    ],
  });
}
