import { describe, expect, it } from 'vitest';
import { romanoWolf } from '@panel-lab/resample';
import { parseRunSpec, runSpec } from '../src/index.js';
import { loadDataset } from '../src/dataset.js';

const dataset = { source: 'synthetic', seed: 5, cities: 80 } as const;
const outcomes = ['ln_co2_total', 'ln_co2_direct', 'ln_co2_elec', 'ln_co2_heat', 'ln_co2_transport'];

interface AdjustRow { outcome: string; pValue: number; pRomanoWolf: number; pWestfallYoung: number; pWestfallYoungMinP: number }

describe('multiple testing across outcomes from a spec', () => {
  it('twfe adjust: a table after the TWFE table, the library result for the run seed', async () => {
    const run = await runSpec({ dataset, seed: 17, analyses: [{ id: 'base', estimator: 'twfe', outcomes, treatment: 'bigdata_treated', cluster: 'province', adjust: { method: 'romano_wolf', draws: 199 } }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    const table = record.blocks[1] as unknown as { kind: string; id: string; table: { columns: string[]; rows: unknown[][] } };
    expect(table.id).toBe('base-adjust');
    expect(table.table.columns).toContain('Romano–Wolf p');
    expect(table.table.rows).toHaveLength(outcomes.length);
    const adjust = record.results['adjust'] as { rows: AdjustRow[]; spec: { seed: number; weights: string } };
    expect(adjust.spec.weights).toBe('webb');
    const { frame } = await loadDataset(dataset);
    const direct = await romanoWolf(frame, { outcomes, coefficient: 'bigdata_treated', cluster: 'province', draws: 199, weights: 'webb', seed: adjust.spec.seed });
    for (const [k, r] of adjust.rows.entries()) {
      expect(r.pRomanoWolf).toBe(direct.rows[k]!.pRomanoWolf);
      expect(r.pRomanoWolf).toBeGreaterThanOrEqual(r.pValue);
      expect(r.pWestfallYoung).toBeGreaterThanOrEqual(r.pRomanoWolf);
    }
  }, 120_000);

  it('romano_wolf analysis; bad adjust requests are refused by name', async () => {
    const run = await runSpec({ dataset, seed: 17, analyses: [{ id: 'rw', estimator: 'romano_wolf', outcomes: outcomes.slice(0, 3), treatment: 'bigdata_treated', cluster: 'province', draws: 99 }] });
    expect(run.analyses[0]!.status).toBe('ok');
    expect(() => parseRunSpec({ dataset, analyses: [{ id: 'rw', estimator: 'romano_wolf', outcomes: ['ln_co2_total'], treatment: 'bigdata_treated' }] })).toThrow(/outcomes/);
    const one = await runSpec({ dataset, analyses: [{ id: 't', estimator: 'twfe', outcomes: ['ln_co2_total'], treatment: 'bigdata_treated', adjust: { method: 'romano_wolf', draws: 99 } }] });
    expect(one.analyses[0]!.status).toBe('failed');
    expect(JSON.stringify(one.analyses[0])).toMatch(/option adjust: multiple testing needs two or more outcomes/);
    const conley = await runSpec({ dataset, analyses: [{ id: 't', estimator: 'twfe', outcomes: outcomes.slice(0, 2), treatment: 'bigdata_treated', vcov: 'hetero', adjust: { method: 'romano_wolf', draws: 99 } }] });
    expect(JSON.stringify(conley.analyses[0])).toMatch(/option adjust: the wild cluster bootstrap needs CR1/);
  }, 120_000);
});
