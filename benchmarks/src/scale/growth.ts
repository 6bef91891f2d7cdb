// Cost growth of the main job's steps against panel rows, from the scale suite's recorded results:
// per step the seconds at 1x / 10x / 100x and the least-squares slope of log(seconds) on log(rows),
// the growth exponent (1 = linear in rows). A step growing faster than rows x log(rows) over this
// range (exponent above about 1.1) must carry a reason in GROWTH_REASONS.
import type { SuiteReport } from '../report.js';

export interface GrowthRow {
  readonly step: string;
  /** Seconds by rows (ascending rows). */
  readonly points: readonly { rows: number; seconds: number }[];
  readonly exponent: number | null;
}

/** rows x log(rows) from 2,574 to 257,400 rows has a log-log slope of about 1.10. */
export const NLOGN_EXPONENT = 1 + Math.log(Math.log(257_400) / Math.log(2_574)) / Math.log(100);

/** Why a step grows faster than rows x log(rows), written where the plot is read. */
export const GROWTH_REASONS: Readonly<Record<string, string>> = {};

export function slope(points: readonly { rows: number; seconds: number }[]): number | null {
  const ok = points.filter((p) => p.seconds > 0 && p.rows > 0);
  if (ok.length < 2) return null;
  const xs = ok.map((p) => Math.log(p.rows));
  const ys = ok.map((p) => Math.log(p.seconds));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => ((sxy += (x - mx) * (ys[i]! - my)), (sxx += (x - mx) ** 2)));
  return sxx > 0 ? sxy / sxx : null;
}

/** Full-draw cases of the scale suite on one machine kind (quick runs use other draw counts). */
export function growthRows(reports: readonly SuiteReport[], kind: string): GrowthRow[] {
  const cases = reports
    .filter((r) => r.suite === 'scale' && r.machine_kind === kind && r.scale !== 'quick')
    .flatMap((r) => r.results)
    .filter((c) => c.params.quick === false)
    .sort((a, b) => (a.params.rows as number) - (b.params.rows as number));
  const steps = new Map<string, { rows: number; seconds: number }[]>();
  const add = (step: string, rows: number, seconds: number) => steps.set(step, [...(steps.get(step) ?? []), { rows, seconds }]);
  for (const c of cases) {
    const rows = c.params.rows as number;
    add('whole job (wall)', rows, c.median_s);
    for (const [step, s] of Object.entries((c.extra.seconds_by_step ?? {}) as Record<string, number>)) add(step, rows, s);
  }
  return [...steps.entries()].map(([step, points]) => ({ step, points, exponent: slope(points) }));
}
