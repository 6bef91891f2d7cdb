/**
 * Covariate-adjusted synthdid / sc / did (synthdid_estimate(Y, N0, T0, X)) against R synthdid 0.0.9
 * (goldens/results/synthdid_covariates.R -> synthdid_covariates_{california,cities}.json): california_prop99
 * with two covariates built in
 * the R script (their doubles are read from the golden), and a panel of ours (cities_panel, never
 * treated + cohort 2015, covariate x). Beta is fitted jointly with the weights over up to 10000
 * iterations; we follow R's path step for step, so estimates, weights and beta agree to 1e-8. The
 * jackknife re-fits beta with the weights fixed (R's replicates where R can afford them: california
 * is NA, one treated unit; did with fixed weights is the same path); placebo and bootstrap draws
 * come from R's generator with the golden's seed (the first draws, to keep CI short).
 */
import { describe, expect, it } from 'vitest';
import { loadGolden, maxAbsDiff } from '@panel-lab/testing';
import { blockMatrix, didEstimate, scEstimate, synthdidEstimate, synthdidSe, synthdidTimePlacebo, type BlockPanel, type SynthdidEstimate } from '../../src/synthdid/index.js';
import { csvColumns } from './synthdid-data.js';

type Num = number | number[];
interface Fit {
  estimate: number;
  omega: number[];
  lambda: Num;
  beta: Num;
  iterations: number;
  effect_curve: Num;
  opts: { zeta_omega: number; zeta_lambda: number; min_decrease: number };
  /** null where the golden skips it (cities synthdid / sc: hours in R). */
  jackknife: { se: number | null; replicates: number[] | null } | null;
  placebo: { seed: number; replicates: Num };
  bootstrap?: { seed: number; replicates: Num };
  time_placebo?: { estimate: number; beta: Num; T0: number };
}
interface Case {
  setup: { N0: number; T0: number; unit_order: string[]; time: string[] };
  covariates?: Record<'x1' | 'x2', number[]>;
  synthdid: Fit;
  /** Absent on cities (see the R script). */
  sc?: Fit;
  did: Fit;
}
const golden = {
  ...loadGolden<{ california_prop99: Case }>('synthdid_covariates_california'),
  ...loadGolden<{ cities_2015: Case }>('synthdid_covariates_cities'),
};
const TOL = 1e-8;
const list = (v: Num): number[] => (Array.isArray(v) ? v : [v]);
const fits = { synthdid: synthdidEstimate, sc: scEstimate, did: didEstimate } as const;

function californiaWithCovariates(): BlockPanel {
  const c = csvColumns('california_prop99.csv');
  const x = golden.california_prop99.covariates!;
  return blockMatrix(c.State as string[], c.Year as number[], c.PacksPerCapita as number[], c.treated as number[], { unit: 'State', time: 'Year', outcome: 'PacksPerCapita', treatment: 'treated' }, [
    { name: 'x1', values: x.x1 },
    { name: 'x2', values: x.x2 },
  ]);
}

function cities2015(): BlockPanel {
  const c = csvColumns('cities_panel.csv');
  const keep = (c.g as number[]).flatMap((g, i) => (g === 0 || g === 2015 ? [i] : []));
  const col = (name: string) => keep.map((i) => c[name]![i] as number);
  const g = col('g');
  const year = col('year');
  return blockMatrix(col('city_code'), year, col('y'), g.map((v, k) => (v === 2015 && year[k]! >= 2015 ? 1 : 0)), { unit: 'city_code', time: 'year', outcome: 'y', treatment: 'treated' }, [{ name: 'x', values: col('x') }]);
}

const cases = [
  ['california_prop99', californiaWithCovariates(), 2],
  ['cities_2015', cities2015(), 2],
] as const;

