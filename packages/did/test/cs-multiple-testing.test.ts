import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { multiplierWeights } from '@panel-lab/compute';
import { adjustedRowMismatches, goldenDataPath, loadGolden } from '@panel-lab/testing';
import { aggte, attGt, csEventTimeMultipleTesting, csMultipleTesting, jointMultiplierDraws, withMultiplierBootstrap, type AggteResult } from '../src/index.js';
import { cpuContext } from './cpu-context.js';
import { readGoldenCsv } from './helpers.js';

const raw = readGoldenCsv('mpdta.csv', 'countyreal', 'year');
const lemp = raw.values('lemp') as ArrayLike<number>;
const year = raw.values('year') as ArrayLike<number>;
const lpop = raw.values('lpop') as ArrayLike<number>;
// extra outcomes on the same units: a rescaling (same t), a convex transform and a covariate trend
const mpdta = raw.withColumns({
  lemp2: Float64Array.from(lemp, (v) => 2 * v),
  lemp_sq: Float64Array.from(lemp, (v) => (v * v) / 10),
  // as goldens/results/cs_romano_wolf_mpdta.R
  lemp_tr: Float64Array.from(lemp, (v, i) => v + 0.045 * (year[i]! - 2003) * lpop[i]!),
  lemp_tr2: Float64Array.from(lemp, (v, i) => v + 0.065 * (year[i]! - 2003) * lpop[i]!),
});
const agg = (outcome: string, type: 'simple' | 'dynamic' = 'simple'): AggteResult => aggte(attGt(mpdta, { outcome, treatment: { cohort: 'first.treat' } }), { type });

describe('csMultipleTesting (multiplier bootstrap with weights shared across outcomes)', () => {
  it('one outcome: the bootstrap SE is withMultiplierBootstrap\'s for the seed, and every adjusted p is the bootstrap p', async () => {
    const ctx = await cpuContext();
    for (const weights of ['rademacher', 'webb'] as const) {
      const a = agg('lemp');
      const res = await csMultipleTesting([{ outcome: 'lemp', result: a }], ctx, { seed: 7, draws: 499, weights });
      const boot = await withMultiplierBootstrap(a, ctx, { seed: 7, draws: 499, weights });
      const r = res.rows[0]!;
      expect(Math.abs(r.se / boot.overallSe - 1)).toBeLessThan(1e-12);
      expect(r.statistic).toBeCloseTo(a.overallAtt / r.se, 14);
      expect(r.pRomanoWolf).toBe(r.pValue);
      expect(r.pWestfallYoung).toBe(r.pValue);
      expect(r.pWestfallYoungMinP).toBe(r.pValue);
      expect(res.nClusters).toBe(500);
    }
  });

  it('draws are shared: an outcome\'s draws do not depend on the others; a rescaled copy has the same t and p', async () => {
    const ctx = await cpuContext();
    const a = agg('lemp');
    const one = await jointMultiplierDraws([a], ctx, { seed: 3, draws: 200, weights: 'webb' });
    const three = await jointMultiplierDraws([a, agg('lemp_sq'), agg('lemp2')], ctx, { seed: 3, draws: 200, weights: 'webb' });
    for (let b = 0; b < 200; b++) {
      expect(three.draws[b]!).toBeCloseTo(one.draws[b]!, 13);
      expect(three.draws[400 + b]!).toBeCloseTo(2 * one.draws[b]!, 12);
    }
    const res = await csMultipleTesting([{ outcome: 'lemp', result: a }, { outcome: 'lemp2', result: agg('lemp2') }], ctx, { seed: 3, draws: 999 });
    const [x, y] = res.rows;
    expect(y!.statistic).toBeCloseTo(x!.statistic, 10);
    // perfectly dependent outcomes: the max over them is each one, so no adjustment
    expect(x!.pRomanoWolf).toBe(x!.pValue);
    expect(y!.pRomanoWolf).toBe(y!.pValue);
  });

  it('stepdown is monotone, above the bootstrap p and below the single-step maxT; reproducible by seed', async () => {
    const ctx = await cpuContext();
    const items = ['lemp', 'lemp_sq', 'lemp_tr'].map((o) => ({ outcome: o, result: agg(o, 'dynamic') }));
    const res = await csMultipleTesting(items, ctx, { seed: 11, draws: 999, weights: 'rademacher' });
    const again = await csMultipleTesting(items, ctx, { seed: 11, draws: 999, weights: 'rademacher' });
    expect(again.rows).toEqual(res.rows);
    const byStep = [...res.rows].sort((p, q) => p.step - q.step);
    for (let j = 1; j < byStep.length; j++) {
      expect(Math.abs(byStep[j]!.statistic)).toBeLessThanOrEqual(Math.abs(byStep[j - 1]!.statistic));
      expect(byStep[j]!.pRomanoWolf).toBeGreaterThanOrEqual(byStep[j - 1]!.pRomanoWolf);
    }
    for (const r of res.rows) {
      expect(r.pRomanoWolf).toBeGreaterThanOrEqual(r.pValue);
      expect(r.pWestfallYoung).toBeGreaterThanOrEqual(r.pRomanoWolf);
      expect(r.pWestfallYoungMinP).toBeGreaterThanOrEqual(r.pValue);
    }
    expect(res.spec.aggregation).toBe('dynamic');
  });

  it('outcomes on different units share weights by unit; mixed aggregations and bad options are refused', async () => {
    const ctx = await cpuContext();
    // lemp missing for one unit in one year: that unit leaves the balanced panel of that outcome only
    const holes = mpdta.withColumns({ lemp_na: Float64Array.from(lemp, (v, i) => (i === 7 ? Number.NaN : v)) });
    const full = aggte(attGt(holes, { outcome: 'lemp', treatment: { cohort: 'first.treat' } }), { type: 'simple' });
    const part = aggte(attGt(holes, { outcome: 'lemp_na', treatment: { cohort: 'first.treat' } }), { type: 'simple' });
    expect(part.n).toBe(499);
    const res = await csMultipleTesting([{ outcome: 'lemp', result: full }, { outcome: 'lemp_na', result: part }], ctx, { seed: 1, draws: 199 });
    expect(res.nClusters).toBe(500);
    // nearly the same outcome: nearly the same t, and the adjustment is nearly nothing
    expect(Math.abs(res.rows[1]!.statistic / res.rows[0]!.statistic - 1)).toBeLessThan(0.05);
    await expect(csMultipleTesting([{ outcome: 'a', result: agg('lemp') }, { outcome: 'b', result: agg('lemp', 'dynamic') }], ctx, { seed: 1 })).rejects.toThrow(/mix aggregations/);
    await expect(csMultipleTesting([{ outcome: 'a', result: agg('lemp') }], ctx, { seed: 1.5 })).rejects.toThrow(/option seed/);
    await expect(csMultipleTesting([{ outcome: 'a', result: agg('lemp') }], ctx, { seed: 1, draws: 5 })).rejects.toThrow(/option draws/);
  });
});

