import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ECONOMICS_STAR_LEVELS, exportEtable, runModels, runSpec, writeRunReport, type ModelSummary } from '../src/index.js';

const coef = (term: string, estimate: number, se: number, p: number) => ({ term, estimate, std_error: se, statistic: estimate / se, p_value: p, conf_low: null, conf_high: null });

/** Two small models by hand: one with two-way FE clustered, one OLS with iid SEs. */
const MODELS: ModelSummary[] = [
  { name: 'lemp', dependent: 'lemp', method: 'feols', coefficients: [coef('D', -0.0365, 0.0131, 0.0055), coef('x_1', 0.5, 0.4, 0.21)], vcov: null, seType: 'Clustered (countyreal)', fixedEffects: ['countyreal', 'year'], nobs: 2500, r2: 0.99281, adjR2: null, withinR2: 0.00436 },
  { name: 'lemp OLS', dependent: 'lemp', method: 'feols', coefficients: [coef('(Intercept)', 5.8, 0.02, 0), coef('D', 0.03, 0.016, 0.06)], vcov: null, seType: 'IID', fixedEffects: [], nobs: 2500, r2: 0.00126, adjR2: null, withinR2: null },
];

describe('etable export', () => {
  it('lays out a Markdown table as fixest etable: numbers, dependent variable, stars, SEs, FE rows, SE type, N, R², within R², legend', () => {
    expect(exportEtable(MODELS, 'markdown', { labels: { D: 'Treated x Post' } })).toMatchSnapshot();
  });

  it('writes LaTeX (booktabs, escaped labels, stars as superscripts)', () => {
    const tex = exportEtable(MODELS, 'latex', { title: 'Effect on teen employment' });
    expect(tex).toContain('x\\_1');
    expect(tex).toContain('-0.036$^{**}$'); // p = 0.0055: ** at fixest's levels
    expect(tex).toMatchSnapshot();
  });

  it('writes HTML (escaped, caption, notes in the footer)', () => {
    const html = exportEtable(MODELS, 'html', { keep: ['D'], digits: 4 });
    expect(html).not.toContain('x_1');
    expect(html).toContain('<td>-0.0365**</td>');
    expect(html).toMatchSnapshot();
  });

  it('says what is wrong with bad options', () => {
    expect(exportEtable(MODELS, 'markdown', { starLevels: ECONOMICS_STAR_LEVELS })).toContain('| -0.036*** | 0.030* |');
    expect(() => exportEtable(MODELS, 'markdown', { keep: ['Z'] })).toThrow(/keep names terms no model has: Z; terms are: D, x_1, \(Intercept\)/);
    expect(() => exportEtable([], 'html')).toThrow(/no models/);
    expect(() => exportEtable(MODELS, 'rtf' as never)).toThrow(/format must be 'latex', 'markdown' or 'html'/);
  });

  it("tabulates any set of a written run's analyses, naming the columns by analysis", async () => {
    const run = await runSpec({
      dataset: { source: 'example', name: 'mpdta' },
      analyses: [
        { id: 'fe', estimator: 'feols', formulas: ['lemp ~ treat | year'], vcov: { type: 'cluster', cluster: 'countyreal' } },
        { id: 'stats', estimator: 'describe' },
        { id: 'es', estimator: 'event_study', outcomes: ['lemp'], cohort: 'first.treat', window: [-2, 2] },
      ],
    });
    const dir = await mkdtemp(join(tmpdir(), 'panel-lab-etable-'));
    await writeRunReport(run, dir);
    const all = await runModels(dir);
    expect(all.map((m) => m.name)).toEqual(['fe: lemp', 'es: lemp']);
    const one = await runModels(dir, ['es']);
    expect(one.map((m) => m.name)).toEqual(['lemp']);
    const md = exportEtable(all, 'markdown');
    expect(md).toContain('| S.E. type | Clustered (countyreal) |');
    expect(md).toMatch(/\| year \| Yes \| Yes \|/);
    await expect(runModels(dir, ['nope'])).rejects.toThrow("--analyses: no analysis 'nope' in this run; analyses are: fe, stats, es");
    await expect(runModels(dir, ['stats'])).rejects.toThrow("analysis 'stats' (describe) has no regression-table models");
  });
});

interface GoldenModel { terms: string | string[]; estimate: number | number[]; std_error: number | number[]; p_value: number | number[]; nobs: number; r2: number; within_r2?: number | Record<string, never> }
const golden = JSON.parse(readFileSync(new URL('./goldens/etable_mpdta.json', import.meta.url), 'utf8')) as { models: GoldenModel[]; signif_code: Record<string, number>; table: { rownames: string[]; col1: string[]; col2: string[] } };
const arr = <T,>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

describe('etable vs fixest::etable (golden: test/goldens/etable_mpdta.json, fixest 0.14.2)', () => {
  it('gives the same numbers, stars, labels and row order on the same two models', async () => {
    const run = await runSpec({
      dataset: { source: 'example', name: 'mpdta' },
      analyses: [
        { id: 'm1', estimator: 'feols', formulas: ['lemp ~ treat | year'], vcov: { type: 'cluster', cluster: 'countyreal' } },
        { id: 'm2', estimator: 'feols', formulas: ['lemp ~ lpop'], vcov: 'iid' },
      ],
    });
    const models = run.analyses.flatMap((a) => a.models!);
    models.forEach((m, j) => {
      const g = golden.models[j]!;
      expect(m.coefficients.map((c) => c.term)).toEqual(arr(g.terms));
      m.coefficients.forEach((c, k) => {
        expect(c.estimate).toBeCloseTo(arr(g.estimate)[k]!, 10);
        expect(c.std_error).toBeCloseTo(arr(g.std_error)[k]!, 10);
      });
      expect(m.nobs).toBe(g.nobs);
      expect(m.r2).toBeCloseTo(g.r2, 10);
      if (typeof g.within_r2 === 'number') expect(m.withinR2).toBeCloseTo(g.within_r2, 10);
    });
    // layout conventions: fixest's significance codes, 'Constant', FE Yes/No, then S.E. type, observations, R2, within R2
    expect(Object.entries(golden.signif_code)).toEqual([['***', 0.001], ['**', 0.01], ['*', 0.05]]);
    const md = exportEtable(models, 'markdown');
    const rows = md.split('\n').filter((l) => l.startsWith('| ')).map((l) => l.split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, '').trim()));
    const labels = rows.map((r) => r[0]).filter((l) => l && l !== 'Model' && l !== '*Fixed-effects*');
    const rLabels = golden.table.rownames.map((r) => r.trim()).filter((l) => l && !/^_+$/.test(l) && l !== 'Fixed-Effects:').map((l) => l.replace('R2', 'R²'));
    expect(labels).toEqual(rLabels);
    // fixest: '0.372** (0.138)' (3 significant digits); ours: 3 decimals, the same stars
    expect(rows.find((r) => r[0] === 'treat')![1]).toBe(`0.372${golden.table.col1[2]!.match(/\*+/)![0]}`);
    expect(rows.find((r) => r[0] === 'year')!.slice(1, 3)).toEqual([golden.table.col1[6], golden.table.col2[6]]);
    expect(rows.find((r) => r[0] === 'Observations')!.slice(1, 3)).toEqual([golden.table.col1[9], golden.table.col2[9]]);
    expect(rows.find((r) => r[0] === 'R²')!.slice(1, 3)).toEqual([golden.table.col1[10], golden.table.col2[10]]);
    expect(rows.find((r) => r[0] === 'Within R²')![1]).toBe(golden.table.col1[11]);
  });
});
