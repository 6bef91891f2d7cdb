import { describe, expect, it } from 'vitest';
import { loadMpdta } from '../src/index.js';

describe('loadMpdta', () => {
  it('loads the 500 x 5 county panel with the did column names', async () => {
    const frame = await loadMpdta();
    expect(frame.nrows).toBe(2500);
    expect(frame.schema).toEqual({ unit: 'countyreal', time: 'year' });
    expect(frame.columnNames).toEqual(['year', 'countyreal', 'lpop', 'lemp', 'first.treat', 'treat']);
    expect(frame.codes('countyreal').levels.length).toBe(500);
    expect(frame.codes('year').levels).toEqual(['2003', '2004', '2005', '2006', '2007']);
    const cohorts = new Set(frame.numeric('first.treat'));
    expect([...cohorts].sort()).toEqual([0, 2004, 2006, 2007]);
    expect(frame.numeric('lemp').every((v) => Number.isFinite(v))).toBe(true);
  });
});
