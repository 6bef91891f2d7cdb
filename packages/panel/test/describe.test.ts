import { describe, expect, it } from 'vitest';
import { PanelError, PanelFrame, describePanel, formatDescriptiveTable, validatePanel } from '../src/index.js';

const schema = { unit: 'city', time: 'year' };
// B lacks 2001; C has a missing value but all rows.
const frame = PanelFrame.fromColumns(
  {
    city: ['A', 'A', 'A', 'B', 'B', 'C', 'C', 'C'],
    year: [2000, 2001, 2002, 2000, 2002, 2002, 2000, 2001],
    y: [1, 2, 3, 4, 5, 6, null, 8],
    region: ['n', 'n', 'n', 's', 's', null, 's', 's'],
  },
  schema,
);

describe('describePanel', () => {
  const facts = describePanel(frame);

  it('lists units, sorted periods, nobs and balance with the gaps per unit', () => {
    expect(facts.units).toEqual(['A', 'B', 'C']);
    expect(facts.periods).toEqual([2000, 2001, 2002]);
    expect(facts.nobs).toBe(8);
    expect(facts.balanced).toBe(false);
    expect(facts.unitsWithGaps).toEqual([{ unit: 'B', missing: [2001] }]);
    expect(Object.isFrozen(facts)).toBe(true);
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
  });

  it('computes N, mean, sample sd, min and max with missing values excluded', () => {
    const y = facts.columns.find((c) => c.name === 'y')!;
    const v = [1, 2, 3, 4, 5, 6, 8];
    const mean = v.reduce((a, b) => a + b) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
    expect(y).toMatchObject({ type: 'numeric', n: 7, missing: 1, min: 1, max: 8 });
    expect(y.mean).toBeCloseTo(mean, 14);
    expect(y.sd).toBeCloseTo(sd, 14);
    expect(facts.columns.find((c) => c.name === 'region')).toMatchObject({ type: 'categorical', n: 7, missing: 1, levels: 2, mean: null });
  });

  it('keeps the sd exact for large-mean columns like years (no sum-of-squares cancellation)', () => {
    const f = PanelFrame.fromColumns({ city: ['a', 'b', 'c'], year: [1e9 + 1, 1e9 + 2, 1e9 + 3] }, schema);
    expect(describePanel(f).columns.find((c) => c.name === 'year')!.sd).toBe(1);
  });

  it('reports a balanced panel as balanced', () => {
    const f = PanelFrame.fromColumns({ city: [1, 1, 2, 2], year: [1, 2, 2, 1] }, schema);
    const d = describePanel(f);
    expect(d.balanced).toBe(true);
    expect(d.units).toEqual([1, 2]);
  });

  it('formats the descriptive table as text and markdown', () => {
    const text = formatDescriptiveTable(facts, 'text');
    expect(text).toContain('3 units x 3 periods (2000-2002), 8 observations, unbalanced (1 units with gaps)');
    expect(text).toMatch(/y\s+7\s+4\.143\s+2\.410\s+1\s+8/);
    const md = formatDescriptiveTable(facts, 'markdown');
    expect(md).toContain('| Variable | N | Mean | SD | Min | Max |');
    expect(md).toContain('| y | 7 | 4.143 | 2.410 | 1 | 8 |');
    expect(md).toContain('| region | 7 | (2 levels) |  |  |  |');
  });
});

describe('validatePanel', () => {
  it('accepts a valid panel and rejects duplicates naming unit, time and rows', () => {
    expect(() => validatePanel(frame)).not.toThrow();
    const dup = PanelFrame.fromColumns({ city: [5, 6, 5], year: [1, 1, 1] }, schema);
    expect(() => validatePanel(dup)).toThrow(/unit 5 at year 1 \(rows 1 and 3\)/);
  });

  it('rejects a categorical time column and missing unit values', () => {
    const textTime = PanelFrame.fromColumns({ city: ['a'], year: ['2000'] }, schema);
    expect(() => validatePanel(textTime)).toThrow(/time column 'year' must be numeric/);
    const noUnit = PanelFrame.fromColumns({ city: ['a', null], year: [1, 2] }, schema);
    expect(() => validatePanel(noUnit)).toThrow(PanelError);
    expect(() => validatePanel(noUnit)).toThrow(/unit column 'city' is missing at row\(s\) 2/);
  });
});
