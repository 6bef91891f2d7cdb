import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { cohortTrends, treatmentSetup } from '../src/index.js';

const rows = [
  { id: 'a', t: 1, d: 0, y: 1 }, { id: 'a', t: 2, d: 1, y: 2 }, { id: 'a', t: 3, d: 1, y: 3 },
  { id: 'b', t: 1, d: 0, y: 1 }, { id: 'b', t: 2, d: 0, y: 1 }, { id: 'b', t: 3, d: 1, y: 5 },
  { id: 'c', t: 1, d: 0, y: 0 }, { id: 'c', t: 2, d: 0, y: 0 }, { id: 'c', t: 3, d: 0, y: Number.NaN },
];
const frame = PanelFrame.fromRows(rows, { unit: 'id', time: 't' });

describe('treatmentSetup', () => {
  it('derives cohorts from a 0/1 treatment, codes never-treated explicitly, and gives relative time', () => {
    const s = treatmentSetup(frame, { treatment: 'd' });
    expect(Array.from(s.unitCohort)).toEqual([2, 3, Infinity]);
    expect(Array.from(s.relTime.slice(0, 6))).toEqual([-1, 0, 1, -2, -1, 0]);
    expect(Number.isNaN(s.relTime[6]!)).toBe(true);
    expect(s.cohortSizes).toEqual([
      { cohort: 2, units: 1, rows: 3, share: 1 / 3 },
      { cohort: 3, units: 1, rows: 3, share: 1 / 3 },
      { cohort: null, units: 1, rows: 3, share: 1 / 3 },
    ]);
    expect(s.balanced).toBe(true);
    expect(JSON.parse(JSON.stringify(s.cohortSizes))[2].cohort).toBeNull();
  });

  it('takes a cohort column with 0 as never treated and checks it is constant within unit', () => {
    const f = PanelFrame.fromRows(rows.map((r) => ({ ...r, g: r.id === 'a' ? 2 : r.id === 'b' ? 3 : 0 })), { unit: 'id', time: 't' });
    expect(Array.from(treatmentSetup(f, { cohort: 'g' }).unitCohort)).toEqual([2, 3, Infinity]);
    const bad = PanelFrame.fromRows(rows.map((r, i) => ({ ...r, g: i === 1 ? 5 : 2 })), { unit: 'id', time: 't' });
    expect(() => treatmentSetup(bad, { cohort: 'g' })).toThrow(/not constant within unit 'a'/);
  });

  it('rejects a treatment that switches off, naming the unit', () => {
    const f = PanelFrame.fromRows(rows.map((r) => (r.id === 'a' && r.t === 3 ? { ...r, d: 0 } : r)), { unit: 'id', time: 't' });
    expect(() => treatmentSetup(f, { treatment: 'd' })).toThrow(/not absorbing.*'a'/);
  });

  it('rejects duplicate unit-period rows and flags unbalanced panels', () => {
    const dup = PanelFrame.fromRows([...rows, { id: 'a', t: 1, d: 0, y: 0 }], { unit: 'id', time: 't' });
    expect(() => treatmentSetup(dup, { treatment: 'd' })).toThrow(/more than one row/);
    const unb = PanelFrame.fromRows(rows.slice(1), { unit: 'id', time: 't' });
    expect(treatmentSetup(unb, { treatment: 'd' }).balanced).toBe(false);
  });

  it('computes raw trends by cohort with missing values counted', () => {
    const s = treatmentSetup(frame, { treatment: 'd' });
    const tr = cohortTrends(frame, s, 'y');
    expect(tr.length).toBe(9);
    const never3 = tr.find((r) => r.cohort === null && r.time === 3)!;
    expect(never3.n).toBe(0);
    expect(never3.n_missing).toBe(1);
    expect(tr.find((r) => r.cohort === 3 && r.time === 3)!.mean).toBe(5);
  });
});
