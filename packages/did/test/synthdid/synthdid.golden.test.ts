/**
 * synthdid / sc / did against R synthdid 0.0.9 (goldens/results/synthdid.json) on california_prop99
 * and the mpdta block-adoption subset. Estimates and weights are iterative (Frank-Wolfe with the
 * package's stopping rule): we follow R's path step for step, so they agree to 1e-8 (observed ~1e-14).
 * Placebo and bootstrap draws come from R's generator with the same seed, so the replicates agree
 * draw for draw; the tests use the first draws of the stream to keep CI fast.
 */
import { describe, expect, it } from 'vitest';
import { loadGolden, maxAbsDiff } from '@panel-lab/testing';
import { didEstimate, scEstimate, synthdidEstimate, synthdidSe, type SynthdidEstimate } from '../../src/synthdid/index.js';
import type { OutcomeMatrix } from '../../src/synthdid/index.js';
import { californiaBlock, mpdtaBlock2006 } from './synthdid-data.js';

interface GoldenFit {
  estimate: number;
  omega: { weight: number[] };
  lambda: { weight: number[] };
  effect_curve: { effect: number[] };
  opts: { noise_level: number; zeta_omega: number; zeta_lambda: number; min_decrease: number };
  se: Record<'placebo' | 'bootstrap' | 'jackknife', { se: number | null; replicates: number[] | null; seed?: number }>;
}
interface GoldenCase {
  setup: { N0: number; T0: number; unit_order: string[]; time: string[] };
  synthdid: GoldenFit;
  sc: GoldenFit;
  did: GoldenFit;
}
const golden = loadGolden<Record<'california_prop99' | 'mpdta_block2006', GoldenCase>>('synthdid');
const TOL = 1e-8;
const fits = { synthdid: synthdidEstimate, sc: scEstimate, did: didEstimate } as const;

const cases = [
  ['california_prop99', californiaBlock()],
  ['mpdta_block2006', mpdtaBlock2006()],
] as const;

describe.each(cases)('synthdid golden: %s', (name, block) => {
  const ref = golden[name];
  it('builds the matrix in panel.matrices row order', () => {
    expect(block.units).toEqual(ref.setup.unit_order);
    expect(block.times.map(String)).toEqual(ref.setup.time);
    expect([block.n0, block.t0]).toEqual([ref.setup.N0, ref.setup.T0]);
  });
  const estimates: Record<string, SynthdidEstimate> = {};
  for (const kind of ['synthdid', 'sc', 'did'] as const) {
    it(`${kind}: estimate, omega, lambda, effect curve and tuning`, () => {
      const est = fits[kind](block.y, block.n0, block.t0);
      estimates[kind] = est;
      const r = ref[kind];
      expect(Math.abs(est.estimate - r.estimate)).toBeLessThan(TOL);
      expect(maxAbsDiff(est.omega, r.omega.weight)).toBeLessThan(TOL);
      expect(maxAbsDiff(est.lambda, r.lambda.weight)).toBeLessThan(TOL);
      expect(maxAbsDiff(est.effectCurve, r.effect_curve.effect)).toBeLessThan(TOL);
      expect(est.options.noiseLevel).toBeCloseTo(r.opts.noise_level, 12);
      expect(est.options.zetaOmega).toBeCloseTo(r.opts.zeta_omega, 10);
      expect(est.options.minDecrease).toBeCloseTo(r.opts.min_decrease, 14);
    });
    it(`${kind}: jackknife SE (exact) or R's NA`, () => {
      const est = estimates[kind] ?? fits[kind](block.y, block.n0, block.t0);
      const jk = synthdidSe(est, { method: 'jackknife' });
      const r = ref[kind].se.jackknife;
      if (r.se === null) {
        expect(jk.se).toBeNaN();
        expect(jk.reason).toBeTruthy();
      } else {
        expect(Math.abs(jk.se - r.se) / r.se).toBeLessThan(1e-7);
        expect(maxAbsDiff(jk.replicates, r.replicates!)).toBeLessThan(TOL);
      }
    });
  }
});

describe('synthdid resampling against R draw for draw (seed 20240612)', () => {
  const ca = californiaBlock();
  const mp = mpdtaBlock2006();
  it('placebo, california, synthdid: first 12 replicates', () => {
    const est = synthdidEstimate(ca.y, ca.n0, ca.t0);
    const se = synthdidSe(est, { method: 'placebo', seed: 20240612, replications: 12, batchSize: 5 });
    expect(maxAbsDiff(se.replicates, golden.california_prop99.synthdid.se.placebo.replicates!.slice(0, 12))).toBeLessThan(TOL);
  }, 60_000);
  it('placebo and bootstrap, mpdta, did: all 200 replicates and the SEs', () => {
    const est = didEstimate(mp.y, mp.n0, mp.t0);
    for (const method of ['placebo', 'bootstrap'] as const) {
      const se = synthdidSe(est, { method, seed: 20240612 });
      const r = golden.mpdta_block2006.did.se[method];
      expect(maxAbsDiff(se.replicates, r.replicates!)).toBeLessThan(TOL);
      expect(Math.abs(se.se - r.se!) / r.se!).toBeLessThan(1e-7);
    }
  });
  it('bootstrap, mpdta, sc: first 8 replicates (redraws of one-group samples included)', () => {
    const est = scEstimate(mp.y, mp.n0, mp.t0);
    const se = synthdidSe(est, { method: 'bootstrap', seed: 20240612, replications: 8 });
    expect(maxAbsDiff(se.replicates, golden.mpdta_block2006.sc.se.bootstrap.replicates!.slice(0, 8))).toBeLessThan(TOL);
  }, 60_000);
  it('bootstrap, mpdta, synthdid: first 6 replicates (weights re-solved from renormalised omega)', () => {
    const est = synthdidEstimate(mp.y, mp.n0, mp.t0);
    const se = synthdidSe(est, { method: 'bootstrap', seed: 20240612, replications: 6, batchSize: 4 });
    expect(maxAbsDiff(se.replicates, golden.mpdta_block2006.synthdid.se.bootstrap.replicates!.slice(0, 6))).toBeLessThan(TOL);
  }, 60_000);
  it('bootstrap with one treated unit is NA, as in R', () => {
    const est = didEstimate(ca.y, ca.n0, ca.t0);
    const se = synthdidSe(est, { method: 'bootstrap', seed: 1 });
    expect(se.se).toBeNaN();
    expect(se.reason).toMatch(/more than one treated/);
  });
});

describe('synthdid resampling: batching and seeds', () => {
  const small: OutcomeMatrix = (() => {
    const b = mpdtaBlock2006();
    return b.y;
  })();
  const b = mpdtaBlock2006();
  it('the batch size does not change the draws; the same seed gives the same draws', () => {
    const est = synthdidEstimate(small, b.n0, b.t0, { maxIter: 200 });
    const a = synthdidSe(est, { method: 'placebo', seed: 7, replications: 6, batchSize: 1 });
    const c = synthdidSe(est, { method: 'placebo', seed: 7, replications: 6, batchSize: 6 });
    expect(Array.from(a.replicates)).toEqual(Array.from(c.replicates));
    const d = synthdidSe(est, { method: 'placebo', seed: 8, replications: 6 });
    expect(Array.from(d.replicates)).not.toEqual(Array.from(a.replicates));
  });
  it('placebo and bootstrap demand a seed', () => {
    const est = didEstimate(small, b.n0, b.t0);
    expect(() => synthdidSe(est, { method: 'placebo' })).toThrow(/seed/);
  });
});