describe('csEventTimeMultipleTesting (dynamic ATT(e) x outcomes, effects and leads as families)', () => {
  it('one outcome: each SE is withMultiplierBootstrap\'s seEgt for the seed; a rescaled copy changes no adjusted p', async () => {
    const ctx = await cpuContext();
    const a = agg('lemp', 'dynamic');
    const one = await csEventTimeMultipleTesting([{ outcome: 'lemp', result: a }], ctx, { seed: 5, draws: 999 });
    const boot = await withMultiplierBootstrap(a, ctx, { seed: 5, draws: 999 });
    for (const r of one.rows) {
      const m = a.egt.indexOf(r.eventTime);
      expect(Math.abs(r.se / boot.seEgt[m]! - 1)).toBeLessThan(1e-12);
      expect(r.family).toBe(r.eventTime >= 0 ? 'post' : 'pre');
    }
    expect(one.families.map((f) => f.family)).toEqual(['post', 'pre']);
    expect(one.rows.length + one.skipped.length).toBe(a.egt.length);
    const two = await csEventTimeMultipleTesting([{ outcome: 'lemp', result: a }, { outcome: 'lemp2', result: agg('lemp2', 'dynamic') }], ctx, { seed: 5, draws: 999 });
    for (const r of one.rows) {
      for (const o of ['lemp', 'lemp2']) {
        const q = two.rows.find((x) => x.outcome === o && x.eventTime === r.eventTime)!;
        expect(q.statistic).toBeCloseTo(r.statistic, 9);
        expect([q.pValue, q.pRomanoWolf, q.pWestfallYoung]).toEqual([r.pValue, r.pRomanoWolf, r.pWestfallYoung]);
      }
    }
  });

  it('within each family the stepdown is monotone and between the bootstrap p and the single-step maxT', async () => {
    const ctx = await cpuContext();
    const res = await csEventTimeMultipleTesting(['lemp', 'lemp_tr', 'lemp_tr2'].map((o) => ({ outcome: o, result: agg(o, 'dynamic') })), ctx, { seed: 2, draws: 499, weights: 'webb' });
    for (const fam of ['post', 'pre'] as const) {
      const rows = res.rows.filter((r) => r.family === fam).sort((p, q) => p.step - q.step);
      expect(rows.length).toBe(res.families.find((f) => f.family === fam)!.size);
      rows.forEach((r, j) => {
        expect(r.pRomanoWolf).toBeGreaterThanOrEqual(r.pValue);
        expect(r.pWestfallYoung).toBeGreaterThanOrEqual(r.pRomanoWolf);
        if (j > 0) expect(r.pRomanoWolf).toBeGreaterThanOrEqual(rows[j - 1]!.pRomanoWolf);
      });
    }
    await expect(csEventTimeMultipleTesting([{ outcome: 'a', result: agg('lemp') }], ctx, { seed: 1 })).rejects.toThrow(/event times need 'dynamic'/);
  });
});