describe.each(cases)('synthdid with covariates: %s', (name, block, draws) => {
  const ref = golden[name];
  const x = block.x!;
  it('builds the block and covariate matrices in panel.matrices order', () => {
    expect(block.units).toEqual(ref.setup.unit_order);
    expect([block.n0, block.t0]).toEqual([ref.setup.N0, ref.setup.T0]);
    expect(x).toHaveLength(name === 'california_prop99' ? 2 : 1);
  });
  const estimates: Partial<Record<keyof typeof fits, SynthdidEstimate>> = {};
  const fit = (kind: keyof typeof fits) => (estimates[kind] ??= fits[kind](block.y, block.n0, block.t0, { covariates: x }));
  for (const kind of (['synthdid', 'sc', 'did'] as const).filter((k) => ref[k])) {
    const r0 = ref[kind]!;
    it(`${kind}: estimate, weights, beta, effect curve, iterations`, () => {
      const est = fit(kind);
      const r = r0;
      expect(Math.abs(est.estimate - r.estimate)).toBeLessThan(TOL);
      expect(maxAbsDiff(est.omega, r.omega)).toBeLessThan(TOL);
      expect(maxAbsDiff(est.lambda, list(r.lambda))).toBeLessThan(TOL);
      expect(maxAbsDiff(est.covariates!.beta, list(r.beta))).toBeLessThan(TOL);
      expect(maxAbsDiff(est.effectCurve, list(r.effect_curve))).toBeLessThan(TOL);
      expect(est.covariates!.iterations).toBe(r.iterations);
      expect(est.options.zetaOmega).toBeCloseTo(r.opts.zeta_omega, 10);
    }, 60_000);
    const jackknife = r0.jackknife;
    if (jackknife) it(`${kind}: jackknife (weights fixed, beta re-fitted) or R's NA`, () => {
      const jk = synthdidSe(fit(kind), { method: 'jackknife' });
      const r = jackknife;
      if (r.se === null) {
        expect(jk.se).toBeNaN();
      } else {
        expect(maxAbsDiff(jk.replicates, r.replicates!)).toBeLessThan(TOL);
        expect(Math.abs(jk.se - r.se) / r.se).toBeLessThan(1e-7);
      }
    }, 60_000);
    it(`${kind}: placebo${r0.bootstrap ? ' and bootstrap' : ''} draws as R's`, () => {
      const est = fit(kind);
      for (const method of ['placebo', 'bootstrap'] as const) {
        const r = r0[method];
        if (!r) continue;
        const n = kind === 'did' ? list(r.replicates).length : draws;
        const se = synthdidSe(est, { method, seed: r.seed, replications: n });
        expect(maxAbsDiff(se.replicates, list(r.replicates).slice(0, n))).toBeLessThan(TOL);
      }
    }, 120_000);
    if (r0.time_placebo) {
      it(`${kind}: placebo in time with the covariates' pre-periods`, () => {
        const p = synthdidTimePlacebo(fit(kind));
        const r = r0.time_placebo!;
        expect(p.t0).toBe(r.T0);
        expect(Math.abs(p.estimate - r.estimate)).toBeLessThan(TOL);
        expect(maxAbsDiff(p.covariates!.beta, list(r.beta))).toBeLessThan(TOL);
      }, 60_000);
    }
  }
});

describe('covariate input checks', () => {
  const block = cities2015();
  it('a covariate of the wrong shape or with a non-finite value is refused, naming it', () => {
    const bad = { values: new Float64Array(3), nUnits: 1, nPeriods: 3 };
    expect(() => synthdidEstimate(block.y, block.n0, block.t0, { covariates: [bad] })).toThrow(/covariate 1 is 1 x 3/);
    const nan = { ...block.x![0]!, values: block.x![0]!.values.map((v, i) => (i === 5 ? Number.NaN : v)) };
    expect(() => synthdidEstimate(block.y, block.n0, block.t0, { covariates: [nan] })).toThrow(/covariate 1 is not finite at unit row 0, period column 5/);
    expect(() =>
      blockMatrix([1, 1, 2, 2], [1, 2, 1, 2], [0, 1, 0, 1], [0, 0, 0, 1], { unit: 'u', time: 't', outcome: 'y', treatment: 'd' }, [{ name: 'x', values: [1, Number.NaN, 2, 3] }]),
    ).toThrow(/column 'x': missing or non-finite covariate at row 2/);
  });
  it('no covariates (an empty list) is the plain estimator', () => {
    const a = synthdidEstimate(block.y, block.n0, block.t0, { covariates: [] });
    const b = synthdidEstimate(block.y, block.n0, block.t0);
    expect(a.estimate).toBe(b.estimate);
    expect(a.covariates).toBeUndefined();
  });
});
