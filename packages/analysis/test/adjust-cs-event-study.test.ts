import { describe, expect, it } from 'vitest';
import { aggte, attGt, csMultipleTesting, eventStudy } from '@panel-lab/did';
import { parseRunSpec, runSpec } from '../src/index.js';
import { loadDataset } from '../src/dataset.js';
import { computeContextFor } from '../src/compute.js';

const dataset = { source: 'synthetic', seed: 5, cities: 80 } as const;
const outcomes = ['ln_co2_total', 'ln_co2_direct', 'ln_co2_elec'];

interface TableBlock { kind: string; id: string; table: { columns: string[]; rows: unknown[][]; notes: string[] } }
interface Row { outcome: string; estimate: number; se: number; pValue: number; pRomanoWolf: number; pWestfallYoung: number; step: number }

describe('adjust on callaway_santanna and event_study (multiple testing across outcomes)', () => {
  it('callaway_santanna: a Romano–Wolf column in the summary, a table after it, the library result for the run seed', async () => {
    const run = await runSpec({ dataset, seed: 17, analyses: [{ id: 'cs', estimator: 'callaway_santanna', outcomes, cohort: 'bigdata_year', bootstrapDraws: 0, adjust: { method: 'romano_wolf', draws: 199 } }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    const summary = record.blocks[0] as unknown as TableBlock;
    expect(summary.table.columns.at(-1)).toBe('Romano–Wolf p (simple)');
    const detail = record.blocks[1] as unknown as TableBlock;
    expect(detail.id).toBe('cs-adjust');
    expect(detail.table.rows).toHaveLength(4 * outcomes.length);
    expect(detail.table.notes.join(' ')).toMatch(/Romano & Wolf \(2005/);
    const adjust = record.results['adjust'] as Record<string, { rows: Row[]; spec: { seed: number; weights: string; draws: number } }>;
    expect(Object.keys(adjust)).toEqual(['simple', 'group', 'dynamic', 'calendar', 'event_times']);
    const dynamic = record.blocks[2] as unknown as TableBlock;
    expect(dynamic.id).toBe('cs-adjust-dynamic');
    const et = record.results['adjust'] as { event_times: { rows: { family: string; eventTime: number }[]; families: { family: string; size: number }[] } };
    expect(et.event_times.rows.every((r) => r.family === (r.eventTime >= 0 ? 'post' : 'pre'))).toBe(true);
    expect(dynamic.table.rows).toHaveLength(et.event_times.rows.length);
    expect(adjust['simple']!.spec.weights).toBe('webb');
    const { frame } = await loadDataset(dataset);
    const compute = await computeContextFor({ name: 'cpu', allowFallback: false } as never);
    try {
      const direct = await csMultipleTesting(
        outcomes.map((o) => ({ outcome: o, result: aggte(attGt(frame, { outcome: o, treatment: { cohort: 'bigdata_year' } }), { type: 'simple', naRm: true }) })),
        compute,
        { seed: adjust['simple']!.spec.seed, draws: 199, weights: 'webb' },
      );
      for (const [k, r] of adjust['simple']!.rows.entries()) {
        expect(r.pRomanoWolf).toBe(direct.rows[k]!.pRomanoWolf);
        expect(r.se).toBe(direct.rows[k]!.se);
        expect(summary.table.rows[k]!.at(-1)).toBe(r.pRomanoWolf);
        expect(r.pRomanoWolf).toBeGreaterThanOrEqual(r.pValue);
        expect(r.pWestfallYoung).toBeGreaterThanOrEqual(r.pRomanoWolf);
      }
    } finally {
      await compute.dispose();
    }
  }, 180_000);

  it('event_study: one table over outcomes x event times, effects and leads as separate families, on the event study\'s own coefficients', async () => {
    const run = await runSpec({ dataset, seed: 17, analyses: [{ id: 'es', estimator: 'event_study', outcomes: outcomes.slice(0, 2), cohort: 'bigdata_year', window: [-3, 2], cluster: 'province', adjust: { method: 'romano_wolf', draws: 199 } }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    const table = record.blocks.find((b) => (b as unknown as TableBlock).id === 'es-adjust') as unknown as TableBlock;
    expect(table.table.columns).toContain('Romano–Wolf p');
    const adjust = record.results['adjust'] as { rows: (Row & { family: string; eventTime: number })[]; families: { family: string; size: number }[] };
    expect(adjust.families).toEqual([{ family: 'pre', size: 4 }, { family: 'post', size: 6 }]);
    const { frame } = await loadDataset(dataset);
    for (const o of outcomes.slice(0, 2)) {
      const es = eventStudy(frame, { outcome: o, treatment: { cohort: 'bigdata_year' }, window: [-3, 2], cluster: ['province'] });
      for (const c of es.coefs) {
        const r = adjust.rows.find((x) => x.outcome === o && x.eventTime === c.eventTime)!;
        expect(r.family).toBe(c.eventTime >= 0 ? 'post' : 'pre');
        expect(Math.abs(r.estimate - c.estimate)).toBeLessThan(1e-9);
        expect(Math.abs(r.se / c.se - 1)).toBeLessThan(1e-8);
      }
    }
    for (const fam of ['pre', 'post']) {
      const rows = adjust.rows.filter((r) => r.family === fam).sort((a, b) => a.step - b.step);
      rows.forEach((r, j) => {
        expect(r.pRomanoWolf).toBeGreaterThanOrEqual(r.pValue);
        if (j > 0) expect(r.pRomanoWolf).toBeGreaterThanOrEqual(rows[j - 1]!.pRomanoWolf);
      });
    }
  }, 180_000);

  it('bad adjust requests are refused naming the field', async () => {
    expect(() => parseRunSpec({ dataset, analyses: [{ id: 'cs', estimator: 'callaway_santanna', outcomes, cohort: 'bigdata_year', adjust: { method: 'bonferroni' } }] })).toThrow(/adjust/);
    expect(() => parseRunSpec({ dataset, analyses: [{ id: 'es', estimator: 'event_study', outcomes, cohort: 'bigdata_year', adjust: { method: 'romano_wolf', draws: 10 } }] })).toThrow(/adjust/);
    const one = await runSpec({ dataset, analyses: [{ id: 'cs', estimator: 'callaway_santanna', outcomes: outcomes.slice(0, 1), cohort: 'bigdata_year', bootstrapDraws: 0, adjust: { method: 'romano_wolf', draws: 99 } }] });
    expect(JSON.stringify(one.analyses[0])).toMatch(/option adjust: multiple testing needs two or more outcomes/);
    const weighted = await runSpec({ dataset, analyses: [{ id: 'es', estimator: 'event_study', outcomes: outcomes.slice(0, 2), cohort: 'bigdata_year', window: [-3, 2], weights: 'ln_pop', adjust: { method: 'romano_wolf', draws: 99 } }] });
    expect(JSON.stringify(weighted.analyses[0])).toMatch(/option adjust: the wild bootstrap here is for unweighted fits/);
    const twoWay = await runSpec({ dataset, analyses: [{ id: 'es', estimator: 'event_study', outcomes: outcomes.slice(0, 2), cohort: 'bigdata_year', window: [-3, 2], cluster: ['province', 'year'], adjust: { method: 'romano_wolf', draws: 99 } }] });
    expect(JSON.stringify(twoWay.analyses[0])).toMatch(/option adjust: the wild cluster bootstrap needs one cluster variable/);
  }, 180_000);
});