/**
 * Golden: goldens/results/cs_romano_wolf_mpdta.json, from R did 2.3.0's influence functions of the
 * overall ATT (aggte simple and dynamic, per outcome) multiplied in plain R by our committed
 * Rademacher weights (goldens/data/cs_romano_wolf_weights.txt: the unit ids in our row order, then
 * one line of +/- per draw; WRITE_GOLDEN_WEIGHTS=1 rewrites it), then the adjustments from their
 * definitions. Script: goldens/results/cs_romano_wolf_mpdta.R.
 */
interface Golden {
  seed: number;
  draws: number;
  outcomes: string[];
  event_times: { outcome: string; event_time: number; family: string; estimate: number; se: number; statistic: number; p_value: number; p_romano_wolf: number; p_westfall_young: number; p_westfall_young_minp: number }[];
  aggregations: Record<string, { outcome: string; estimate: number; se: number; statistic: number; p_value: number; p_romano_wolf: number; p_westfall_young: number; p_westfall_young_minp: number; t_star_first: number[] }[]>;
}
const SEED = 20261206;
const DRAWS = 199;
const WEIGHTS_FILE = 'cs_romano_wolf_weights.txt';

describe('csMultipleTesting golden (R did influence functions x the same weights)', () => {
  it('the committed weight file is the generator output in our unit order', () => {
    const units = raw.values('countyreal') as ArrayLike<number>;
    const cohort = raw.values('first.treat') as ArrayLike<number>;
    // attGt's row order: units in order of first appearance, stably sorted by cohort (never treated last)
    const first = new Map<number, number>();
    for (let i = 0; i < units.length; i++) if (!first.has(units[i]!)) first.set(units[i]!, cohort[i]! === 0 ? Number.POSITIVE_INFINITY : cohort[i]!);
    const order = [...first.keys()].map((u, j) => ({ u, g: first.get(u)!, j })).sort((p, q) => p.g - q.g || p.j - q.j).map((x) => x.u);
    const V = multiplierWeights({ seed: SEED, draws: DRAWS, clusters: order.length, kind: 'rademacher' });
    const lines = [order.join(',')];
    for (let b = 0; b < DRAWS; b++) lines.push(Array.from({ length: order.length }, (_, c) => (V.data[b * order.length + c]! > 0 ? '+' : '-')).join(''));
    const text = `${lines.join('\n')}\n`;
    if (process.env['WRITE_GOLDEN_WEIGHTS'] === '1') writeFileSync(goldenDataPath(WEIGHTS_FILE), text);
    expect(readFileSync(goldenDataPath(WEIGHTS_FILE), 'utf8')).toBe(text);
  });

  it('estimates, bootstrap SEs, t* and the four p-values match R for simple and dynamic', async () => {
    const golden = loadGolden<Golden>('cs_romano_wolf_mpdta');
    expect([golden.seed, golden.draws]).toEqual([SEED, DRAWS]);
    const ctx = await cpuContext();
    for (const type of ['simple', 'dynamic'] as const) {
      const items = golden.outcomes.map((o) => ({ outcome: o, result: agg(o, type) }));
      const res = await csMultipleTesting(items, ctx, { seed: SEED, draws: DRAWS, weights: 'rademacher', keepDraws: true });
      for (const [k, g] of golden.aggregations[type]!.entries()) {
        const r = res.rows[k]!;
        expect(r.outcome).toBe(g.outcome);
        expect(adjustedRowMismatches(r, g), `${type} ${g.outcome}`).toEqual([]);
      }
    }
  });

  it('dynamic ATT(e) x outcomes in the post and pre families match R', async () => {
    const golden = loadGolden<Golden>('cs_romano_wolf_mpdta');
    const ctx = await cpuContext();
    const res = await csEventTimeMultipleTesting(golden.outcomes.map((o) => ({ outcome: o, result: agg(o, 'dynamic') })), ctx, { seed: SEED, draws: DRAWS, weights: 'rademacher' });
    expect(res.skipped).toEqual([]);
    expect(res.rows).toHaveLength(golden.event_times.length);
    for (const g of golden.event_times) {
      const r = res.rows.find((x) => x.outcome === g.outcome && x.eventTime === g.event_time)!;
      expect(r.family).toBe(g.family);
      expect(adjustedRowMismatches(r, g), `${g.outcome} e = ${g.event_time}`).toEqual([]);
      expect(r.pWestfallYoung).toBeCloseTo(g.p_westfall_young, 12);
      expect(r.pWestfallYoungMinP).toBeCloseTo(g.p_westfall_young_minp, 12);
    }
  });
});
