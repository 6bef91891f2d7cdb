import { describe, expect, it } from 'vitest';
import { parseRunSpec, runSpec } from '../src/index.js';
import { seed000RobustnessAnalyses } from '../src/replication-robustness.js';

describe('seed 000 robustness analyses', () => {
  it('names the bad field of a robustness option', () => {
    expect(() =>
      parseRunSpec({ dataset: { source: 'synthetic', seed: 1 }, analyses: [{ id: 'p', estimator: 'psm_did', outcomes: ['ln_co2_total'], cohort: 'bigdata_year', covariates: [] }] }),
    ).toThrow(/analyses\[0\]\.covariates/);
    expect(() =>
      parseRunSpec({ dataset: { source: 'synthetic', seed: 1 }, analyses: [{ id: 's', estimator: 'spatial_did', outcomes: ['ln_co2_total'], cohort: 'bigdata_year', edgesKm: [100] }] }),
    ).toThrow(/analyses\[0\]\.edgesKm/);
  });

  it('runs every robustness table of the main job on the synthetic panel, with finite numbers and truth comparisons', async () => {
    const analyses = seed000RobustnessAnalyses({ quick: true }).map((a) => (a.estimator === 'mechanism' ? { ...a, bootstrap: 20 } : a));
    const run = await runSpec({ dataset: { source: 'synthetic', seed: 3 }, transforms: [{ op: 'interpolate', columns: ['ln_retail', 'ln_library'] }], analyses });
    expect(run.analyses.map((a) => a.estimator)).toEqual(['psm_did', 'policy_robustness', 'dcdh_stacked', 'spatial_did', 'heterogeneity', 'mechanism', 'two_stage']);
    for (const a of run.analyses) {
      const tables = a.blocks.filter((b) => b.kind === 'table');
      expect(tables.length, a.id).toBeGreaterThan(0);
      for (const t of tables) {
        if (t.kind !== 'table' || !t.table) continue;
        expect(t.table.rows.length, `${a.id} ${t.id}`).toBeGreaterThan(0);
        const estimates = t.table.rows.map((r) => r[t.table!.columns.indexOf('estimate')]).filter((v) => typeof v === 'number') as number[];
        for (const e of estimates) expect(Number.isFinite(e), `${a.id} ${t.id}`).toBe(true);
      }
    }
    const figures = run.analyses.flatMap((a) => a.blocks.filter((b) => b.kind === 'figure'));
    expect(figures.length).toBeGreaterThanOrEqual(5); // PSM scores, dCdH and stacked event studies per outcome
    const comparisons = run.analyses.flatMap((a) => a.blocks.filter((b) => b.kind === 'comparison'));
    expect(comparisons.map((c) => c.id)).toEqual(expect.arrayContaining(['t8-psm-truth', 't10-spatial-truth', 'x-two-stage-truth']));
    const mech = run.analyses.find((a) => a.estimator === 'mechanism')!;
    expect(mech.blocks[0]).toMatchObject({ kind: 'text' });
  });
});
