import { plotDataRobust, tidyRobust, type RobustEstimate } from '@panel-lab/did';
import { eventStudyChart, type Block, type Cell } from '@panel-lab/report';

/**
 * Rows of one estimator's coefficients for several outcomes, as a report table block. The
 * estimators' own notes (inference conventions such as did2s's t(n - K)) are stated once each.
 */
export function coefficientTable(id: string, title: string, fits: readonly { outcome: string; result: RobustEstimate }[], notes: string[] = []): Block {
  const rows: Cell[][] = fits.flatMap(({ outcome, result }) =>
    tidyRobust(result).map((r) => [outcome, r.term, r.estimate, r.std_error, r.p_value, r.conf_low, r.conf_high]),
  );
  const own = fits.flatMap(({ result }) => ('notes' in result && Array.isArray(result.notes) ? (result.notes as readonly string[]) : []));
  return { kind: 'table', id, table: { title, columns: ['outcome', 'term', 'estimate', 'SE', 'p', 'CI low', 'CI high'], rows, notes: [...notes, ...new Set(own)] } };
}

/** An event-study figure from a robust estimator's plot data, or nothing when it has no event times. */
export async function robustEventFigure(id: string, caption: string, title: string, result: RobustEstimate): Promise<Block[]> {
  const pd = plotDataRobust(result);
  if (pd.kind !== 'event_study') return [];
  const chart = await eventStudyChart(
    [{ name: title, points: pd.series.map((p) => ({ x: p.x, estimate: p.estimate, lo: p.ref ? null : p.lo, hi: p.ref ? null : p.hi })) }],
    { title, xTitle: pd.xLabel, yTitle: 'effect', treatmentLine: -0.5 },
  );
  return [{ kind: 'figure', id, caption, svg: chart.svg, spec: chart.spec }];
}

/** JSON-safe copy of a result for the results/ folder. */
export function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v)));
}
