import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportEtable, runModels, runSpec, writeRunReport, type ModelSummary } from '../src/index.js';

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
    expect(tex).toContain('-0.036$^{***}$');
    expect(tex).toMatchSnapshot();
  });

  it('writes HTML (escaped, caption, notes in the footer)', () => {
    const html = exportEtable(MODELS, 'html', { keep: ['D'], digits: 4 });
    expect(html).not.toContain('x_1');
    expect(html).toContain('<td>-0.0365***</td>');
    expect(html).toMatchSnapshot();
  });

  it('says what is wrong with bad options', () => {
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
