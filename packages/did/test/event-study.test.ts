import { describe, expect, it } from 'vitest';
import { baconDecomposition, eventStudy, plotData, summary, sunAbraham, tidy, twfeDid } from '../src/index.js';
import { simulatePanel } from './simulate.js';
import { createRng } from '@panel-lab/compute';

// seed-like: 9 periods, cohorts at 5 and 7 (the seed's 2015 and 2017 in 2011..2019), effect 1 + 0.1 e
const sim = simulatePanel({ units: 600, periods: 9, cohorts: [5, 7], seed: 3 });

describe('event study (seed Figs 4-5 specification)', () => {
  it('window -4..2 with reference -4 and binned endpoints', () => {
    const es = eventStudy(sim, { outcome: 'y', treatment: { cohort: 'g' }, window: [-4, 2], ref: -4 });
    expect(es.coefs.map((c) => c.eventTime)).toEqual([-3, -2, -1, 0, 1, 2]);
    expect(es.drops.rowsTrimmed).toBe(0);
    expect(es.fit.nobs).toBe(600 * 9);
    // pre-period coefficients are relative to -4 (no true pre-trend): near 0; post near 1 + 0.1 e
    for (const c of es.coefs) {
      const truth = c.eventTime < 0 ? 0 : c.eventTime < 2 ? 1 + 0.1 * c.eventTime : Number.NaN;
      if (!Number.isNaN(truth)) expect(Math.abs(c.estimate - truth)).toBeLessThan(4 * c.se);
    }
    expect(es.pretest!.eventTimes).toEqual([-3, -2, -1]);
    expect(es.pretest!.pValue).toBeGreaterThan(0.001);
    const pd = plotData(es);
    if (pd.kind !== 'event_study') throw new Error('kind');
    expect(pd.series.find((p) => p.ref)!.x).toBe(-4);
    expect(pd.series.length).toBe(7);
  });

  it('trim drops treated observations outside the window and counts them', () => {
    const bin = eventStudy(sim, { outcome: 'y', treatment: { cohort: 'g' }, window: [-4, 2], ref: -4 });
    const trim = eventStudy(sim, { outcome: 'y', treatment: { cohort: 'g' }, window: [-4, 2], ref: -4, endpoints: 'trim' });
    expect(trim.drops.rowsTrimmed).toBeGreaterThan(0);
    expect(trim.fit.nobs).toBe(600 * 9 - trim.drops.rowsTrimmed);
    expect(trim.coefs.length).toBe(bin.coefs.length);
    expect(trim.coefs[0]!.estimate).not.toBeCloseTo(bin.coefs[0]!.estimate, 10);
  });

  it('rejects a reference outside the window', () => {
    expect(() => eventStudy(sim, { outcome: 'y', treatment: { cohort: 'g' }, window: [-2, 2], ref: -4 })).toThrow(/ref -4 is outside/);
  });

  it('Sun-Abraham recovers the effects; TWFE and tidy/summary work', () => {
    const sa = sunAbraham(sim, { outcome: 'y', treatment: { cohort: 'g' } });
    for (const c of sa.coefs.filter((x) => x.eventTime >= 0)) expect(Math.abs(c.estimate - (1 + 0.1 * c.eventTime))).toBeLessThan(4 * c.se);
    const tw = twfeDid(sim, { outcome: 'y', treatment: { cohort: 'g' }, controls: ['x'] });
    expect(tidy(tw)[0]!.term).toBe('treated');
    expect(summary(tw).text).toMatch(/TWFE DID/);
    expect(tidy(sa).at(-1)!.term).toBe('ATT');
  });
});

