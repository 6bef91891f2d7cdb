import { describe, expect, it } from 'vitest';
import * as robust from '../../src/robustness/index.js';
import { readCsv } from './data.js';

const mpdta = readCsv('mpdta.csv', 'countyreal', 'year');
const raw = mpdta.numeric('first.treat');
const yr = mpdta.numeric('year');
const withD = mpdta.withColumns({ treat_post: Float64Array.from(raw, (g, i) => (g > 0 && yr[i]! >= g ? 1 : 0)) });
const treatment = { cohort: 'first.treat' } as const;

describe('robustness results: immutable, JSON-safe, tidy / summary / plotData', () => {
  const results = [
    robust.did2s(mpdta, { outcome: 'lemp', treatment, secondStage: { eventStudy: {} } }),
    robust.didImputation(mpdta, { outcome: 'lemp', treatment, horizons: true }),
    robust.didMultiplegtDyn(mpdta, { outcome: 'lemp', treatment, effects: 3, placebo: 2 }),
    robust.didMultiplegt(withD, { outcome: 'lemp', treatment: 'treat_post', placebo: 1, bootstrap: 10 }),
    robust.stackedDid(mpdta, { outcome: 'lemp', treatment, kappaPre: 1, kappaPost: 1, type: 'event_study' }),
    robust.twowayFeWeights(withD, { outcome: 'lemp', treatment: 'treat_post' }),
  ] as const;

  it('every result is frozen and survives a JSON round trip', () => {
    for (const r of results) {
      expect(Object.isFrozen(r), r.kind).toBe(true);
      const back = JSON.parse(JSON.stringify(r));
      expect(back.kind).toBe(r.kind);
    }
  });

  it('tidy rows keep the fixed columns; alpha changes the intervals, not the names', () => {
    const rows = robust.tidyRobust(results[0]);
    expect(Object.keys(rows[0]!)).toEqual(['term', 'estimate', 'std_error', 'statistic', 'p_value', 'conf_low', 'conf_high', 'group', 'time', 'event_time', 'conf_low_simult', 'conf_high_simult']);
    const wide = robust.tidyRobust(results[0], { alpha: 0.01 });
    expect(Object.keys(wide[0]!)).toEqual(Object.keys(rows[0]!));
    expect(wide[0]!.conf_high - wide[0]!.conf_low).toBeGreaterThan(rows[0]!.conf_high - rows[0]!.conf_low);
  });

  it('event-study plot data mark the reference period, dCDH placebos come before the effects', () => {
    const p = robust.plotDataRobust(results[2]);
    expect(p.kind).toBe('event_study');
    if (p.kind !== 'event_study') return;
    expect(p.series.map((s) => s.x)).toEqual([-3, -2, -1, 0, 1, 2]);
    expect(p.series.find((s) => s.x === -1)!.ref).toBe(true);
    expect(robust.plotDataRobust(results[5]).kind).toBe('weights');
  });

  it('summaries render text with the title and every term', () => {
    for (const r of results) {
      const s = robust.summaryRobust(r);
      expect(s.text.startsWith(s.title)).toBe(true);
      for (const row of s.table) expect(s.text).toContain(row.term);
    }
  });

  it('the package-named estimators state their inference conventions in the summary notes', () => {
    for (const r of results.slice(0, 3)) {
      const s = robust.summaryRobust(r);
      if (!('notes' in r)) throw new Error(`${r.kind} has no notes`);
      expect(r.notes.length).toBeGreaterThan(0);
      for (const note of r.notes) expect(s.facts).toContainEqual(['note', note]);
    }
    expect(robust.summaryRobust(results[0]).text).toMatch(/t\(\d+\) = t\(n − K\)/);
  });
});
