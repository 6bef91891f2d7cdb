import { describe, expect, it } from 'vitest';
import { Table, vectorFromArray } from 'apache-arrow';
import {
  PanelError,
  PanelFrame,
  balancePanel,
  filterPeriods,
  filterUnits,
  interpolateGaps,
  joinUnitTable,
  lagLead,
  logTransform,
  quantile7,
  standardize,
  winsorize,
} from '../src/index.js';

const schema = { unit: 'city', time: 'year' };
// Rows deliberately out of order; B has no 2001 row; C has a missing y in 2001.
const panel = PanelFrame.fromColumns(
  {
    city: ['A', 'B', 'A', 'C', 'A', 'B', 'C', 'C'],
    year: [2001, 2000, 2000, 2000, 2002, 2002, 2001, 2002],
    y: [2, 10, 1, 0, 4, -5, null, 6],
  },
  schema,
);
const y = Array.from(panel.numeric('y'));
const yBefore = Float64Array.from(panel.numeric('y'));

function byRow(frame: PanelFrame, column: string): Record<string, number> {
  const out: Record<string, number> = {};
  const units = frame.values('city');
  const years = frame.numeric('year');
  const x = frame.numeric(column);
  for (let i = 0; i < frame.nrows; i++) out[`${units[i]}${years[i]}`] = x[i]!;
  return out;
}

describe('logTransform', () => {
  it("'drop' removes rows with values <= 0 and counts them", () => {
    const { frame, report } = logTransform(panel, ['y'], { policy: 'drop' });
    expect(report).toEqual({ policy: 'drop', columns: [{ column: 'y', output: 'log_y', nonPositive: 2, missing: 1 }], droppedRows: 2 });
    expect(frame.nrows).toBe(6);
    expect(byRow(frame, 'log_y')).toMatchObject({ A2001: Math.log(2), B2000: Math.log(10) });
    expect(Number.isNaN(byRow(frame, 'log_y').C2001)).toBe(true); // missing stays missing, not dropped
  });

  it("'na' keeps rows and sets log of non-positive values missing", () => {
    const { frame, report } = logTransform(panel, ['y'], { policy: 'na', prefix: '' });
    expect(frame.nrows).toBe(8);
    expect(report.droppedRows).toBe(0);
    expect(Number.isNaN(byRow(frame, 'y').C2000)).toBe(true);
    expect(byRow(frame, 'y').A2002).toBe(Math.log(4));
  });

  it("'log1p' and 'asinh' transform every value", () => {
    const nonNeg = panel.withColumns({ y: y.map((v) => Math.abs(v)) });
    expect(byRow(logTransform(nonNeg, ['y'], { policy: 'log1p' }).frame, 'log_y').C2000).toBe(0);
    expect(byRow(logTransform(panel, ['y'], { policy: 'asinh' }).frame, 'log_y').B2002).toBe(Math.asinh(-5));
    expect(() => logTransform(panel, ['y'], { policy: 'log1p' })).toThrow(/values <= -1 where log1p is undefined, first at row\(s\) 6/);
  });

  it('requires a known policy and numeric columns, and never mutates the input', () => {
    expect(() => logTransform(panel, ['y'], { policy: 'zero' as never })).toThrow(/option policy/);
    expect(() => logTransform(panel, ['city'], { policy: 'na' })).toThrow(/column 'city' is categorical/);
    expect(() => logTransform(panel, ['nope'], { policy: 'na' })).toThrow(/column 'nope' not found/);
    expect(panel.numeric('y')).toEqual(yBefore);
  });
});

describe('lagLead', () => {
  it('lags by time within unit and leaves NA across gaps', () => {
    const { frame, report } = lagLead(panel, 'y', 1);
    const lag = byRow(frame, 'y_lag1');
    expect(lag.A2001).toBe(1);
    expect(lag.A2002).toBe(2);
    expect(Number.isNaN(lag.A2000)).toBe(true);
    expect(Number.isNaN(lag.B2002)).toBe(true); // B has no 2001 row: no skipping over the gap
    expect(lag.C2002).toBeNaN(); // C's 2001 value is missing
    expect(report).toMatchObject({ output: 'y_lag1', k: 1, step: 1, missing: 5 });
  });

  it('leads with k < 0 and takes the step from the period grid', () => {
    expect(byRow(lagLead(panel, 'y', -2).frame, 'y_lead2').A2000).toBe(4);
    const biennial = PanelFrame.fromColumns({ city: [1, 1, 1], year: [2000, 2002, 2004], y: [1, 2, 3] }, schema);
    const { frame, report } = lagLead(biennial, 'y', 1, { name: 'prev' });
    expect(report.step).toBe(2);
    expect(Array.from(frame.numeric('prev'))).toEqual([NaN, 1, 2]);
  });

  it('rejects k = 0 or a fractional k', () => {
    expect(() => lagLead(panel, 'y', 0)).toThrow(PanelError);
    expect(() => lagLead(panel, 'y', 1.5)).toThrow(/non-zero integer/);
  });
});

