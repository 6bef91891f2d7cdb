// Weighted CR2 / CR3 against clubSandwich 0.5.8 vcovCR on a weighted lm (its default for weights:
// target Theta = I, inverse_var = FALSE) and coef_test Satterthwaite df, on mpdta with
// w = exp(lpop) / 1000 (packages/testing/goldens/results/vcov_weighted_mpdta.json, script beside it).
// Year dummies enter as i(year) (clubSandwich has no absorbed-FE weighted model to compare with).
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { loadGolden, maxRelDiff } from '@panel-lab/testing';
import { feols, tidy, withVcov } from '../src/index.js';
import { loadCsvColumns, loadMpdta } from './mpdta.js';

interface Blk { vcov: number[][]; se: number[]; df_satterthwaite: number[]; p_satterthwaite: number[] }
interface Model { formula: string; cluster: string; coef: number[]; names: string[]; CR2: Blk; CR3: Blk }
// (one-coefficient models are written by jsonlite with auto_unbox: scalars, hence the flat() below)
const g = loadGolden<{ models: Record<string, Model> }>('vcov_weighted_mpdta');

function data(): PanelFrame {
  const base = loadMpdta();
  const cl = loadCsvColumns('mpdta_clusters.csv');
  const state = new Map<number, number>();
  const c10 = new Map<number, number>();
  cl.countyreal!.forEach((c, i) => (state.set(c, cl.state![i]!), c10.set(c, cl.cluster10![i]!)));
  const cols: Record<string, Float64Array> = {};
  for (const name of ['year', 'countyreal', 'lpop', 'lemp', 'treat_post']) cols[name] = base.numeric(name);
  cols.state = Float64Array.from(cols.countyreal!, (c) => state.get(c)!);
  cols.cluster10 = Float64Array.from(cols.countyreal!, (c) => c10.get(c)!);
  cols.w = Float64Array.from(cols.lpop!, (l) => Math.exp(l) / 1000);
  return PanelFrame.fromColumns(cols, { unit: 'countyreal', time: 'year' });
}

const d = data();
const FORMULA: Record<string, string> = { 'lemp ~ treat_post + lpop': 'lemp ~ treat_post + lpop', 'lemp ~ treat_post + lpop + factor(year)': 'lemp ~ treat_post + lpop + i(year, ref = 2003)' };

describe('weighted CR2 / CR3 (clubSandwich vcovCR on weighted lm)', () => {
  for (const [key, ref] of Object.entries(g.models).filter(([k]) => !k.startsWith('county'))) {
    const fit = feols(FORMULA[ref.formula]!, d, { weights: 'w' });
    it(`${key}: coefficients`, () => expect(maxRelDiff(fit.coefficients, ref.coef)).toBeLessThan(1e-9));
    for (const type of ['CR2', 'CR3'] as const) {
      it(`${key} ${type}: vcov, Satterthwaite df and p`, () => {
        const f = withVcov(fit, { type, cluster: ref.cluster }, undefined, { data: d });
        const dv = maxRelDiff(f.vcov.flat(), ref[type].vcov.flat());
        const ddf = maxRelDiff(f.dof.coef!, ref[type].df_satterthwaite);
        console.log(`weighted ${key} ${type}: vcov max rel diff ${dv}, df ${ddf}`);
        expect(dv).toBeLessThan(1e-10);
        expect(ddf).toBeLessThan(1e-10);
        expect(maxRelDiff(tidy(f).map((r) => r.p_value), ref[type].p_satterthwaite)).toBeLessThan(1e-7);
      });
    }
  }

  // CR2 with absorbed FE vs clubSandwich on lm with the FE as dummies (slope rows only)
  const absorbed: [string, string, string, number[]][] = [
    ['year_dummies_state', 'lemp ~ treat_post + lpop | year', 'state', [1, 2]],
    ['county_year_dummies_state', 'lemp ~ treat_post | countyreal + year', 'state', [0]],
    ['county_year_dummies_cluster10', 'lemp ~ treat_post | countyreal + year', 'cluster10', [0]],
  ];
  for (const [key, formula, cluster, pick] of absorbed) {
    it(`${key} CR2 with absorbed FE (${formula}): vcov and Satterthwaite df`, () => {
      const ref = g.models[key]!;
      const all = [ref.CR2.vcov].flat(2) as number[];
      const kRef = Math.round(Math.sqrt(all.length));
      const want = key.startsWith('county') ? all : pick.flatMap((a) => pick.map((b) => all[a * kRef + b]!));
      const f = withVcov(feols(formula, d, { weights: 'w' }), { type: 'CR2', cluster }, undefined, { data: d });
      const dv = maxRelDiff(f.vcov.flat(), want);
      const dfRef = [ref.CR2.df_satterthwaite].flat();
      const ddf = maxRelDiff(f.dof.coef!, key.startsWith('county') ? dfRef : pick.map((a) => dfRef[a]!));
      console.log(`weighted absorbed ${key} CR2: vcov max rel diff ${dv}, df ${ddf}`);
      expect(dv).toBeLessThan(1e-10);
      expect(ddf).toBeLessThan(1e-10);
    });
  }

  it('unit weights give the unweighted estimator; CR3 with absorbed FE and weights is a named error', () => {
    const ones = d.withColumns({ one: new Float64Array(d.nrows).fill(1) });
    for (const type of ['CR2', 'CR3'] as const) {
      const a = withVcov(feols('lemp ~ treat_post + lpop', ones, { weights: 'one' }), { type, cluster: 'state' }, undefined, { data: ones });
      const b = withVcov(feols('lemp ~ treat_post + lpop', ones), { type, cluster: 'state' }, undefined, { data: ones });
      expect(maxRelDiff(a.vcov.flat(), b.vcov.flat())).toBeLessThan(1e-10);
      expect(maxRelDiff(a.dof.coef!, b.dof.coef!)).toBeLessThan(1e-9);
    }
    for (const [fml, cl] of [['lemp ~ treat_post + lpop | countyreal + year', 'state'], ['lemp ~ treat_post + lpop | year', 'cluster10'], ['lemp ~ treat_post | countyreal + year', 'cluster10']] as const) {
      const a = withVcov(feols(fml, ones, { weights: 'one' }), { type: 'CR2', cluster: cl }, undefined, { data: ones });
      const b = withVcov(feols(fml, ones), { type: 'CR2', cluster: cl }, undefined, { data: ones });
      expect(maxRelDiff(a.vcov.flat(), b.vcov.flat())).toBeLessThan(1e-9);
      expect(maxRelDiff(a.dof.coef!, b.dof.coef!)).toBeLessThan(1e-8);
    }
    expect(() => withVcov(feols('lemp ~ treat_post | countyreal + year', d, { weights: 'w' }), { type: 'CR3', cluster: 'state' }, undefined, { data: d })).toThrow(/absorbed fixed effects/);
  });
});
