import type { GroundTruth } from '@panel-lab/datasets';
import type { ComparisonRow } from '@panel-lab/report';

interface EstimateRow {
  estimate: number;
  std_error?: number | null;
  conf_low?: number | null;
  conf_high?: number | null;
}

/** The synthetic panel's ground truth, or undefined for real data. */
export function groundTruth(truth: unknown): GroundTruth | undefined {
  return truth && typeof truth === 'object' && 'att' in truth ? (truth as GroundTruth) : undefined;
}

/** True average effect on the treated of an outcome (0 for outcomes the DGP leaves alone), if known. */
export function trueAtt(truth: unknown, outcome: string): number | undefined {
  const t = groundTruth(truth);
  if (!t) return undefined;
  if ((t.outcomes.unaffected as readonly string[]).includes(outcome)) return 0;
  return (t.att as Record<string, number>)[outcome];
}

/** Comparison rows of estimates against the true ATT, for outcomes whose truth is known. */
export function truthRows(truth: unknown, estimates: readonly { outcome: string; row: EstimateRow; label?: string }[]): ComparisonRow[] | undefined {
  const rows: ComparisonRow[] = [];
  for (const e of estimates) {
    const t = trueAtt(truth, e.outcome);
    if (t === undefined || !Number.isFinite(e.row.estimate)) continue;
    rows.push({
      quantity: e.label ?? `ATT on ${e.outcome}`,
      estimate: e.row.estimate,
      truth: t,
      std_error: e.row.std_error ?? null,
      conf_low: e.row.conf_low ?? null,
      conf_high: e.row.conf_high ?? null,
    });
  }
  return rows.length ? rows : undefined;
}
