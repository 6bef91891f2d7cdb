/**
 * SE of the staggered aggregate (staggered-se.ts): with one cohort it is the block SE draw for draw
 * (placebo, bootstrap, jackknife; same seed); with two cohorts each DID replicate equals the
 * staggered estimator re-run on the resampled long data (DID's weights are uniform, so the fixed-
 * weights jackknife and the re-solved draws are plain re-estimates), built here independently.
 */
import { describe, expect, it } from 'vitest';
import { staggeredAggregateSe, synthdidSe, synthdidStaggeredArrays, type SynthdidEstimator } from '../../src/synthdid/index.js';
import { RRandom, sampleWithReplacement } from '../../src/synthdid/r-sample.js';
import { csvColumns } from './synthdid-data.js';

const mp = csvColumns('mpdta.csv');
const keep = (mp['first.treat'] as number[]).flatMap((g, i) => (g === 0 || g === 2006 ? [i] : []));
const col = (name: string) => keep.map((i) => mp[name]![i] as number);
const oneCohort = (estimator: SynthdidEstimator, se: { method: 'placebo' | 'bootstrap' | 'jackknife'; seed?: number; replications?: number }[]) =>
  synthdidStaggeredArrays(col('countyreal'), col('year'), col('lemp'), col('first.treat'), {
    unit: 'countyreal',
    time: 'year',
    outcome: 'lemp',
    cohort: 'first.treat',
    estimator,
    se,
    aggregateSe: se,
  });

describe('aggregate SE with one cohort = the block SE', () => {
  it('did: placebo, bootstrap (200 draws) and jackknife, replicates identical', () => {
    const se = [
      { method: 'placebo' as const, seed: 20240612 },
      { method: 'bootstrap' as const, seed: 20240612 },
      { method: 'jackknife' as const },
    ];
    const res = oneCohort('did', se);
    expect(res.cohorts).toHaveLength(1);
    se.forEach((_, k) => {
      const block = res.cohorts[0]!.se[k]!;
      const agg = res.aggregateSe[k]!;
      expect(Array.from(agg.replicates)).toEqual(Array.from(block.replicates));
      expect(agg.se).toBe(block.se);
    });
  });
  it('synthdid: the first placebo and bootstrap draws, and the jackknife', () => {
    const se = [
      { method: 'placebo' as const, seed: 7, replications: 4 },
      { method: 'bootstrap' as const, seed: 7, replications: 4 },
      { method: 'jackknife' as const },
    ];
    const res = oneCohort('synthdid', se);
    se.forEach((_, k) => {
      expect(Array.from(res.aggregateSe[k]!.replicates)).toEqual(Array.from(res.cohorts[0]!.se[k]!.replicates));
    });
  }, 60_000);
});

describe('aggregate SE with two cohorts (cities_panel, DID): replicates are re-estimates on the resampled panel', () => {
  const c = csvColumns('cities_panel.csv');
  const ids = c.city_code as number[];
  const rows = ids.map((_, i) => i);
  const byUnit = new Map<string, number[]>();
  rows.forEach((i) => byUnit.set(String(ids[i]), [...(byUnit.get(String(ids[i])) ?? []), i]));
  const opts = { unit: 'city_code', time: 'year', outcome: 'y', cohort: 'g', estimator: 'did' as const };
  const rerun = (units: string[]) => {
    const pick = units.flatMap((u, k) => byUnit.get(u)!.map((i) => ({ i, id: `${u}#${k}` })));
    return synthdidStaggeredArrays(pick.map((p) => p.id), pick.map((p) => c.year![p.i] as number), pick.map((p) => c.y![p.i] as number), pick.map((p) => c.g![p.i] as number), opts).estimate;
  };
  const res = synthdidStaggeredArrays(ids, c.year as number[], c.y as number[], c.g as number[], opts);
  const units = [...res.cohorts[0]!.block.units, ...res.cohorts.slice(1).flatMap((k) => k.block.units.slice(k.fit.n0))];
  const cohorts = res.cohorts.map((k) => ({ fit: k.fit, units: k.block.units }));
  it('two cohorts, sharing the controls', () => {
    expect(res.cohorts.map((k) => k.cohort)).toEqual([2015, 2017]);
  });
  it('jackknife: leave one city out of the whole panel', () => {
    const jk = staggeredAggregateSe(cohorts, { method: 'jackknife' });
    expect(jk.replicates).toHaveLength(units.length);
    for (const u of [0, 100, 252, 253, 270, 282, 286]) {
      expect(jk.replicates[u]!).toBeCloseTo(rerun(units.filter((_, k) => k !== u)), 12);
    }
    expect(jk.se).toBeGreaterThan(0);
  });
  it('bootstrap: the first 5 draws of R\'s sample(1:N, replace = TRUE)', () => {
    const bs = staggeredAggregateSe(cohorts, { method: 'bootstrap', seed: 11, replications: 5 });
    const rng = new RRandom(11);
    const n0 = res.cohorts[0]!.fit.n0;
    for (let r = 0; r < 5; ) {
      const ind = Array.from(sampleWithReplacement(rng, units.length));
      if (ind.every((u) => u < n0) || ind.every((u) => u >= n0)) continue;
      expect(bs.replicates[r]!).toBeCloseTo(rerun(ind.map((u) => units[u]!)), 12);
      r++;
    }
  });
  it('placebo: disjoint placebo-treated sets per cohort, controls shared', () => {
    const pl = staggeredAggregateSe(cohorts, { method: 'placebo', seed: 3, replications: 50 });
    expect(pl.replicates).toHaveLength(50);
    expect(pl.se).toBeGreaterThan(0);
    // Under the placebo the effect is zero on average: the mean replicate is small against the SE.
    const mean = pl.replicates.reduce((a, b) => a + b, 0) / 50;
    expect(Math.abs(mean)).toBeLessThan(pl.se);
  });
  it('needs a seed; too few controls for the placebo is NaN with a reason', () => {
    expect(() => staggeredAggregateSe(cohorts, { method: 'placebo' })).toThrow(/seed/);
    // 30 never-treated cities against 34 treated: no placebo.
    const never = [...new Set(rows.filter((i) => c.g![i] === 0).map((i) => ids[i]!))].slice(0, 30);
    const k = rows.filter((i) => (c.g![i] as number) > 0 || never.includes(ids[i]!));
    const small = synthdidStaggeredArrays(k.map((i) => ids[i]!), k.map((i) => c.year![i] as number), k.map((i) => c.y![i] as number), k.map((i) => c.g![i] as number), {
      ...opts,
      aggregateSe: [{ method: 'placebo', seed: 1 }],
    });
    expect(small.aggregateSe[0]!.se).toBeNaN();
    expect(small.aggregateSe[0]!.reason).toMatch(/more controls \(30\) than treated units over all cohorts \(34\)/);
  });
});