describe('interpolateGaps', () => {
  it('fills interior missing values linearly in time and never extrapolates', () => {
    const f = PanelFrame.fromColumns(
      { city: ['a', 'a', 'a', 'a', 'a', 'b', 'b'], year: [2000, 2001, 2003, 2004, 2005, 2000, 2001], y: [null, 1, null, 7, null, 5, null] },
      schema,
    );
    const { frame, report } = interpolateGaps(f, ['y']);
    // 2003 lies between 2001 (1) and 2004 (7): 1 + 6 * 2/3 = 5.
    expect(Array.from(frame.numeric('y'))).toEqual([NaN, 1, 5, 7, NaN, 5, NaN]);
    expect(report).toEqual({ addedRows: 0, columns: [{ column: 'y', output: 'y', filled: 1, stillMissing: 3 }] });
    expect(f.numeric('y')[2]).toBeNaN();
  });

  it('with addRows, creates absent interior periods and fills them', () => {
    const f = PanelFrame.fromColumns({ city: [7, 7, 7, 8], year: [2000, 2003, 2004, 2001], y: [0, 3, 5, 1], g: ['a', 'b', 'b', 'c'] }, schema);
    const { frame, report } = interpolateGaps(f, ['y'], { addRows: true });
    expect(report.addedRows).toBe(2);
    expect(frame.values('city')).toEqual([7, 7, 7, 8, 7, 7]);
    expect(Array.from(frame.numeric('year')).slice(4)).toEqual([2001, 2002]);
    expect(Array.from(frame.numeric('y')).slice(4)).toEqual([1, 2]);
    expect(frame.values('g').slice(4)).toEqual([null, null]);
    expect(() => interpolateGaps(frame, ['y'])).not.toThrow();
  });

  it('writes to a prefixed column when asked', () => {
    const { frame } = interpolateGaps(panel, ['y'], { prefix: 'i_' });
    expect(byRow(frame, 'i_y').C2001).toBe(3);
    expect(byRow(frame, 'y').C2001).toBeNaN();
  });
});

describe('winsorize', () => {
  it("clamps to R's type-7 quantiles and counts clipped values", () => {
    const x = Array.from({ length: 101 }, (_, i) => i);
    const f = PanelFrame.fromColumns({ city: x, year: x.map(() => 1), x }, schema);
    const { frame, report } = winsorize(f, ['x'], { lower: 0.05, upper: 0.9 });
    expect(report.columns[0]).toEqual({ column: 'x', output: 'x', lowerCut: 5, upperCut: 90, clippedLow: 5, clippedHigh: 10 });
    expect(frame.numeric('x')[0]).toBe(5);
    expect(frame.numeric('x')[100]).toBe(90);
    expect(quantile7(Float64Array.from([1, 2, 3, 4]), 0.1)).toBeCloseTo(1.3, 14); // R: quantile(1:4, .1) = 1.3
  });

  it('keeps missing values and rejects bad bounds', () => {
    expect(byRow(winsorize(panel, ['y']).frame, 'y').C2001).toBeNaN();
    expect(() => winsorize(panel, ['y'], { lower: 0.9, upper: 0.1 })).toThrow(/lower\/upper/);
  });
});

