import { describe, expect, it } from 'vitest';
import { goldenDataPath, loadGolden } from '@panel-lab/testing';
import { parseRunSpec, runSpec } from '../src/index.js';

const mpdta = { source: 'example', name: 'mpdta' } as const;
const golden = loadGolden<{ mpdta_block2006: Record<'synthdid' | 'did', { estimate: number; se: { jackknife: { se: number } } }> }>('synthdid');

describe('synthdid analysis', () => {
  it('defaults: all three estimators, placebo and jackknife SEs, 200 draws', () => {
    const spec = parseRunSpec({ dataset: mpdta, analyses: [{ id: 'sd', estimator: 'synthdid', outcomes: ['lemp'], cohort: 'first.treat' }] });
    expect(spec.analyses[0]).toMatchObject({ estimators: ['synthdid', 'sc', 'did'], se: ['placebo', 'jackknife'], replications: 200 });
  });

  it('estimates by cohort as R synthdid on the cohort block, with figure, table and the dropped one-pre-period cohort', async () => {
    const analysis = { id: 'sd', estimator: 'synthdid', outcomes: ['lemp'], cohort: 'first.treat', estimators: ['synthdid', 'did'], se: ['jackknife', 'placebo'], replications: 10 } as const;
    const run = await runSpec({ dataset: mpdta, analyses: [analysis] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    expect(record.blocks.map((b) => b.kind)).toEqual(['figure', 'figure', 'table']);
    type Cohort = { cohort: number; estimate: number; se: { method: string; se: number }[] };
    const lemp = record.results.lemp as Record<'synthdid' | 'did', { estimate: number; cohorts: Cohort[]; dropped: { cohort: number }[] }>;
    expect(lemp.synthdid.dropped.map((d) => d.cohort)).toEqual([2004]);
    expect(lemp.did.cohorts.map((c) => c.cohort)).toEqual([2004, 2006, 2007]);
    for (const k of ['synthdid', 'did'] as const) {
      const c2006 = lemp[k].cohorts.find((c) => c.cohort === 2006)!;
      expect(Math.abs(c2006.estimate - golden.mpdta_block2006[k].estimate)).toBeLessThan(1e-8);
      expect(c2006.se.find((s) => s.method === 'jackknife')!.se).toBeCloseTo(golden.mpdta_block2006[k].se.jackknife.se, 10);
      expect(c2006.se.find((s) => s.method === 'placebo')!.se).toBeGreaterThan(0);
    }
  }, 120_000);

  it('overall row: SEs on draws shared by the cohorts, in the results and the table', async () => {
    const analysis = { id: 'sd', estimator: 'synthdid', outcomes: ['lemp'], cohort: 'first.treat', estimators: ['did'], se: ['jackknife', 'placebo'], replications: 20 } as const;
    const run = await runSpec({ dataset: mpdta, analyses: [analysis] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    type Se = { method: string; se: number };
    const did = (record.results.lemp as { did: { aggregateSe: Se[]; cohorts: unknown[] } }).did;
    expect(did.cohorts.length).toBeGreaterThan(1);
    expect(did.aggregateSe.map((s) => s.method)).toEqual(['jackknife', 'placebo']);
    for (const s of did.aggregateSe) expect(s.se).toBeGreaterThan(0);
    const table = record.blocks.find((b) => b.kind === 'table')!;
    const overall = table.kind === 'table' ? table.table!.rows.find((r) => String(r[1]).startsWith('all'))! : [];
    expect(overall.slice(3, 5)).toEqual(did.aggregateSe.map((s) => s.se));
  }, 120_000);

  it('covariates: cohort 2015 of cities_panel as R synthdid_estimate(..., X) (golden), beta in the results', async () => {
    const ref = loadGolden<{ cities_2015: Record<'did', { estimate: number; beta: number }> }>('synthdid_covariates_cities').cities_2015.did;
    const dataset = { source: 'file', path: goldenDataPath('cities_panel.csv'), unit: 'city_code', time: 'year' } as const;
    const analysis = { id: 'sd', estimator: 'synthdid', outcomes: ['y'], cohort: 'g', estimators: ['did'], se: [], covariates: ['x'], aggregateSe: false } as const;
    const run = await runSpec({ dataset, analyses: [analysis] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    type Cohort = { cohort: number; estimate: number; beta: Record<string, number> };
    const c2015 = (record.results.y as { did: { cohorts: Cohort[] } }).did.cohorts.find((c) => c.cohort === 2015)!;
    expect(Math.abs(c2015.estimate - ref.estimate)).toBeLessThan(1e-8);
    expect(Math.abs(c2015.beta.x! - ref.beta)).toBeLessThan(1e-8);
  }, 120_000);

  it('an unknown covariate column is refused before the run, naming the field', async () => {
    const analysis = { id: 'sd', estimator: 'synthdid', outcomes: ['lemp'], cohort: 'first.treat', estimators: ['did'], se: [], covariates: ['nope'] } as const;
    const run = await runSpec({ dataset: mpdta, analyses: [analysis] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('failed');
    expect(record.failure?.message).toMatch(/covariate 'nope' \(covariates\[0\]\) not found/);
  });
});
