import { describe, expect, it } from 'vitest';
import { SEED002_OUTCOMES } from '@panel-lab/datasets';
import { parseRunSpec, replicationSpec, runSpec } from '../src/index.js';
import { specIssues } from './spec-issues.js';

// A small synthetic panel (60 cities x 9 years) keeps each quick run to a few seconds on 2 cores.
const dataset = { source: 'synthetic', seed: 11, cities: 60 } as const;
const quickNet = { epochs: 15, patience: 5 };

function figures(blocks: readonly { kind: string }[]): { caption: string; svg: string }[] {
  return blocks.filter((b) => b.kind === 'figure') as unknown as { caption: string; svg: string }[];
}

function allFinite(rows: readonly (readonly unknown[])[]): boolean {
  return rows.every((r) => r.every((c) => typeof c !== 'number' || Number.isFinite(c)));
}

describe('seed 002 handler options', () => {
  it('names the bad field', () => {
    const bad = {
      dataset,
      analyses: [
        { id: 'a', estimator: 'ann_net_effect', replicates: 1 },
        { id: 'b', estimator: 'ann_vs_ols', splits: ['diagonal'] },
        { id: 'c', estimator: 'de_index_construction', indicators: ['only_one'] },
        { id: 'd', estimator: 'ann_net_effect', focal: 'other' },
      ],
    };
    const paths = specIssues(bad).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['analyses[0].replicates', 'analyses[1].splits[0]', 'analyses[2].indicators', 'analyses[3].focal']));
  });

  it('adds the seed 002 entries to the main job only when seed 002 is asked for', () => {
    const ids = (s: ReturnType<typeof replicationSpec>) => s.analyses.map((a) => a.estimator);
    expect(ids(replicationSpec({ seeds: ['002'], quick: true }))).toEqual(['de_index_construction', 'ann_vs_ols', 'ann_net_effect', 'ann_net_effect', 'ann_net_effect']);
    // one net-effect analysis per outcome, so worker threads can run them side by side
    expect(replicationSpec({ seeds: ['002'] }).analyses.flatMap((a) => ('outcomes' in a ? a.outcomes : []) as string[])).toEqual([...SEED002_OUTCOMES]);
    expect(ids(replicationSpec({ seeds: ['000'], quick: true }))).not.toContain('ann_net_effect');
    const full = parseRunSpec(replicationSpec({ seeds: ['002'] }));
    const ne = full.analyses.find((a) => a.estimator === 'ann_net_effect') as { replicates: number };
    expect(ne.replicates).toBe(100);
    const user = parseRunSpec(replicationSpec({ seeds: ['002'], annReplicates: 17, bootstrapDraws: 999 }));
    expect((user.analyses.find((a) => a.estimator === 'ann_net_effect') as { replicates: number }).replicates).toBe(17);
  });
});

