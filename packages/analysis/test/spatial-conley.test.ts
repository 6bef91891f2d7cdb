import { describe, expect, it } from 'vitest';
import { generateChinaPanel } from '@panel-lab/datasets';
import { ringColumns } from '@panel-lab/did';
import { feols, withVcov } from '@panel-lab/regression';
import { runSpec } from '../src/index.js';
import { seed000RobustnessAnalyses } from '../src/replication-robustness.js';
import { conleyRingTable } from '../src/handlers/robustness/spatial-conley.js';

type TableBlock = { kind: string; id: string; table: { columns: string[]; rows: unknown[][]; notes: string[] } };

describe('spatial_did conleyKm: Conley SEs in the seed 000 Table 10 analogue (issue 20 item 3)', () => {
  it('the replicate spec asks for Conley SEs at the ring distances; the block has one SE column per cut-off and says what it adds', async () => {
    const base = seed000RobustnessAnalyses({ quick: true }).find((a) => a.estimator === 'spatial_did')!;
    expect((base as { conleyKm?: number[] }).conleyKm).toEqual([100, 200, 300]);
    const run = await runSpec({ dataset: { source: 'synthetic', seed: 3 }, analyses: [{ ...base, outcomes: ['ln_co2_elec_ind'] }] });
    const block = run.analyses[0]!.blocks.find((b) => 'id' in b && b.id === 't10-spatial-conley') as unknown as TableBlock;
    expect(block.table.columns.slice(4)).toEqual(['SE Conley 100 km', 'SE Conley 200 km', 'SE Conley 300 km']);
    expect(block.table.columns[3]).toMatch(/^SE clustered by /);
    expect(block.table.rows.map((r) => r[1])).toEqual(['treat', 'ring_0_100', 'ring_100_200', 'ring_200_300']);
    for (const r of block.table.rows) for (const v of r.slice(2)) expect(Number.isFinite(v as number)).toBe(true);
    expect(block.table.notes.join(' ')).toMatch(/What this adds/);
  });

  it('matches feols + withVcov conley directly, and costs well under a second at seed scale', () => {
    const { frame } = generateChinaPanel({ seed: 3 });
    const o = { outcomes: ['ln_co2_elec_ind'], cohort: 'bigdata_year', lat: 'lat', lon: 'lon', edgesKm: [0, 100, 200, 300], mode: 'any' as const, controls: [], conleyKm: [100, 300], caption: 'T10' };
    conleyRingTable('w', frame, o); // warm-up (module JIT)
    const t0 = performance.now();
    const block = conleyRingTable('t', frame, o) as unknown as TableBlock;
    const ms = performance.now() - t0;
    console.log(`conleyRingTable seed scale (1 outcome, 2 cut-offs): ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(1000);
    const { unit, time } = frame.schema;
    const rings = block.table.rows.map((r) => r[1] as string).slice(1);
    const treat = Float64Array.from(frame.numeric('bigdata_year'), (g, i) => (g > 0 && Number.isFinite(g) && frame.numeric(time)[i]! >= g ? 1 : 0));
    const data = frame.withColumns({ ...ringColumns(frame, { treatment: { cohort: 'bigdata_year' }, lat: 'lat', lon: 'lon' }), D: treat });
    const fit = feols(`ln_co2_elec_ind ~ D + ${rings.join(' + ')} | ${unit} + ${time}`, data);
    const se300 = withVcov(fit, { type: 'conley', lat: 'lat', lon: 'lon', cutoff: 300, distance: 'spherical' }, undefined, { data }).se;
    expect(block.table.rows.map((r) => r[5])).toEqual([...se300]);
    expect(block.table.rows.map((r) => r[2])).toEqual([...fit.coefficients]);
  });
});

describe('space x time Conley reachable from the spec (issue 20 item 4)', () => {
  it('twfe vcov { type: conley, cutoff, kernel, lag } reaches the library', async () => {
    const run = await runSpec({
      dataset: { source: 'synthetic', seed: 3 },
      analyses: [{ id: 'st', estimator: 'twfe', outcomes: ['ln_co2_total'], treatment: 'bigdata_treated', vcov: { type: 'conley', cutoff: 200, kernel: 'bartlett', distance: 'spherical', lag: 2 } }],
    });
    const text = JSON.stringify(run.analyses[0]!.blocks);
    expect(text).toMatch(/Conley \(200 km, spherical, Bartlett; city_code & year, L=2\)/);
  });
});

describe('weighted CR2 / CR3 reachable from the spec (issue 20 item 4)', () => {
  it('feols with weights and vcov CR2 / CR3 (FE as i() dummies) runs (the clubSandwich weighted lm estimator)', async () => {
    const run = await runSpec({
      dataset: { source: 'synthetic', seed: 3 },
      analyses: [
        { id: 'w2', estimator: 'feols', formulas: ['ln_co2_total ~ bigdata_treated + i(year)'], weights: 'lat', vcov: { type: 'CR2', cluster: 'city_code' } },
        { id: 'w3', estimator: 'feols', formulas: ['ln_co2_total ~ bigdata_treated + i(year)'], weights: 'lat', vcov: { type: 'CR3', cluster: 'city_code' } },
        { id: 'w2fe', estimator: 'twfe', outcomes: ['ln_co2_total'], treatment: 'bigdata_treated', weights: 'lat', vcov: { type: 'CR2', cluster: 'city_code' } },
      ],
    });
    expect(run.analyses.map((a) => a.status)).toEqual(['ok', 'ok', 'ok']);
    for (const a of run.analyses) expect(JSON.stringify(a.blocks)).toMatch(/CR[23]/);
  });
});
