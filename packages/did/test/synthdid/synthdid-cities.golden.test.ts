/**
 * Staggered synthdid on a panel of ours (goldens/data/cities_panel.csv) against R synthdid 0.0.9
 * looped over adoption cohorts (goldens/results/synthdid_cities.R -> synthdid_cities.json):
 * per-cohort estimates, weights (1e-8, iterative), jackknife SEs, placebo replicates (same seed,
 * R's generator) and the treated-cell-weighted aggregate.
 */
import { describe, expect, it } from 'vitest';
import { loadGolden, maxAbsDiff } from '@panel-lab/testing';
import { synthdidSe, synthdidStaggeredArrays, type SynthdidEstimator } from '../../src/synthdid/index.js';
import { csvColumns } from './synthdid-data.js';

interface Fit {
  estimate: number;
  omega: number[];
  lambda: number[];
  effect_curve: number[];
  se: { placebo: { se: number; seed: number; replications: number; replicates: number[] }; jackknife: { se: number | null } };
}
interface Cohort {
  cohort: number;
  N0: number;
  T0: number;
  N1: number;
  T1: number;
  unit_order: string[];
  synthdid: Fit;
  sc: Fit;
  did: Fit;
}
const golden = loadGolden<{ cohorts: Cohort[]; aggregate: { weights: number[]; estimate: Record<SynthdidEstimator, number> } }>('synthdid_cities');
const TOL = 1e-8;

const c = csvColumns('cities_panel.csv');
const run = (estimator: SynthdidEstimator) =>
  synthdidStaggeredArrays(c.city_code as number[], c.year as number[], c.y as number[], c.g as number[], {
    unit: 'city_code',
    time: 'year',
    outcome: 'y',
    cohort: 'g',
    estimator,
    se: [{ method: 'jackknife' }],
  });

describe.each(['synthdid', 'sc', 'did'] as const)('staggered %s on cities_panel', (estimator) => {
  const res = run(estimator);
  it('cohort blocks, estimates, weights, effect curves, jackknife SE', () => {
    expect(res.cohorts.map((k) => k.cohort)).toEqual(golden.cohorts.map((k) => k.cohort));
    res.cohorts.forEach((k, i) => {
      const ref = golden.cohorts[i]!;
      expect(k.block.units).toEqual(ref.unit_order);
      expect([k.fit.n0, k.fit.t0, k.fit.n1, k.fit.t1]).toEqual([ref.N0, ref.T0, ref.N1, ref.T1]);
      const r = ref[estimator];
      expect(Math.abs(k.fit.estimate - r.estimate)).toBeLessThan(TOL);
      expect(maxAbsDiff(k.fit.omega, r.omega)).toBeLessThan(TOL);
      expect(maxAbsDiff(k.fit.lambda, r.lambda)).toBeLessThan(TOL);
      expect(maxAbsDiff(k.fit.effectCurve, r.effect_curve)).toBeLessThan(TOL);
      expect(Math.abs(k.se[0]!.se - r.se.jackknife.se!) / r.se.jackknife.se!).toBeLessThan(1e-7);
    });
  });
  it('aggregate weighted by treated cells', () => {
    expect(maxAbsDiff(res.cohorts.map((k) => k.weight), golden.aggregate.weights)).toBeLessThan(1e-15);
    expect(Math.abs(res.estimate - golden.aggregate.estimate[estimator])).toBeLessThan(TOL);
  });
  it('placebo replicates draw for draw (did: all; synthdid/sc: the first 6 of cohort 2017)', () => {
    const k = res.cohorts[1]!;
    const r = golden.cohorts[1]![estimator].se.placebo;
    const replications = estimator === 'did' ? r.replications : 6;
    const se = synthdidSe(k.fit, { method: 'placebo', seed: r.seed, replications });
    expect(maxAbsDiff(se.replicates, r.replicates.slice(0, replications))).toBeLessThan(TOL);
    if (estimator === 'did') expect(Math.abs(se.se - r.se) / r.se).toBeLessThan(1e-7);
  }, 60_000);
});
