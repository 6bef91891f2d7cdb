import { describe, expect, it } from 'vitest';
import { feols } from '@panel-lab/regression';
import { tolerance } from '@panel-lab/testing';
import { mergePlaceboChunks, placeboAssignments, placeboChunk, placeboTest, preparePlacebo, twfeArrays } from '../src/index.js';
import { makePanel, withTreatment } from './dgp.js';

const controls = ['x1', 'x2', 'x3'];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('placebo draws equal explicit TWFE regressions', () => {
  for (const [label, dgp] of [
    ['balanced', { seed: 3 }],
    ['unbalanced', { seed: 4, dropShare: 0.08 }],
    ['balanced, zone clusters', { seed: 5, zones: 6 }],
  ] as const) {
    for (const mode of ['A_units_true_timing', 'B_units_random_timing', 'C_timing_only'] as const) {
      it(`${label}, mode ${mode}: draws 0, 7, 23 match feols (coef and CR1 SE)`, async () => {
        const frame = makePanel(dgp);
        const cluster = 'zones' in dgp ? 'zone' : 'city';
        const arrays = twfeArrays(frame, { outcome: 'y', cohort: 'cohort', controls, cluster });
        const prepared = preparePlacebo(arrays, { mode });
        const opts = { seed: 11, chunkIndex: 0, chunkSize: 30, draws: 30 };
        const chunk = await placeboChunk(prepared, opts);
        const asg = placeboAssignments(prepared, opts);
        for (const k of [0, 7, 23]) {
          const f = withTreatment(frame, arrays.periods, arrays.unitLabels, asg[k]!.units, asg[k]!.starts);
          const fit = feols(`y ~ dp + ${controls.join(' + ')} | city + year`, f, { vcov: { cluster } });
          expect(rel(chunk.beta[k]!, fit.coefficients[0]!)).toBeLessThan(tolerance('coef', 64) * 10);
          expect(rel(chunk.se![k]!, fit.se[0]!)).toBeLessThan(tolerance('se', 64) * 10);
        }
        expect(chunk.meta.path).toBe(frame.nrows === 480 ? 'tables' : 'explicit-demean');
      });
    }
  }

  it('the observed estimate equals feols on the true treatment', async () => {
    const frame = makePanel({ seed: 6, effect: -0.4 });
    const res = await placeboTest(frame, { outcome: 'y', cohort: 'cohort', controls, draws: 50, seed: 1 });
    const fit = feols(`y ~ treat + ${controls.join(' + ')} | city + year`, frame, { vcov: { cluster: 'city' } });
    expect(rel(res.estimate.beta, fit.coefficients[0]!)).toBeLessThan(1e-8);
    expect(rel(res.estimate.se, fit.se[0]!)).toBeLessThan(1e-7);
    expect(res.estimate.df).toBe(59);
  });
});