describe('seed 002 handlers, quick runs on a small synthetic panel', () => {
  it('builds the index table with KMO, Bartlett and entropy weights', async () => {
    const run = await runSpec({ dataset, analyses: [{ id: 'idx', estimator: 'de_index_construction' }] });
    const a = run.analyses[0]!;
    const table = a.blocks.find((b) => b.kind === 'table');
    if (!table || table.kind !== 'table' || !table.table) throw new Error('expected a table');
    expect(table.table.rows).toHaveLength(5);
    expect(allFinite(table.table.rows)).toBe(true);
    const ent = table.table.rows.map((r) => r.at(-1) as number);
    expect(ent.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    const res = a.results as { factor: { kmo: number; index: number[]; pcIndex: number[]; pcScores: number[][]; factorScores: number[][]; eigenvectors: number[][] }; latentRankCorrelation: { factor: number } };
    expect(res.factor.kmo).toBeGreaterThan(0.5);
    // issue 18 item 7: the unrotated PC-score composite, all components and per-row scores in the results
    expect(Math.min(...res.factor.pcIndex)).toBe(0);
    expect(res.factor.pcScores).toHaveLength(res.factor.index.length);
    expect(res.factor.factorScores).toHaveLength(res.factor.index.length);
    expect(res.factor.eigenvectors).toHaveLength(5);
    expect(table.table.notes?.join(' ')).toMatch(/unrotated PC-score composite/);
    expect(Math.min(...res.factor.index)).toBe(0);
    expect(Math.max(...res.factor.index)).toBe(1);
    // The indicators are monotone in the latent index up to noise: the proxy must track it.
    expect(res.latentRankCorrelation.factor).toBeGreaterThan(0.7);
  });

  it('compares the ANN with OLS on both splits (Table 2) with finite MSEs and grouped CV', async () => {
    const run = await runSpec({
      dataset,
      analyses: [{ id: 't2', estimator: 'ann_vs_ols', outcomes: ['co2_002_intensity'], restarts: 1, folds: 2, ...quickNet }],
    });
    const a = run.analyses[0]!;
    const t = a.blocks[0]!;
    if (t.kind !== 'table' || !t.table) throw new Error('expected a table');
    expect(t.table.rows).toHaveLength(2);
    expect(t.table.rows.map((r) => r[1])).toEqual(['random city-years (seed)', 'whole cities held out']);
    expect(allFinite(t.table.rows)).toBe(true);
    for (const r of t.table.rows) {
      expect(r[4] as number).toBeGreaterThan(0);
      expect(r[5] as number).toBeGreaterThan(0);
      // gain column = (OLS - ANN) / OLS in percent
      expect(r[6] as number).toBeCloseTo((100 * ((r[4] as number) - (r[5] as number))) / (r[4] as number), 8);
    }
    expect(t.table.rows[1]![11]).not.toBeNull(); // CV ran once, on the last split
    expect((a.results.meta as { engine: string }).engine).toBe('tfjs-wasm');
  }, 30_000);

  it('runs the net effect with truth, subgroups and surfaces from one ensemble per outcome', async () => {
    const run = await runSpec({
      dataset,
      analyses: [{
        id: 'ne', estimator: 'ann_net_effect', outcomes: [SEED002_OUTCOMES[1]], replicates: 3, gridPoints: 8,
        surfaceGridPoints: 5, surfaceRows: 40, conditioning: ['gdp_pc', 'fdi_pc'], ...quickNet,
      }],
    });
    const a = run.analyses[0]!;
    const figs = figures(a.blocks);
    // curve + slope, 3 subgroup curves + 3 box plots, 2 surfaces
    expect(figs).toHaveLength(2 + 6 + 2);
    for (const f of figs) {
      expect(f.svg.startsWith('<svg')).toBe(true);
      expect(f.caption).toMatch(/^Seed 002, (Fig\. 4|Fig\. [5-7] |Fig\. (8|9))/);
    }
    expect(figs.some((f) => f.caption.includes('Fig. 8'))).toBe(true);
    expect(figs.some((f) => f.caption.includes('Fig. 9'))).toBe(true);
    const cmp = a.blocks.find((b) => b.kind === 'comparison');
    if (!cmp || cmp.kind !== 'comparison') throw new Error('expected a truth comparison');
    expect(cmp.rows).toHaveLength(5);
    for (const r of cmp.rows) {
      expect(Number.isFinite(r.estimate) && Number.isFinite(r.truth)).toBe(true);
      expect(r.conf_low!).toBeLessThanOrEqual(r.conf_high!);
    }
    const res = a.results[SEED002_OUTCOMES[1]] as { curve: { estimate: number[] }; meta: { engine: string; replicates: number }; subgroups: { variable: string }[]; surfaces: { z: number[][] }[] };
    expect(res.meta.engine).toBe('tfjs-wasm');
    expect(res.meta.replicates).toBe(3);
    expect(res.curve.estimate.every(Number.isFinite)).toBe(true);
    expect(new Set(res.subgroups.map((s) => s.variable))).toEqual(new Set(['city_size_class', 'first_tier', 'digital_pilot_year']));
    expect(res.surfaces.flatMap((s) => s.z.flat()).every(Number.isFinite)).toBe(true);
    const tables = a.blocks.filter((b) => b.kind === 'table');
    expect(tables.length).toBe(1 + 3);
    expect(JSON.parse(JSON.stringify(a.results))).toBeTruthy();
  }, 30_000);
});
