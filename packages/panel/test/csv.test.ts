import { describe, expect, it } from 'vitest';
import { goldenDataPath } from '@panel-lab/testing';
import { PanelError, parseCsv, parseCsvTable, parseNumber, readPanel } from '../src/index.js';

const opts = { unit: 'city', time: 'year' };

function errorOf(fn: () => unknown): PanelError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PanelError);
    return error as PanelError;
  }
  throw new Error('expected a PanelError');
}

describe('parseCsv', () => {
  it('types columns: numbers as Float64 with NaN for NA tokens, text as dictionary codes', () => {
    const f = parseCsv('city,year,gdp,region\nA,2000,1.5,north\nA,2001,NA,north\nB,2000,.,south\nB,2001,2e3,\n', opts);
    expect(f.isCategorical('city')).toBe(true);
    expect(f.isCategorical('region')).toBe(true);
    expect(Array.from(f.numeric('gdp'))).toEqual([1.5, NaN, NaN, 2000]);
    expect(f.codes('region')).toEqual({ codes: Int32Array.from([0, 0, 1, -1]), levels: ['north', 'south'] });
    expect(Array.from(f.numeric('year'))).toEqual([2000, 2001, 2000, 2001]);
  });

  it('honours custom naValues and forced categorical columns', () => {
    const f = parseCsv('city,year,code,x\n1,2000,10,-99\n2,2000,20,3\n', { ...opts, categorical: ['code'], naValues: ['-99'] });
    expect(f.isCategorical('code')).toBe(true);
    expect(f.values('code')).toEqual(['10', '20']);
    expect(Array.from(f.numeric('x'))).toEqual([NaN, 3]);
    expect(f.isCategorical('city')).toBe(false);
  });

  it('reads Windows line endings and a byte-order mark', () => {
    const f = parseCsv('\uFEFFcity,year,x\r\nA,2000,1\r\nA,2001,2\r\n', opts);
    expect(f.columnNames).toEqual(['city', 'year', 'x']);
    expect(Array.from(f.numeric('x'))).toEqual([1, 2]);
  });

  it('reads quoted fields with commas and keeps an all-missing row', () => {
    const f = parseCsv('city,year,name,x\n1,2000,"Paris, FR",1\n2,2000,,\n', opts);
    expect(f.values('name')).toEqual(['Paris, FR', null]);
    expect(f.nrows).toBe(2);
  });

  it('errors on a stray token in a numeric column, naming column and first rows', () => {
    const rows = ['city,year,gdp', ...Array.from({ length: 20 }, (_, i) => `c${i},2000,${i === 3 || i === 7 ? 'n/a' : i}`)];
    const e = errorOf(() => parseCsv(rows.join('\n'), opts));
    expect(e.column).toBe('gdp');
    expect(e.message).toContain("column 'gdp'");
    expect(e.message).toContain("4 ('n/a'), 8 ('n/a')");
    expect(e.rows).toEqual([3, 7]);
  });

  it('errors on an empty file, a header without rows, and ragged rows', () => {
    expect(errorOf(() => parseCsv('', opts)).message).toMatch(/empty file/);
    expect(errorOf(() => parseCsv('  \n', opts)).message).toMatch(/empty file/);
    expect(errorOf(() => parseCsv('city,year\n', opts)).message).toMatch(/no data rows/);
    expect(errorOf(() => parseCsv('city,year,x\nA,2000,1\nB,2000\n', opts)).message).toMatch(/row 2 has 2 fields, expected 3/);
  });

  it('errors on a missing unit or time column', () => {
    expect(errorOf(() => parseCsv('town,year\nA,2000\n', opts)).column).toBe('city');
    expect(errorOf(() => parseCsv('city,yr\nA,2000\n', opts)).message).toMatch(/time column 'year' not found/);
  });

  it('errors on a text time column, missing unit/time values and duplicate (unit, time) pairs', () => {
    expect(errorOf(() => parseCsv('city,year\nA,y2000\nA,y2001\n', opts)).message).toMatch(/column 'year' is numeric but has 2 non-numeric/);
    expect(errorOf(() => parseCsv('city,year\nA,2000\n', { ...opts, categorical: ['year'] })).message).toMatch(/column 'year' must be numeric but holds text/);
    expect(errorOf(() => parseCsv('city,year\nA,2000\n,2001\n', opts)).message).toMatch(/unit column 'city' is missing at row\(s\) 2/);
    expect(errorOf(() => parseCsv('city,year\nA,2000\nA,NA\n', opts)).message).toMatch(/time column 'year' is missing at row\(s\) 2/);
    const dup = errorOf(() => parseCsv('city,year,x\nA,2000,1\nB,2000,2\nA,2000,3\n', opts));
    expect(dup.message).toMatch(/1 duplicate \(city, year\) pair\(s\): unit A at year 2000 \(rows 1 and 3\)/);
    expect(dup.rows).toEqual([0, 2]);
  });

  it('errors on duplicate header names and an unknown categorical column', () => {
    expect(errorOf(() => parseCsvTable('a,b,a\n1,2,3\n')).message).toMatch(/duplicate column name 'a'/);
    expect(errorOf(() => parseCsv('city,year\nA,2000\n', { ...opts, categorical: ['nope'] })).column).toBe('nope');
  });

  it('decides a column kind on the first chunk with values, so a late text value in a numeric column is an error', () => {
    const lines = ['city,year,x'];
    for (let i = 0; i < 300_000; i++) lines.push(`${i},2000,${i < 299_999 ? i : 'oops'}`);
    const e = errorOf(() => parseCsv(lines.join('\n'), opts));
    expect(e.message).toMatch(/column 'x' is numeric but has 1 non-numeric value\(s\), first at row\(s\) 300000/);
  });

  it('reads the mpdta panel from the goldens', async () => {
    const f = await readPanel(goldenDataPath('mpdta.csv'), { unit: 'countyreal', time: 'year' });
    expect(f.nrows).toBe(2500);
    expect(f.columnNames).toEqual(['year', 'countyreal', 'lpop', 'lemp', 'first.treat', 'treat']);
    expect(f.numeric('lemp')[0]).toBe(8.46146904264388);
  });
});

describe('parseNumber', () => {
  it('accepts decimal numbers and Inf, refuses radix literals and blanks', () => {
    const cases: [string, number][] = [
      ['1e5', 1e5], ['-.5', -0.5], ['+3', 3], ['0', 0], ['-0', -0], ['Inf', Infinity], ['-Inf', -Infinity], ['Infinity', Infinity],
      ['0x1F', NaN], ['0b1', NaN], [' 0x1F', NaN], ['', NaN], ['  ', NaN], ['1_0', NaN], ['abc', NaN], ['1,5', NaN],
    ];
    for (const [token, want] of cases) expect(Object.is(parseNumber(token), want), token).toBe(true);
  });
});
