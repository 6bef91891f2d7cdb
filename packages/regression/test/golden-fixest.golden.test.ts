// Golden tests against R fixest 0.14.2 and plm 2.6.2 on did::mpdta (packages/testing/goldens).
import { describe, expect, it } from 'vitest';
import { loadGolden, maxRelDiff, tolerance } from '@panel-lab/testing';
import { feols, tidy, withVcov, type FeolsResult } from '../src/index.js';
import { loadCsvColumns, loadMpdta } from './mpdta.js';
import { PanelFrame } from '@panel-lab/panel';

interface Coeftable {
  term: string[];
  estimate: number[];
  se: number[];
  t: number[];
  p: number[];
}
interface FixestGolden {
  twfe: { coef: number; se: Record<string, number>; nobs: number; n_clusters: number; r2: number; wr2: number; t_df: number };
  event_study_i: { coeftable: Coeftable };
  base_stagg: { twfe_i: { coeftable: Coeftable } };
}
interface PlmGolden {
  coef: number;
  nobs: number;
  n_groups: number;
  df_residual: number;
  se: Record<string, number>;
}

const fx = loadGolden<FixestGolden>('fixest_mpdta');
const plm = loadGolden<PlmGolden>('plm_mpdta');
const COEF = tolerance('coef', 64);
const SE = tolerance('se', 64);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('TWFE lemp ~ treat_post | countyreal + year (fixest golden)', () => {
  const data = loadMpdta();
  const fit = feols('lemp ~ treat_post | countyreal + year', data, { vcov: { cluster: ['countyreal'] } });

  it('coefficient, nobs, clusters, R2 and within R2 match fixest', () => {
    expect(Math.abs(fit.coefficients[0]! - fx.twfe.coef)).toBeLessThan(COEF);
    expect(fit.nobs).toBe(fx.twfe.nobs);
    expect(fit.nClusters.countyreal).toBe(fx.twfe.n_clusters);
    expect(rel(fit.r2, fx.twfe.r2)).toBeLessThan(1e-10);
    expect(rel(fit.withinR2!, fx.twfe.wr2)).toBeLessThan(1e-8);
    expect(fit.dof.t).toBe(fx.twfe.t_df);
  });

  const variants: [string, FeolsResult][] = [
    ['cluster_default', fit],
    ['cluster_no_ssc', withVcov(fit, { cluster: 'countyreal' }, { kAdj: false, gAdj: false })],
    ['cluster_Gadj_only', withVcov(fit, { cluster: 'countyreal' }, { kAdj: false, gAdj: true })],
    ['cluster_Kfull', withVcov(fit, { cluster: 'countyreal' }, { kFixef: 'full' })],
    ['iid', withVcov(fit, 'iid')],
    ['hetero', withVcov(fit, 'hetero')],
  ];
  for (const [name, res] of variants) {
    it(`SE variant ${name} matches fixest to 1e-7 relative`, () => {
      expect(rel(res.se[0]!, fx.twfe.se[name]!)).toBeLessThan(SE);
      expect(res.coefficients[0]).toBe(fit.coefficients[0]);
    });
  }

  it('plm within estimator: coefficient, df and arellano HC0 / sss / iid SEs', () => {
    expect(Math.abs(fit.coefficients[0]! - plm.coef)).toBeLessThan(COEF);
    expect(fit.dof.residual).toBe(plm.df_residual);
    expect(fit.fixef[0]!.size).toBe(plm.n_groups);
    const hc0 = withVcov(fit, { cluster: 'countyreal' }, { kAdj: false, gAdj: false });
    const sss = withVcov(fit, { cluster: 'countyreal' }, { kAdj: true, kFixef: 'none', gAdj: true });
    expect(rel(hc0.se[0]!, plm.se.arellano_HC0!)).toBeLessThan(SE);
    expect(rel(sss.se[0]!, plm.se.arellano_sss!)).toBeLessThan(SE);
    expect(rel(withVcov(fit, 'iid').se[0]!, plm.se.iid!)).toBeLessThan(SE);
    // plm's arellano_HC1 uses n/(n-k); fixest's ssc has no such factor, so it is not a variant here.
  });
});

function expectCoeftable(res: FeolsResult, g: Coeftable) {
  expect(res.coefNames).toEqual(g.term);
  expect(maxRelDiff(res.coefficients, g.estimate)).toBeLessThan(1e-6);
  for (let j = 0; j < g.term.length; j++) expect(Math.abs(res.coefficients[j]! - g.estimate[j]!)).toBeLessThan(COEF);
  expect(maxRelDiff(res.se, g.se)).toBeLessThan(SE);
  const rows = tidy(res);
  expect(maxRelDiff(rows.map((r) => r.statistic), g.t)).toBeLessThan(SE);
  expect(maxRelDiff(rows.map((r) => r.p_value), g.p)).toBeLessThan(1e-6);
}

describe('event study with i() (fixest golden)', () => {
  it('lemp ~ i(rel_year, ref = c(-1, -1000)) | countyreal + year, clustered', () => {
    const res = feols('lemp ~ i(rel_year, ref = c(-1, -1000)) | countyreal + year', loadMpdta(), { vcov: { cluster: 'countyreal' } });
    expectCoeftable(res, fx.event_study_i.coeftable);
  });

  it('i(rel_year, treat, ref = -1): interacted dummies give the same event study; the all-zero level is reported collinear', () => {
    const res = feols('lemp ~ i(rel_year, treat, ref = -1) | countyreal + year', loadMpdta(), { vcov: { cluster: 'countyreal' } });
    expect(res.collinear).toEqual(['rel_year::-1000:treat']);
    const g = fx.event_study_i.coeftable;
    expect(res.coefNames).toEqual(g.term.map((t) => `${t}:treat`));
    for (let j = 0; j < g.term.length; j++) expect(Math.abs(res.coefficients[j]! - g.estimate[j]!)).toBeLessThan(COEF);
    expect(maxRelDiff(res.se, g.se)).toBeLessThan(SE);
  });

  it('base_stagg: y ~ x1 + i(time_to_treatment, ref = c(-1, -1000)) | id + year', () => {
    const c = loadCsvColumns('base_stagg.csv');
    const cols: Record<string, Float64Array> = {};
    for (const [k, v] of Object.entries(c)) cols[k] = Float64Array.from(v);
    const data = PanelFrame.fromColumns(cols, { unit: 'id', time: 'year' });
    const res = feols('y ~ x1 + i(time_to_treatment, ref = c(-1, -1000)) | id + year', data, { vcov: { cluster: 'id' } });
    expectCoeftable(res, fx.base_stagg.twfe_i.coeftable);
  });
});