describe('Bacon decomposition identity', () => {
  it('holds to 1e-10 with 20 cohorts, an always-treated group and never-treated units', () => {
    const cohorts = [1, ...Array.from({ length: 20 }, (_, k) => k + 3)];
    const panel = simulatePanel({ units: 400, periods: 25, cohorts, seed: 17 });
    const res = baconDecomposition(panel, { outcome: 'y', treatment: { cohort: 'g' } });
    expect(Math.abs(res.identityResidual)).toBeLessThan(1e-10);
    expect(res.byType.map((t) => t.type)).toContain('Later vs Always Treated');
    expect(Math.abs(res.twoByTwos.reduce((a, r) => a + r.weight, 0) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(res.twfe - twfeDid(panel, { outcome: 'y', treatment: { cohort: 'g' } }).estimate)).toBeLessThan(1e-8);
    expect(() => baconDecomposition(panel, { outcome: 'y', treatment: { cohort: 'g' }, controls: ['x'] })).toThrow(/control 'x' is collinear/);
    const rng = createRng(4);
    const z = Float64Array.from({ length: panel.nrows }, () => rng.normal());
    const withZ = baconDecomposition(panel.withColumns({ z }), { outcome: 'y', treatment: { cohort: 'g' }, controls: ['z'] });
    expect(Math.abs(withZ.identityResidual)).toBeLessThan(1e-10);
    expect(withZ.within!.omega).toBeGreaterThan(0);
    const pd = plotData(res);
    expect(pd.kind).toBe('bacon_scatter');
  });

  it('with two cohorts and never-treated gives exactly the seed four 2x2 types', () => {
    const res = baconDecomposition(sim, { outcome: 'y', treatment: { cohort: 'g' } });
    expect(res.twoByTwos.length).toBe(4);
    expect(new Set(res.twoByTwos.map((r) => r.type))).toEqual(new Set(['Treated vs Untreated', 'Earlier vs Later Treated', 'Later vs Earlier Treated']));
  });
});

describe('unbalanced panels and coarser clusters', () => {
  it('event study, Sun-Abraham and TWFE run on an unbalanced panel; att_gt balances and counts', () => {
    const unb = sim.filterRows((r) => r % 17 !== 5);
    const dropped = sim.nrows - unb.nrows;
    const es = eventStudy(unb, { outcome: 'y', treatment: { cohort: 'g' }, window: [-4, 2], ref: -4 });
    expect(es.fit.nobs).toBe(unb.nrows);
    expect(sunAbraham(unb, { outcome: 'y', treatment: { cohort: 'g' } }).coefs.length).toBeGreaterThan(0);
    expect(twfeDid(unb, { outcome: 'y', treatment: { cohort: 'g' } }).fit.nobs).toBe(unb.nrows);
    expect(dropped).toBeGreaterThan(0);
  });

  it('att_gt clusters analytic SEs by a time-invariant coarser cluster', async () => {
    const { attGt, withMultiplierBootstrap } = await import('../src/index.js');
    const { cpuContext } = await import('./cpu-context.js');
    const ids = sim.numeric('id');
    const withState = sim.withColumns({ state: Float64Array.from(ids, (v) => v % 30) });
    const byUnit = attGt(withState, { outcome: 'y', treatment: { cohort: 'g' } });
    const byState = attGt(withState, { outcome: 'y', treatment: { cohort: 'g' }, cluster: 'state' });
    expect(byState.att).toEqual(byUnit.att);
    expect(byState.se).not.toEqual(byUnit.se);
    const boot = await withMultiplierBootstrap(byState, await cpuContext(), { seed: 2, draws: 200 });
    expect(boot.bootstrap!.clusters).toBe(30);
    const badCluster = withState.withColumns({ state: Float64Array.from(withState.numeric('time'), (t) => t) });
    expect(() => attGt(badCluster, { outcome: 'y', treatment: { cohort: 'g' }, cluster: 'state' })).toThrow(/constant within unit/);
  });
});

describe('sup-t uniform bands for regression event studies', () => {
  it('matches the independent-coefficient value and is reproducible per seed', async () => {
    const { supTCritical } = await import('../src/regression/sup-t.js');
    const I = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i === j ? 4 : 0)));
    const want = 2.5679; // qnorm((1 + 0.95^(1/5)) / 2)
    const got = supTCritical(I, 0.05, { seed: 1, draws: 20_000 });
    expect(Math.abs(got - want)).toBeLessThan(0.05);
    expect(supTCritical(I, 0.05, { seed: 1, draws: 20_000 })).toBe(got);
    const es = eventStudy(sim, { outcome: 'y', treatment: { cohort: 'g' }, window: [-4, 2], ref: -4, simultaneous: { seed: 3 } });
    expect(es.critValSimult!).toBeGreaterThan(1.96);
    const r = tidy(es)[0]!;
    expect(r.conf_low_simult!).toBeLessThan(r.conf_low);
    const sa = sunAbraham(sim, { outcome: 'y', treatment: { cohort: 'g' }, simultaneous: { seed: 3 } });
    expect(sa.critValSimult!).toBeGreaterThan(1.96);
  });
});

describe('Sun-Abraham with the last-treated cohort as control', () => {
  it('drops the periods from the last cohort adoption and estimates only earlier cohorts', () => {
    const sa = sunAbraham(sim, { outcome: 'y', treatment: { cohort: 'g' }, controlCohort: 'last' });
    expect(new Set(sa.cells.map((c) => c.group))).toEqual(new Set([5]));
    expect(sa.drops.rowsAfterLastCohort).toBe(600 * 3); // periods 7, 8, 9
    expect(sa.fit.nobs).toBe(600 * 6);
    for (const c of sa.coefs.filter((x) => x.eventTime >= 0)) expect(Math.abs(c.estimate - (1 + 0.1 * c.eventTime))).toBeLessThan(4 * c.se);
  });
});
