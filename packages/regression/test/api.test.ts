// Result objects, vcov registry properties, tidy/glance/summary/etable and the Wald test.
import { describe, expect, it } from 'vitest';
import { maxRelDiff, tolerance } from '@panel-lab/testing';
import {
  VCOV_REGISTRY,
  clusterScores,
  coef,
  etable,
  feols,
  glance,
  olsFit,
  prepareFixedEffects,
  solveSymmetric,
  stdError,
  summaryText,
  tidy,
  waldTest,
  withVcov,
} from '../src/index.js';
import { syntheticPanel } from './helpers.js';
import { loadMpdta } from './mpdta.js';

const SE = tolerance('se', 64);
const data = syntheticPanel({ units: 70, periods: 8, dropShare: 0.1, seed: 21 });
const raw = { kAdj: false, gAdj: false } as const;

describe('variance registry', () => {
  const fit = feols('y ~ x1 + x2 | id + t', data, { vcov: { cluster: 'id' } });

  it('lists iid, hetero, cluster, NW, DK, CR2, CR3 and conley with labels, aliases and allowed options', () => {
    expect(VCOV_REGISTRY.map((e) => e.name)).toEqual(['iid', 'hetero', 'cluster', 'NW', 'DK', 'CR2', 'CR3', 'conley']);
    for (const e of VCOV_REGISTRY) {
      expect(e.aliases).toContain(e.name);
      expect(e.label.length).toBeGreaterThan(0);
    }
    expect(withVcov(fit, 'CR1').vcovSpec).toEqual({ type: 'cluster', cluster: ['id'] });
    expect(withVcov(fit, 'twoway').vcovSpec).toEqual({ type: 'cluster', cluster: ['id', 't'] });
    expect(withVcov(fit, 'HC1').vcovLabel).toBe('Heteroskedasticity-robust');
  });

  it('two-way clustering = V(id) + V(t) - V(id∩t) (inclusion-exclusion, no ssc)', () => {
    const two = withVcov(fit, { cluster: ['id', 't'] }, raw);
    const vid = withVcov(fit, { cluster: 'id' }, raw).vcov;
    const vt = withVcov(fit, { cluster: 't' }, raw).vcov;
    const vhc0 = withVcov(fit, 'hetero', raw).vcov; // each (id, t) cell is one row
    const expected = vid.flatMap((row, i) => row.map((x, j) => x + vt[i]![j]! - vhc0[i]![j]!));
    expect(maxRelDiff(two.vcov.flat(), expected)).toBeLessThan(1e-10);
    expect(two.nClusters).toEqual({ id: 70, t: 8 });
    expect(two.dof.t).toBe(7); // t(G_min - 1)
    const min = withVcov(fit, { cluster: ['id', 't'] }, { kAdj: false });
    expect(min.se[0]! / two.se[0]!).toBeCloseTo(Math.sqrt(8 / 7), 12);
  });

  it('hetero without ssc = clustering by row', () => {
    const rows = data.withColumns({ row: Float64Array.from({ length: data.nrows }, (_, i) => i) });
    const f = feols('y ~ x1 + x2 | id + t', rows);
    expect(maxRelDiff(withVcov(f, { cluster: 'row' }, { ...raw, kFixef: 'full' }, { data: rows }).se, withVcov(f, 'hetero', raw).se)).toBeLessThan(SE);
  });

  it('ssc parts scale the cluster vcov as documented', () => {
    const base = withVcov(fit, { cluster: 'id' }, raw);
    const n = fit.nobs;
    const G = 70;
    const K = fit.dof.k + 8; // id nested in the cluster: slopes + t FE (8 levels; the intercept kept)
    expect(withVcov(fit, { cluster: 'id' }).dof.kVcov).toBe(K);
    const full = withVcov(fit, { cluster: 'id' });
    expect(full.se[0]! / base.se[0]!).toBeCloseTo(Math.sqrt(((G / (G - 1)) * (n - 1)) / (n - K)), 12);
    expect(withVcov(fit, { cluster: 'id' }, { tDf: 'conventional' }).dof.t).toBe(n - K);
    expect(withVcov(fit, { cluster: 'id' }, { tDf: 30 }).dof.t).toBe(30);
  });

  it('withVcov returns a new frozen result and leaves the original untouched', () => {
    const before = JSON.stringify(fit);
    const other = withVcov(fit, 'hetero');
    expect(other).not.toBe(fit);
    expect(Object.isFrozen(other)).toBe(true);
    expect(JSON.stringify(fit)).toBe(before);
    expect(other.coefficients).toEqual(fit.coefficients);
    expect(other.se).not.toEqual(fit.se);
    // chained: back to the original spec reproduces the original numbers
    expect(withVcov(other, { cluster: 'id' }).se).toEqual(fit.se);
  });

  it('clusters by a variable not used at fit time', () => {
    const f = feols('y ~ x1 | id', data);
    expect(() => withVcov(f, { cluster: 'firm' })).toThrow(/'firm' was not used at fit time; pass the fit's data frame/);
    const byFirm = withVcov(f, { cluster: 'firm' }, undefined, { data });
    expect(byFirm.nClusters.firm).toBe(7);
    expect(byFirm.dof.t).toBe(6);
  });
});

describe('result object', () => {
  const fit = feols('y ~ x1 + x2 | id + t', data, { vcov: { cluster: 'id' }, keepResiduals: true });

  it('is frozen and JSON-safe (round-trips without loss)', () => {
    expect(Object.isFrozen(fit)).toBe(true);
    expect(Object.isFrozen(fit.coefficients)).toBe(true);
    const back = JSON.parse(JSON.stringify(fit));
    expect(back.coefficients).toEqual(fit.coefficients);
    expect(back.vcov).toEqual(fit.vcov);
    expect(back.residuals).toHaveLength(fit.nobs);
    expect(back.meta.backend).toBe('cpu');
    expect(back.meta.precision).toBe(64);
    expect(back.meta.versions['@panel-lab/regression']).toBe('0.1.0');
    expect(Object.keys(back.meta.timings)).toEqual(['design_ms', 'demean_ms', 'fit_ms', 'vcov_ms', 'total_ms']);
  });

  it('carries nobs, dof, FE counts, R2 and the spec', () => {
    expect(fit.nobs + fit.nobsDropped).toBe(data.nrows);
    expect(fit.fixef).toEqual([{ name: 'id', size: 70 }, { name: 't', size: 8 }]);
    expect(fit.dof.nparams).toBe(2 + 70 + 8 - 1);
    expect(fit.dof.residual).toBe(fit.nobs - fit.dof.nparams);
    expect(fit.r2).toBeGreaterThan(fit.withinR2!);
    expect(fit.spec.fixef).toEqual([['id'], ['t']]);
    expect(fit.residuals!.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 8);
    expect(coef(fit, 'x1')).toBe(fit.coefficients[0]);
    expect(stdError(fit, 'x2')).toBe(fit.se[1]);
    expect(() => coef(fit, 'nope')).toThrow(/term 'nope' not in the model; terms are: x1, x2/);
    // the DGP's slopes (0.7, -0.3) are recovered
    expect(Math.abs(coef(fit, 'x1') - 0.7)).toBeLessThan(4 * stdError(fit, 'x1'));
    expect(Math.abs(coef(fit, 'x2') + 0.3)).toBeLessThan(4 * stdError(fit, 'x2'));
  });

  it('leaves the frame untouched (fitting twice gives identical results)', () => {
    const y0 = Float64Array.from(data.numeric('y'));
    const x0 = Float64Array.from(data.numeric('x1'));
    for (const f of ['y ~ x1', 'y ~ x1 | id', 'y ~ x1 | id + t', 'y ~ x1 + x2 | id + t + firm']) {
      const a = feols(f, data, { vcov: 'hetero' });
      const b = feols(f, data, { vcov: 'hetero' });
      expect(b.coefficients).toEqual(a.coefficients);
      expect(b.se).toEqual(a.se);
    }
    expect(data.numeric('y')).toEqual(y0);
    expect(data.numeric('x1')).toEqual(x0);
  });

  it('does not embed the input data', () => {
    const json = JSON.stringify(feols('y ~ x1 | id', data));
    expect(json.length).toBeLessThan(5000);
  });
});

describe('tidy, glance, summaryText, etable', () => {
  const fit = feols('y ~ x1 + x2 | id + t', data, { vcov: { cluster: 'id' } });

  it('tidy has the fixed broom columns whatever alpha is; CIs use t(G-1)', () => {
    const rows = tidy(fit, { alpha: 0.1 });
    expect(Object.keys(rows[0]!)).toEqual(['term', 'estimate', 'std_error', 'statistic', 'p_value', 'conf_low', 'conf_high']);
    expect(Object.keys(tidy(fit)[0]!)).toEqual(Object.keys(rows[0]!));
    const r = tidy(fit)[0]!;
    expect(r.statistic).toBeCloseTo(r.estimate / r.std_error, 12);
    const halfWidth = (r.conf_high - r.conf_low) / 2 / r.std_error;
    expect(halfWidth).toBeCloseTo(1.994945, 5); // qt(0.975, 69)
    expect(() => tidy(fit, { alpha: 1.5 })).toThrow(/alpha/);
  });

  it('glance is one row with nobs, groups, R2 and vcov label', () => {
    const g = glance(fit);
    expect(g.nobs).toBe(fit.nobs);
    expect(g.n_groups).toEqual({ id: 70, t: 8 });
    expect(g.n_clusters).toEqual({ id: 70 });
    expect(g.vcov).toBe('Clustered (id)');
    expect(g.within_r2).toBe(fit.withinR2);
  });

  it('summaryText shows the coefficient table and fit statistics', () => {
    const text = summaryText(fit);
    expect(text).toMatch(/OLS estimation, Dep. Var.: y/);
    expect(text).toMatch(/Fixed-effects: id: 70,  t: 8/);
    expect(text).toMatch(/Standard-errors: Clustered \(id\)/);
    expect(text).toMatch(/^x1 +0\.\d+/m);
    expect(text).toMatch(/Within R2: 0\.\d+/);
  });

  it('etable renders markdown, LaTeX and HTML with stars, SEs, FE rows, N and R2', () => {
    const f2 = feols('y ~ x1 | id', data, { vcov: { cluster: 'id' } });
    const md = etable([fit, f2], { titles: ['(1)', '(2)'] });
    expect(md).toMatch(/^\| {2}\| \(1\) \| \(2\) \|/);
    expect(md).toMatch(/\| x1 \| 0\.\d{4}\*\*\* \| 0\.\d{4}\*\*\* \|/);
    expect(md).toMatch(/\|  \| \(0\.\d{4}\) \| \(0\.\d{4}\) \|/);
    expect(md).toMatch(/\| \*\*t FE\*\* \| Yes \| No \|/);
    expect(md).toMatch(new RegExp(`\\| \\*\\*Observations\\*\\* \\| ${fit.nobs} \\| ${f2.nobs} \\|`));
    expect(md).toMatch(/\| \*\*R²\*\* \|/);
    const tex = etable([fit, f2], { format: 'latex' });
    expect(tex).toMatch(/\\begin\{tabular\}\{lcc\}/);
    expect(tex).toMatch(/x1 & 0\.\d{4}\$\^\{\*\*\*\}\$ & /);
    expect(tex).toMatch(/R\$\^2\$ & /);
    const html = etable([fit, f2], { format: 'html' });
    expect(html).toMatch(/<table class="etable">/);
    expect(html).toMatch(/<td>\(0\.\d{4}\)<\/td>/);
    expect(() => etable([fit], { format: 'pdf' as never })).toThrow(/option format/);
  });
});

describe('waldTest', () => {
  const fit = feols('y ~ x1 + x2 | id + t', data, { vcov: { cluster: 'id' } });

  it('one restriction: F = t², p = t-test p', () => {
    const w = waldTest(fit, ['x1']);
    const r = tidy(fit)[0]!;
    expect(w.stat).toBeCloseTo(r.statistic ** 2, 8);
    expect(w.p).toBeCloseTo(r.p_value, 10);
    expect(w.df1).toBe(1);
    expect(w.df2).toBe(69);
  });

  it('terms, RegExp and R-matrix forms agree; chi2 = q F', () => {
    const a = waldTest(fit, ['x1', 'x2']);
    const b = waldTest(fit, /^x/);
    const c = waldTest(fit, { R: [[1, 0], [0, 1]] });
    expect(b.stat).toBeCloseTo(a.stat, 12);
    expect(c.stat).toBeCloseTo(a.stat, 12);
    expect(a.chi2).toBeCloseTo(2 * a.stat, 12);
    expect(a.p).toBeLessThan(1e-6);
    const h0 = waldTest(fit, { R: [[1, 0]], r: [coef(fit, 'x1')] });
    expect(h0.stat).toBeCloseTo(0, 12);
    expect(h0.p).toBeCloseTo(1, 12);
    expect(() => waldTest(fit, { R: [[1, 0], [2, 0]] })).toThrow(/linearly dependent/);
    expect(() => waldTest(fit, ['x3'])).toThrow(/term 'x3' not in the model/);
  });

  it('joint pre-trend test on the mpdta event study', () => {
    const es = feols('lemp ~ i(rel_year, ref = c(-1, -1000)) | countyreal + year', loadMpdta(), { vcov: { cluster: 'countyreal' } });
    const pre = waldTest(es, /::-\d/);
    expect(pre.terms).toEqual(['rel_year::-4', 'rel_year::-3', 'rel_year::-2']);
    expect(pre.df1).toBe(3);
    expect(pre.df2).toBe(499);
    expect(pre.p).toBeGreaterThan(0.01);
    expect(pre.p).toBeLessThan(1);
  });
});

describe('low-level kernels', () => {
  it('olsFit recovers exact coefficients and drops a duplicate column', () => {
    const x1 = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const x2 = Float64Array.from([0, 1, 0, 1, 1, 0]);
    const y = Float64Array.from(x1, (v, i) => 2 * v - 3 * x2[i]!);
    const fit = olsFit([x1, x2, x1], y);
    expect(fit.kept).toEqual([0, 1]);
    expect(fit.dropped).toEqual([2]);
    expect(fit.coef[0]).toBeCloseTo(2, 12);
    expect(fit.coef[1]).toBeCloseTo(-3, 12);
    expect(() => solveSymmetric(Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 1]), 2)).toThrow(/singular/);
    expect(Array.from(solveSymmetric(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2))).toEqual([0.5, 0]);
  });

  it('balance needs every (a, b) pair exactly once, not just n = Ga x Gb', () => {
    const dup = prepareFixedEffects([Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 0, 1, 1])], undefined, [2, 2]);
    expect(dup.balancedTwoWay).toBe(false);
    const ok = prepareFixedEffects([Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 1, 1, 0])], undefined, [2, 2]);
    expect(ok.balancedTwoWay).toBe(true);
    expect(Array.from(ok.levelWeights[1]!)).toEqual([2, 2]);
    expect(() => prepareFixedEffects([Int32Array.from([0, -1])])).toThrow(/code -1 at row 1/);
  });

  it('clusterScores sums scores per cluster', () => {
    const s = clusterScores([Float64Array.from([1, 2, 3, 4])], Int32Array.from([0, 1, 0, 1]), 2);
    expect(Array.from(s)).toEqual([4, 6]);
  });
});