describe('placebo chunks, seeds and backends', () => {
  const frame = makePanel({ seed: 8, units: 80, effect: -0.5 });
  const base = { outcome: 'y', cohort: 'cohort', controls, seed: 42, draws: 250, chunkSize: 100 } as const;

  it('chunks computed separately (any order) merge to the single-process result', async () => {
    const whole = await placeboTest(frame, base);
    const prepared = preparePlacebo(twfeArrays(frame, base));
    const chunks = await Promise.all([2, 0, 1].map((k) => placeboChunk(prepared, { seed: 42, chunkIndex: k, chunkSize: 100, draws: 250 })));
    const shipped = chunks.map((c) => JSON.parse(JSON.stringify(c)));
    const merged = mergePlaceboChunks(shipped);
    expect(merged.beta).toEqual(whole.draws.beta);
    expect(merged.se).toEqual(whole.draws.se);
    expect(chunks.find((c) => c.chunkIndex === 2)!.beta).toHaveLength(50);
    const byIndex = (k: number) => chunks.find((c) => c.chunkIndex === k)!;
    expect(() => mergePlaceboChunks([byIndex(0), byIndex(2)])).toThrow(/chunk 1 is missing/);
    expect(() => mergePlaceboChunks([...chunks, chunks[0]!])).toThrow(/duplicated|expected/);
  });

  it('the same seed reproduces the draws bit for bit; another seed changes them', async () => {
    const a = await placeboTest(frame, base);
    const b = await placeboTest(frame, base);
    const c = await placeboTest(frame, { ...base, seed: 43 });
    expect(a.draws.beta).toEqual(b.draws.beta);
    expect(a.draws.beta).not.toEqual(c.draws.beta);
  });

  it('result is frozen, JSON-safe and its empirical p-values follow (1 + #extreme)/(B + 1)', async () => {
    const r = await placeboTest(frame, { ...base, mode: 'B_units_random_timing' });
    expect(Object.isFrozen(r)).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const b = r.draws.beta.filter((v): v is number => v !== null);
    const extreme = b.filter((v) => Math.abs(v) >= Math.abs(r.estimate.beta)).length;
    expect(r.summary.pTwoSided).toBeCloseTo((1 + extreme) / (b.length + 1), 12);
    expect(r.summary.pLeft).toBeCloseTo((1 + b.filter((v) => v <= r.estimate.beta).length) / (b.length + 1), 12);
    expect(r.draws.t![0]).toBeCloseTo(r.draws.beta[0]! / r.draws.se![0]!, 12);
    expect(r.meta.backend).toBe('cpu');
    expect(r.meta.path).toBe('tables');
  });

  it('under the null DGP the permutation distribution centres on 0 and p-values are not small', async () => {
    const nullFrame = makePanel({ seed: 9, units: 120, effect: 0 });
    const r = await placeboTest(nullFrame, { ...base, draws: 1000, chunkSize: 250, se: false });
    // |mean| within 4 Monte-Carlo SEs of 0
    expect(Math.abs(r.summary.mean)).toBeLessThan((4 * r.summary.sd) / Math.sqrt(r.summary.valid));
    expect(r.draws.se).toBeNull();
    // with a strong true effect the real estimate is far in the tail
    const strong = await placeboTest(makePanel({ seed: 9, units: 120, effect: -1 }), { ...base, draws: 400, se: false });
    expect(strong.summary.pTwoSided).toBeLessThan(0.01);
  });

  it('excludeTrueTreated draws only never-treated units; mode C keeps the treated set', async () => {
    const arrays = twfeArrays(frame, base);
    const ex = preparePlacebo(arrays, { excludeTrueTreated: true });
    const asg = placeboAssignments(ex, { seed: 1, chunkIndex: 0, chunkSize: 20, draws: 20 });
    for (const a of asg) for (const u of a.units) expect(arrays.unitStart[u]).toBe(-1);
    const c = preparePlacebo(arrays, { mode: 'C_timing_only' });
    const ac = placeboAssignments(c, { seed: 1, chunkIndex: 0, chunkSize: 5, draws: 5 });
    for (const a of ac) {
      expect([...a.units].sort()).toEqual([...c.space.treatedUnits].sort());
      expect([...a.starts].sort()).toEqual([...c.space.treatedStarts].sort());
    }
    expect(() => preparePlacebo(arrays, { mode: 'C_timing_only', excludeTrueTreated: true })).toThrow(/excludeTrueTreated/);
  });

  it('the kernel path (GatherSum of the tail records) on the cpu backend equals the tables path', async () => {
    const { KernelRegistry, ComputeConfig, createComputeContext } = await import('@panel-lab/compute');
    const { registerCpuBackend } = await import('@panel-lab/compute-cpu');
    const ctx = await createComputeContext(new ComputeConfig({ backend: 'cpu' }), registerCpuBackend(new KernelRegistry()));
    const tables = await placeboTest(frame, base);
    const kernel = await placeboTest(frame, { ...base, compute: ctx, path: 'kernel', maxBatchValues: 480 * 7 });
    expect(kernel.meta.path).toBe('kernel');
    const a = tables.draws.beta as number[];
    const b = kernel.draws.beta as number[];
    for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(a[k]!)));
    const seA = tables.draws.se as number[];
    const seB = kernel.draws.se as number[];
    for (let k = 0; k < seA.length; k++) expect(Math.abs(seA[k]! - seB[k]!)).toBeLessThan(1e-10 * seA[k]!);
  });

  it('bad input names the option or column at fault', async () => {
    await expect(placeboTest(frame, { ...base, outcome: 'nope' })).rejects.toThrow(/option outcome: column 'nope'/);
    await expect(placeboTest(frame, { ...base, draws: 0 })).rejects.toThrow(/option draws/);
    await expect(placeboTest(frame, { ...base, mode: 'Z' as never })).rejects.toThrow(/option mode/);
    const bad = frame.withColumns({ cohort2: Float64Array.from(frame.numeric('cohort'), (g, r) => (r === 5 ? 2013 : g)) });
    await expect(placeboTest(bad, { ...base, cohort: 'cohort2' })).rejects.toThrow(/changes within unit 'c0000'/);
  });

  it('missing outcomes are dropped and counted', async () => {
    const y = Float64Array.from(frame.numeric('y'));
    y[3] = Number.NaN;
    y[100] = Number.NaN;
    const r = await placeboTest(frame.withColumns({ y }), { ...base, draws: 20 });
    expect(r.sample.droppedMissing).toBe(2);
    expect(r.sample.balanced).toBe(false);
    expect(r.meta.path).toBe('explicit-demean');
  });
});
