import { describe, expect, it } from 'vitest';
import { aggte, attGt, sunAbraham, plotData, summary, tidy } from '../src/index.js';
import { readGoldenCsv } from './helpers.js';
import { simulatePanel } from './simulate.js';

const mpdta = readGoldenCsv('mpdta.csv', 'countyreal', 'year');

describe('Callaway-Sant\'Anna behaviour', () => {
  it('Sun-Abraham IW equals CS never-treated/universal dynamic effects exactly (no covariates)', () => {
    const cs = aggte(attGt(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, basePeriod: 'universal' }), { type: 'dynamic' });
    const sa = sunAbraham(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    for (const c of sa.coefs) {
      const k = cs.egt.indexOf(c.eventTime);
      expect(Math.abs(cs.attEgt[k]! - c.estimate)).toBeLessThan(1e-10);
    }
  });

  it('balanceE keeps only cohorts observed for event times 0..balanceE, and matches a by-hand weighted mean', () => {
    const res = attGt(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    const agg = aggte(res, { type: 'dynamic', balanceE: 1 });
    expect(agg.egt).toEqual([-2, -1, 0, 1]);
    // e = 1 uses cohorts 2004 and 2006 (2007 is not observed at e = 1), weighted by cohort size
    const size = (g: number) => new Set(mpdta.numeric('countyreal').filter((_, i) => mpdta.numeric('first.treat')[i] === g)).size;
    const att = (g: number, t: number) => res.att[res.group.findIndex((x, k) => x === g && res.time[k] === t)]!;
    const want = (size(2004) * att(2004, 2005) + size(2006) * att(2006, 2007)) / (size(2004) + size(2006));
    expect(Math.abs(agg.attEgt[3]! - want)).toBeLessThan(1e-12);
    const limited = aggte(res, { type: 'dynamic', minE: -1, maxE: 2 });
    expect(limited.egt).toEqual([-1, 0, 1, 2]);
  });

  it('drops and counts units of an unbalanced panel; errors on bad options', () => {
    const unbalanced = mpdta.filterRows((r) => r !== 0);
    const res = attGt(unbalanced, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    expect(res.n).toBe(499);
    expect(res.drops.unitsIncomplete).toBe(1);
    expect(res.warnings.join(' ')).toMatch(/1 unit\(s\) dropped/);
    expect(() => attGt(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, estMethod: 'x' as 'dr' })).toThrow(/estMethod/);
    expect(() => attGt(mpdta, { outcome: 'nope', treatment: { cohort: 'first.treat' } })).toThrow(/column 'nope'/);
  });

  it('not-yet-treated without never-treated units uses the last cohort as control and drops its periods', () => {
    const onlyTreated = mpdta.filterRows((r) => mpdta.numeric('first.treat')[r] !== 0);
    expect(() => attGt(onlyTreated, { outcome: 'lemp', treatment: { cohort: 'first.treat' } })).toThrow(/no never-treated/);
    const res = attGt(onlyTreated, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, controlGroup: 'notyettreated' });
    expect(res.periods).toEqual([2003, 2004, 2005, 2006]);
    expect(res.drops.periodsDroppedNoNeverTreated).toBe(1);
    expect(res.cohorts).toEqual([2004, 2006]);
  });

  it('anticipation moves the base period of post cells back by delta', () => {
    const sim = simulatePanel({ units: 400, periods: 8, cohorts: [5, 7], seed: 5 });
    const res = attGt(sim, { outcome: 'y', treatment: { cohort: 'g' }, anticipation: 1 });
    const k = res.group.findIndex((g, j) => g === 5 && res.time[j] === 6);
    expect(res.baseTime[k]).toBe(3);
  });

  it('recovers the simulated dynamic effects with 20 cohorts (each within 4 SE)', () => {
    const cohorts = Array.from({ length: 20 }, (_, k) => k + 4);
    const sim = simulatePanel({ units: 3000, periods: 25, cohorts, seed: 9 });
    const res = attGt(sim, { outcome: 'y', treatment: { cohort: 'g' }, controlGroup: 'notyettreated' });
    expect(res.cohorts.length).toBe(20);
    const dyn = aggte(res, { type: 'dynamic', minE: 0, maxE: 5 });
    dyn.egt.forEach((e, k) => expect(Math.abs(dyn.attEgt[k]! - (1 + 0.1 * e))).toBeLessThan(4 * dyn.seEgt[k]!));
    expect(Math.abs(aggte(res, { type: 'group' }).overallAtt - 1)).toBeLessThan(1);
  });

  it('covariates: dr, ipw and reg agree closely when the covariate only shifts trends linearly', () => {
    const sim = simulatePanel({ units: 1500, periods: 6, cohorts: [3, 5], seed: 21 });
    const simple = (m: 'dr' | 'ipw' | 'reg') => aggte(attGt(sim, { outcome: 'y', treatment: { cohort: 'g' }, covariates: ['x'], estMethod: m }), { type: 'simple' });
    const [dr, ipw, reg] = [simple('dr'), simple('ipw'), simple('reg')];
    expect(Math.abs(dr.overallAtt - reg.overallAtt)).toBeLessThan(2 * dr.overallSe);
    expect(Math.abs(dr.overallAtt - ipw.overallAtt)).toBeLessThan(2 * dr.overallSe);
  });

  it('results are JSON-safe and the result functions give fixed columns', () => {
    const res = attGt(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    const json = JSON.parse(JSON.stringify(res));
    expect(json.att.length).toBe(12);
    expect(json.inf).toBeUndefined();
    const rows = tidy(res);
    expect(Object.keys(rows[0]!)).toEqual(['term', 'estimate', 'std_error', 'statistic', 'p_value', 'conf_low', 'conf_high', 'group', 'time', 'event_time', 'conf_low_simult', 'conf_high_simult']);
    expect(rows[0]!.event_time).toBe(0);
    const dyn = aggte(res, { type: 'dynamic' });
    const pd = plotData(dyn);
    expect(pd.kind).toBe('event_study');
    if (pd.kind === 'event_study') expect(pd.series.map((p) => p.x)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(tidy(dyn).at(-1)!.term).toBe('overall');
    expect(summary(res).text).toMatch(/pre-test of parallel trends/);
    expect(() => aggte(JSON.parse(JSON.stringify(res)), { type: 'simple' })).toThrow(/influence functions/);
  });
});
