// Golden tests against clubSandwich 0.5.8 (CR2 / CR3, Satterthwaite df) and fixest 0.14.2 panel
// Newey-West / Driscoll-Kraay on did::mpdta (packages/testing/goldens/results/vcov_mpdta.json).
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { loadGolden, maxRelDiff } from '@panel-lab/testing';
import { feols, tidy, withVcov } from '../src/index.js';
import { loadCsvColumns, loadMpdta } from './mpdta.js';

interface HacBlock { se: number[]; t_df: number; lag: number; se_no_ssc: number[]; p: number[] }
interface CoefTest { se: number[]; df: number[]; p: number[] }
type Cluster = 'countyreal' | 'state' | 'cluster10';
interface ByCluster {
  G: number;
  se: Record<string, number[] | { error: string }>;
  vcov_CR2: { matrix: number[][] };
  coef_test: Record<string, CoefTest | { error: string }>;
  conf_int_CR2_Satterthwaite: { lower: number[]; upper: number[] };
}
interface VcovGolden {
  fixest_hac: Record<'static' | 'event_study', Record<string, HacBlock> & { terms: string[]; coef: number[] }>;
  clubSandwich: {
    static: { by_cluster: Record<Cluster, ByCluster> };
    event_study: { by_cluster: Record<'state' | 'cluster10', ByCluster> };
    static_plm_crosscheck: Record<Cluster, Record<'CR1' | 'CR2' | 'CR3', { se: number[]; df: number[]; p: number[] }>>;
  };
}

const g = loadGolden<VcovGolden>('vcov_mpdta');
// Closed-form estimators: the SE ladder (1e-7) would hold; we ask 1e-8 where the arithmetic is short.
const TOL = 1e-8;
// Satterthwaite df and p-values go through eigen-decompositions and t tails: 1e-7.
const TOL_DF = 1e-7;

function mpdtaWithClusters(): PanelFrame {
  const base = loadMpdta();
  const cl = loadCsvColumns('mpdta_clusters.csv');
  const state = new Map<number, number>();
  const c10 = new Map<number, number>();
  cl.countyreal!.forEach((c, i) => {
    state.set(c, cl.state![i]!);
    c10.set(c, cl.cluster10![i]!);
  });
  const county = base.numeric('countyreal');
  const year = base.numeric('year');
  const rel = base.numeric('rel_year');
  const cols: Record<string, Float64Array> = {};
  for (const name of ['year', 'countyreal', 'lpop', 'lemp', 'first.treat', 'treat', 'treat_post', 'rel_year']) cols[name] = base.numeric(name);
  cols.state = Float64Array.from(county, (c) => state.get(c)!);
  cols.cluster10 = Float64Array.from(county, (c) => c10.get(c)!);
  for (const [name, k] of [['rel_m4', -4], ['rel_m3', -3], ['rel_m2', -2], ['rel_0', 0], ['rel_1', 1], ['rel_2', 2], ['rel_3', 3]] as const) {
    cols[name] = Float64Array.from(rel, (r) => (r === k ? 1 : 0));
  }
  void year;
  return PanelFrame.fromColumns(cols, { unit: 'countyreal', time: 'year' });
}

const data = mpdtaWithClusters();
const ES = 'lemp ~ rel_m4 + rel_m3 + rel_m2 + rel_0 + rel_1 + rel_2 + rel_3 | countyreal + year';
const models = {
  static: feols('lemp ~ treat_post | countyreal + year', data),
  event_study: feols(ES, data),
};
const report: Record<string, number> = {};

describe('panel Newey-West and Driscoll-Kraay (fixest NW / DK)', () => {
  for (const model of ['static', 'event_study'] as const) {
    const ref = g.fixest_hac[model];
    for (const type of ['NW', 'DK'] as const) {
      for (const lag of [null, 1, 2, 3] as const) {
        const key = `${type}_${lag === null ? 'default' : `lag${lag}`}`;
        it(`${model} ${key}: SE, SE without ssc, t df, p`, () => {
          const spec = lag === null ? type : { type, lag };
          const fit = withVcov(models[model], spec);
          const blk = ref[key]!;
          const d1 = maxRelDiff(fit.se, blk.se);
          expect(d1).toBeLessThan(TOL);
          expect(fit.dof.t).toBe(blk.t_df);
          const raw = withVcov(models[model], spec, { kAdj: false, gAdj: false });
          const d2 = maxRelDiff(raw.se, blk.se_no_ssc);
          expect(d2).toBeLessThan(TOL);
          const d3 = maxRelDiff(tidy(fit).map((r) => r.p_value), blk.p);
          expect(d3).toBeLessThan(TOL_DF);
          report[`${model} ${key}`] = Math.max(d1, d2);
        });
      }
    }
  }
  it('labels and the feols entry point', () => {
    const fit = feols('lemp ~ treat_post | countyreal + year', data, { vcov: { type: 'DK', lag: 2 } });
    expect(fit.vcovLabel).toBe('Driscoll-Kraay (year, L=2)');
    expect(maxRelDiff(fit.se, g.fixest_hac.static.DK_lag2!.se)).toBeLessThan(TOL);
    expect(withVcov(fit, 'NW').vcovLabel).toBe('Newey-West (countyreal & year)');
    expect(fit.vcovSpec).toEqual({ type: 'DK', cluster: [], lag: 2, time: 'year' });
  });
});

