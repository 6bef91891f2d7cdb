import { describe, expect, it } from 'vitest';
import { feols } from '@panel-lab/regression';
import { bwNrd0, histogram, kernelDensity, placeboTest, plotData, summaryText, tidy, timingShiftTest } from '../src/index.js';
import { makePanel } from './dgp.js';

describe('counterfactual timing test', () => {
  const frame = makePanel({ seed: 31, units: 60, periods: 9, effect: -0.4 });
  it('each row is the feols TWFE on the shifted dummy; pre_only drops treated rows at/after adoption', () => {
    const res = timingShiftTest(frame, { outcome: 'y', cohort: 'cohort', controls: ['x1'], shifts: [-2, 1] });
    expect(res.rows.map((r) => `${r.shift}/${r.sample}`)).toEqual(['-2/full', '-2/pre_only', '1/full', '1/pre_only']);
    const g = frame.numeric('cohort');
    const t = frame.numeric('year');
    const fake = frame.withColumns({ fk: Float64Array.from(g, (gi, r) => (gi > 0 && t[r]! >= gi - 2 ? 1 : 0)) });
    const full = feols('y ~ fk + x1 | city + year', fake, { vcov: { cluster: 'city' } });
    expect(res.rows[0]!.estimate).toBeCloseTo(full.coefficients[0]!, 10);
    expect(res.rows[0]!.std_error).toBeCloseTo(full.se[0]!, 10);
    const pre = feols('y ~ fk + x1 | city + year', fake.filterRows((r) => !(g[r]! > 0) || t[r]! < g[r]!), { vcov: { cluster: 'city' } });
    expect(res.rows[1]!.estimate).toBeCloseTo(pre.coefficients[0]!, 10);
    expect(res.rows[1]!.rows_dropped).toBe(frame.nrows - pre.nobs);
    expect(res.rows[2]!.note).toMatch(/not a clean falsification/);
    expect(tidy(res)).toHaveLength(4);
    expect(plotData(res).series).toHaveLength(4);
    expect(summaryText(res)).toMatch(/s = -2 \(full\)/);
  });
  it('rejects a zero shift and flags units with no pre-period', () => {
    expect(() => timingShiftTest(frame, { outcome: 'y', cohort: 'cohort', shifts: [0] })).toThrow(/option shifts/);
    const r = timingShiftTest(frame, { outcome: 'y', cohort: 'cohort', shifts: [-4], sample: 'full' });
    expect(r.rows[0]!.units_no_pre_period).toBeGreaterThan(0); // cohort 2014 - 4 <= 2011
  });
});

describe('density, histogram and views', () => {
  it('bw.nrd0 follows R (0.9 min(sd, IQR/1.34) n^-1/5)', () => {
    // R: bw.nrd0(c(1, 2, 3, 4, 10)) = 0.9 * (2 / 1.34) * 5^-0.2
    expect(bwNrd0(Float64Array.of(1, 2, 3, 4, 10))).toBeCloseTo(0.9 * (2 / 1.34) * 5 ** -0.2, 12);
    expect(bwNrd0(Float64Array.of(2, 2, 2))).toBeGreaterThan(0);
  });
  it('the density integrates to 1 and the binned method agrees with the exact one', () => {
    const v = Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i) * Math.cos(i * 0.37));
    const exact = kernelDensity(v);
    const step = exact.x[1]! - exact.x[0]!;
    expect(exact.y.reduce((s, y) => s + y, 0) * step).toBeCloseTo(1, 3);
    const many = Float64Array.from({ length: 20_000 }, (_, i) => Math.sin(i) * Math.cos(i * 0.37));
    const binned = kernelDensity(many);
    const direct = kernelDensity(many.subarray(0, 9000)); // exact method
    expect(binned.method).toBe('binned');
    expect(direct.method).toBe('exact');
    expect(binned.y.reduce((s, y) => s + y, 0) * (binned.x[1]! - binned.x[0]!)).toBeCloseTo(1, 3);
    expect(histogram(v).reduce((s, b) => s + b.count, 0)).toBe(3000);
  });
  it('placebo plot data carries the density, the histogram, the estimate marker and the p-scatter', async () => {
    const r = await placeboTest(makePanel({ seed: 32 }), { outcome: 'y', cohort: 'cohort', controls: ['x1'], draws: 200, seed: 1 });
    const pd = plotData(r);
    expect(pd.density!.x).toHaveLength(512);
    expect(pd.marker!.x).toBe(r.estimate.beta);
    expect(pd.scatter!.x).toHaveLength(200);
    expect(pd.scatter!.refLine).toBe(0.1);
    const row = tidy(r)[0]!;
    expect(Object.keys(row).slice(0, 7)).toEqual(['term', 'estimate', 'std_error', 'statistic', 'p_value', 'conf_low', 'conf_high']);
    expect(row.p_value_resampled).toBe(r.summary.pTwoSided);
    expect(summaryText(r)).toMatch(/Empirical p-values: two-sided/);
  });
});

describe('type-1 quantiles (did mboot convention)', () => {
  it('matches R quantile(type = 1)', async () => {
    const { quantileType1Sorted } = await import('../src/stats.js');
    const x = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    // R: quantile(1:10, c(.25, .75, .95, .1), type = 1) = 3, 8, 10, 1
    expect([0.25, 0.75, 0.95, 0.1].map((p) => quantileType1Sorted(x, p))).toEqual([3, 8, 10, 1]);
  });
});
