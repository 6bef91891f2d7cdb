import { describe, expect, it } from 'vitest';
import { multiplierWeights } from '@panel-lab/compute';
import { feols } from '@panel-lab/regression';
import { prepareWild, wildClusterBootstrap } from '../src/index.js';
import { makePanel } from './dgp.js';

const controls = ['x1', 'x2'];
const spec = { outcome: 'y', coefficient: 'treat', controls, cluster: 'zone' } as const;

describe('wild cluster restricted bootstrap', () => {
  it('the estimate and CR1 SE equal feols; draw b equals an explicit regression on y*_b', async () => {
    const frame = makePanel({ seed: 21, units: 48, zones: 12, effect: 0.3, controls: 2 });
    const fit = feols('y ~ treat + x1 + x2 | city + year', frame, { vcov: { cluster: 'zone' } });
    const res = await wildClusterBootstrap(frame, { ...spec, seed: 7, draws: 99, weights: 'webb', beta0: 0.1, chunkSize: 40 });
    expect(Math.abs(res.estimate - fit.coefficients[0]!)).toBeLessThan(1e-10);
    expect(Math.abs(res.se / fit.se[0]! - 1)).toBeLessThan(1e-8);
    expect(res.df).toBe(11);
    expect(res.enumerated).toBe(false);
    // y*_b = y + u_r (v_c - 1), u_r the residuals of the restricted model y - b0 D ~ controls | FE
    const w = prepareWild(frame, spec);
    const restricted = feols('yr ~ x1 + x2 | city + year', frame.withColumns({ yr: Float64Array.from(frame.numeric('y'), (y, r) => y - 0.1 * frame.numeric('treat')[r]!) }), { keepResiduals: true });
    const ur = restricted.residuals!;
    const V = multiplierWeights({ seed: 7, draws: 99, clusters: w.nClusters, kind: 'webb', chunkSize: 40 });
    const zone = frame.values('zone');
    const code = new Map(w.clusterLabels.map((l, c) => [l, c]));
    const y = frame.numeric('y');
    for (const b of [0, 41, 98]) {
      const ystar = Float64Array.from(y, (v, r) => v + ur[r]! * (V.data[b * w.nClusters + code.get(String(zone[r]))!]! - 1));
      const fb = feols('ystar ~ treat + x1 + x2 | city + year', frame.withColumns({ ystar }), { vcov: { cluster: 'zone' } });
      const tb = (fb.coefficients[0]! - 0.1) / fb.se[0]!;
      expect(Math.abs(res.tStar[b]! - tb)).toBeLessThan(1e-7 * Math.max(1, Math.abs(tb)));
    }
  });

  it('enumerates all 2^G Rademacher sign vectors when they are fewer than the draws (8 pilot zones)', async () => {
    const frame = makePanel({ seed: 22, units: 40, zones: 8, controls: 2 });
    const res = await wildClusterBootstrap(frame, { ...spec, seed: 1, draws: 9999 });
    expect(res.enumerated).toBe(true);
    expect(res.spec.draws).toBe(256);
    // the interval's bounds are where the p-value crosses alpha
    const [lo, hi] = res.confInt;
    expect(lo).not.toBeNull();
    expect(hi).not.toBeNull();
    expect(lo!).toBeLessThan(res.estimate);
    expect(hi!).toBeGreaterThan(res.estimate);
    const pAt = async (b0: number) => (await wildClusterBootstrap(frame, { ...spec, seed: 1, draws: 9999, beta0: b0 })).pValue;
    const width = hi! - lo!;
    expect(await pAt(lo! + 0.01 * width)).toBeGreaterThanOrEqual(0.05);
    expect(await pAt(lo! - 0.01 * width)).toBeLessThan(0.05);
    expect(await pAt(hi! - 0.01 * width)).toBeGreaterThanOrEqual(0.05);
    expect(await pAt(hi! + 0.01 * width)).toBeLessThan(0.05);
  });

  it('p-values are uniform under the null in a small Monte Carlo (200 panels, 10 clusters)', async () => {
    const ps: number[] = [];
    for (let r = 0; r < 200; r++) {
      const frame = makePanel({ seed: 1000 + r, units: 30, periods: 5, zones: 10, controls: 1, effect: 0 });
      const res = await wildClusterBootstrap(frame, { outcome: 'y', coefficient: 'treat', controls: ['x1'], cluster: 'zone', seed: r, draws: 199, weights: 'webb' });
      ps.push(res.pValue);
    }
    // binomial bounds: 4 SDs around the nominal share
    const within = (share: number, p: number) => Math.abs(share - p) < 4 * Math.sqrt((p * (1 - p)) / ps.length);
    for (const a of [0.1, 0.25, 0.5, 0.75]) expect(within(ps.filter((p) => p <= a).length / ps.length, a)).toBe(true);
  }, 30_000);

  it('the bootstrap SE of beta* under the null approaches the analytic cluster-robust SE', async () => {
    const frame = makePanel({ seed: 23, units: 60, zones: 30, controls: 2 });
    const w = prepareWild(frame, spec);
    const res = await wildClusterBootstrap(w, { seed: 4, draws: 4000, beta0: w.beta });
    // at beta0 = beta-hat, E[(beta*-b0)^2] = sum_c S_c^2 / (x'x)^2 = CR1 variance / adj
    const analytic = w.se / Math.sqrt(w.vcovAdj);
    // SD of an SD estimate from B draws ~ sd * sqrt(kurtosis-ish / (2B)); allow 5 of those
    expect(Math.abs(res.seBootstrap / analytic - 1)).toBeLessThan(5 / Math.sqrt(2 * 4000) * 1.5);
  });

  it('same seed, same draws; result frozen and JSON-safe; errors name the option', async () => {
    const frame = makePanel({ seed: 24, units: 40, zones: 20, controls: 2 });
    const a = await wildClusterBootstrap(frame, { ...spec, seed: 9, draws: 199 });
    const b = await wildClusterBootstrap(frame, { ...spec, seed: 9, draws: 199 });
    expect(a.tStar).toEqual(b.tStar);
    expect(Object.isFrozen(a)).toBe(true);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    await expect(wildClusterBootstrap(frame, { ...spec, cluster: 'nope', seed: 1 })).rejects.toThrow(/option cluster: column 'nope'/);
    await expect(wildClusterBootstrap(frame, { ...spec, seed: 1, weights: 'mammen' as never })).rejects.toThrow(/option weights/);
    await expect(wildClusterBootstrap(frame, { ...spec, seed: 1.5 })).rejects.toThrow(/option seed/);
  });
});
