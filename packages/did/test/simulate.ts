import { createRng } from '@panel-lab/compute';
import { PanelFrame } from '@panel-lab/panel';

export interface SimOptions {
  units: number;
  periods: number;
  /** Adoption periods (1-based period values); units spread evenly over these and never-treated. */
  cohorts: number[];
  seed: number;
  /** Effect at event time e >= 0 for cohort g. */
  effect?: (g: number, e: number) => number;
  /** Share of never-treated units. */
  neverShare?: number;
}

/** A staggered-adoption panel: y = unit FE + time FE + effect + N(0,1), time 1..periods, covariate x. */
export function simulatePanel(o: SimOptions): PanelFrame {
  const rng = createRng(o.seed);
  const n = o.units * o.periods;
  const id = new Float64Array(n);
  const time = new Float64Array(n);
  const g = new Float64Array(n);
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  const effect = o.effect ?? ((_g: number, e: number) => 1 + 0.1 * e);
  const neverShare = o.neverShare ?? 0.3;
  const lambda = Array.from({ length: o.periods }, (_, t) => 0.1 * t);
  for (let u = 0; u < o.units; u++) {
    const never = rng.uniform() < neverShare;
    const cohort = never ? 0 : o.cohorts[rng.int(0, o.cohorts.length - 1)]!;
    const alpha = rng.normal();
    const xu = rng.normal();
    for (let t = 1; t <= o.periods; t++) {
      const r = u * o.periods + t - 1;
      id[r] = u + 1;
      time[r] = t;
      g[r] = cohort;
      x[r] = xu;
      y[r] = alpha + lambda[t - 1]! + 0.5 * xu * t / o.periods + (cohort > 0 && t >= cohort ? effect(cohort, t - cohort) : 0) + rng.normal();
    }
  }
  return PanelFrame.fromColumns({ id, time, g, x, y }, { unit: 'id', time: 'time' });
}