describe('CR2 / CR3 with Satterthwaite df (clubSandwich)', () => {
  for (const cl of ['countyreal', 'state', 'cluster10'] as const) {
    const ref = g.clubSandwich.static.by_cluster[cl];
    const plm = g.clubSandwich.static_plm_crosscheck[cl];
    it(`static, cluster ${cl}: CR2 vcov, coef_test Satterthwaite df / p, conf_int`, () => {
      const fit = withVcov(models.static, { type: 'CR2', cluster: cl }, undefined, { data });
      const d1 = maxRelDiff(fit.vcov[0]!, ref.vcov_CR2.matrix[0]!);
      expect(d1).toBeLessThan(TOL);
      const ct = ref.coef_test.CR2_Satterthwaite as CoefTest;
      const d2 = maxRelDiff(fit.dof.coef!, ct.df);
      expect(d2).toBeLessThan(TOL_DF);
      const row = tidy(fit)[0]!;
      expect(maxRelDiff([row.p_value], ct.p)).toBeLessThan(TOL_DF);
      expect(maxRelDiff([row.conf_low, row.conf_high], [ref.conf_int_CR2_Satterthwaite.lower[0]!, ref.conf_int_CR2_Satterthwaite.upper[0]!])).toBeLessThan(TOL_DF);
      expect(fit.dof.t).toBe(ref.G - 1); // naive-t df
      expect(fit.nClusters).toEqual({ [cl]: ref.G });
      report[`static CR2 ${cl} vcov`] = d1;
      report[`static CR2 ${cl} df`] = d2;
    });
    it(`static, cluster ${cl}: CR3 as clubSandwich's plm (within design), SE and Satterthwaite df`, () => {
      const fit = withVcov(models.static, { type: 'CR3', cluster: cl }, undefined, { data });
      const d1 = maxRelDiff(fit.se, plm.CR3.se);
      expect(d1).toBeLessThan(TOL);
      const d2 = maxRelDiff(fit.dof.coef!, plm.CR3.df);
      expect(d2).toBeLessThan(TOL_DF);
      expect(maxRelDiff([tidy(fit)[0]!.p_value], plm.CR3.p)).toBeLessThan(TOL_DF);
      // and the plm CR2 equals the lm-with-dummies CR2
      const cr2 = withVcov(models.static, { type: 'CR2', cluster: cl }, undefined, { data });
      expect(maxRelDiff(cr2.se, plm.CR2.se)).toBeLessThan(TOL);
      report[`static CR3 ${cl} se`] = d1;
      report[`static CR3 ${cl} df`] = d2;
    });
  }
  for (const cl of ['state', 'cluster10'] as const) {
    const ref = g.clubSandwich.event_study.by_cluster[cl];
    it(`event study (7 dummies), cluster ${cl}: CR2 vcov matrix and per-coefficient Satterthwaite df`, () => {
      const fit = withVcov(models.event_study, { type: 'CR2', cluster: cl }, undefined, { data });
      const d1 = maxRelDiff(fit.vcov.flat(), ref.vcov_CR2.matrix.flat());
      expect(d1).toBeLessThan(TOL);
      const ct = ref.coef_test.CR2_Satterthwaite as CoefTest;
      const d2 = maxRelDiff(fit.dof.coef!, ct.df);
      expect(d2).toBeLessThan(TOL_DF);
      expect(maxRelDiff(tidy(fit).map((r) => r.p_value), ct.p)).toBeLessThan(TOL_DF);
      report[`event CR2 ${cl} vcov`] = d1;
      report[`event CR2 ${cl} df`] = d2;
    });
  }
  it('reachable from feols with a label', () => {
    const fit = feols('lemp ~ treat_post | countyreal + year', data, { vcov: { type: 'CR2', cluster: 'state' } });
    expect(fit.vcovLabel).toBe('CR2 (Bell-McCaffrey) (state)');
    expect(feols('lemp ~ treat_post | countyreal + year', data, { vcov: 'CR3' }).vcovSpec.cluster).toEqual(['countyreal']);
  });
  it('prints the largest relative differences', () => {
    console.log(JSON.stringify(report, null, 1));
  });
});
