import { describe, expect, it } from 'vitest';
import { sunAbraham } from '@panel-lab/did';
import { loadMpdta } from '@panel-lab/datasets';
import { parseRunSpec, runSpec } from '../src/index.js';

const mpdta = { source: 'example', name: 'mpdta' } as const;

describe('sun_abraham analysis', () => {
  it('has the library defaults: reference [-1], never-treated controls, clustered by unit', () => {
    const spec = parseRunSpec({ dataset: mpdta, analyses: [{ id: 'sa', estimator: 'sun_abraham', outcomes: ['lemp'], cohort: 'first.treat' }] });
    expect(spec.analyses[0]).toMatchObject({ ref: [-1], controlCohort: 'never', controls: [] });
    expect(spec.analyses[0]).not.toHaveProperty('cluster');
  });

  it("reports the library's IW coefficients, ATT and cohort effects, with a figure and an ATT table", async () => {
    const run = await runSpec({ dataset: mpdta, analyses: [{ id: 'sa', estimator: 'sun_abraham', outcomes: ['lemp'], cohort: 'first.treat' }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    const direct = sunAbraham(await loadMpdta(), { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    const lemp = record.results.lemp as { att: { estimate: number; se: number }; cohorts: unknown[]; tidy: { term: string }[] };
    expect(lemp.att.estimate).toBeCloseTo(direct.att.estimate, 12);
    expect(lemp.att.se).toBeCloseTo(direct.att.se, 12);
    expect(lemp.cohorts).toHaveLength(direct.cohorts.length);
    expect(lemp.tidy.length).toBe(direct.coefs.length + 1);
    expect(record.blocks.map((b) => b.kind)).toEqual(['table', 'figure']);
    const table = record.blocks[0]!;
    if (table.kind !== 'table' || !table.table) throw new Error('expected the ATT table');
    expect(table.table.rows[0]![1]).toBeCloseTo(direct.att.estimate, 12);
  });

  it('takes the last-treated cohort as controls when asked', async () => {
    const run = await runSpec({ dataset: mpdta, analyses: [{ id: 'sa', estimator: 'sun_abraham', outcomes: ['lemp'], cohort: 'first.treat', controlCohort: 'last', ref: [-1, -4] }] });
    const lemp = run.analyses[0]!.results.lemp as { drops: { rowsAfterLastCohort: number }; spec: { ref: number[] } };
    expect(lemp.drops.rowsAfterLastCohort).toBeGreaterThan(0);
    expect(lemp.spec.ref).toEqual([-1, -4]);
  });
});