describe('standardize', () => {
  it('gives mean 0 and sample sd 1 over non-missing values', () => {
    const { frame, report } = standardize(panel, ['y']);
    const z = Array.from(frame.numeric('z_y')).filter((v) => !Number.isNaN(v));
    const mean = z.reduce((a, b) => a + b) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1));
    expect(Math.abs(mean)).toBeLessThan(1e-15);
    expect(sd).toBeCloseTo(1, 14);
    expect(report.columns[0]!.n).toBe(7);
  });

  it('refuses a constant column', () => {
    const f = panel.withColumns({ c: new Float64Array(8).fill(3) });
    expect(() => standardize(f, ['c'])).toThrow(/column 'c' has 8 non-missing value\(s\) and sd 0/);
  });
});

describe('filterUnits / filterPeriods', () => {
  it('keeps listed units and reports the ones not found', () => {
    const { frame, report } = filterUnits(panel, ['A', 'C', 'Z']);
    expect(new Set(frame.values('city'))).toEqual(new Set(['A', 'C']));
    expect(report).toEqual({ keptUnits: 2, droppedUnits: 1, droppedRows: 2, notFound: ['Z'] });
    const excluded = filterUnits(panel, ['A'], { exclude: true });
    expect(excluded.frame.nrows).toBe(5);
    expect(() => filterUnits(panel, ['Z'])).toThrow(/no rows left/);
  });

  it('matches numeric unit ids given as text', () => {
    const f = PanelFrame.fromColumns({ city: [8001, 8003], year: [1, 1] }, schema);
    expect(filterUnits(f, ['8003']).frame.values('city')).toEqual([8003]);
  });

  it('keeps a range or a list of periods', () => {
    const { frame, report } = filterPeriods(panel, { from: 2001 });
    expect(report).toEqual({ keptPeriods: [2001, 2002], droppedRows: 3 });
    expect(Math.min(...frame.numeric('year'))).toBe(2001);
    expect(filterPeriods(panel, { periods: [2000] }).frame.nrows).toBe(3);
    expect(() => filterPeriods(panel, { from: 2010 })).toThrow(/no rows left/);
    expect(() => filterPeriods(panel, { from: 2002, to: 2000 })).toThrow(/after/);
  });
});

describe('joinUnitTable', () => {
  it('adds unit attributes to every row of the unit and reports unmatched units and unused rows', () => {
    const cities = [
      { city: 'A', area: 10, climate: 'dry' },
      { city: 'B', area: 20, climate: 'wet' },
      { city: 'Q', area: 99, climate: 'dry' },
    ];
    const { frame, report } = joinUnitTable(panel, cities);
    expect(byRow(frame, 'area')).toMatchObject({ A2000: 10, A2002: 10, B2002: 20 });
    expect(byRow(frame, 'area').C2000).toBeNaN();
    expect(frame.values('climate').filter((v) => v === null)).toHaveLength(3);
    expect(report).toEqual({ on: 'city', addedColumns: ['area', 'climate'], unmatchedUnits: ['C'], unmatchedRows: 3, unusedTableRows: 1 });
  });

  it('joins an Arrow table on a named key, numbers matching text ids', () => {
    const f = PanelFrame.fromColumns({ city: [1, 1, 2], year: [1, 2, 1] }, schema);
    const t = new Table({ id: vectorFromArray(['1', '2']), pop: vectorFromArray([5, 6]) });
    expect(Array.from(joinUnitTable(f, t, { on: 'id' }).frame.numeric('pop'))).toEqual([5, 5, 6]);
  });

  it('rejects duplicate keys and clashing column names', () => {
    expect(() => joinUnitTable(panel, [{ city: 'A', a: 1 }, { city: 'A', a: 2 }])).toThrow(/unit A appears twice in the table \(rows 1 and 2\)/);
    expect(() => joinUnitTable(panel, [{ city: 'A', y: 1 }])).toThrow(/column 'y' is already in the panel/);
  });
});

describe('balancePanel', () => {
  it('drops units with a missing period and reports them', () => {
    const { frame, report } = balancePanel(panel);
    expect(report).toEqual({ keptUnits: 2, droppedUnits: ['B'], droppedRows: 2, periods: 3 });
    expect(new Set(frame.values('city'))).toEqual(new Set(['A', 'C']));
  });

  it('with columns, also drops units with missing values there', () => {
    const { report } = balancePanel(panel, { columns: ['y'] });
    expect(report.droppedUnits).toEqual(['B', 'C']);
  });

  it('returns the same frame when already balanced', () => {
    const f = filterUnits(panel, ['A']).frame;
    expect(balancePanel(f).frame).toBe(f);
  });
});
