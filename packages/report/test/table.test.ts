import { describe, expect, it } from 'vitest';
import { formatNumber, renderTable, tidyTable } from '../src/index.js';
import type { Table } from '../src/index.js';

const table: Table = {
  title: 'Baseline | TWFE',
  columns: ['term', 'estimate', 'note'],
  rows: [
    ['treat_post', -0.043123456789, 'a, "quoted" note'],
    ['ln<gdp>', 0.5, null],
    ['tiny', 1.5e-7, 'x|y'],
  ],
  notes: ['City & year FE.'],
};

describe('renderTable', () => {
  it('markdown: escapes pipes, right-aligns numeric columns, keeps notes', () => {
    const md = renderTable(table, 'markdown');
    expect(md).toContain('**Baseline | TWFE**');
    expect(md).toContain('|:---|---:|:---|');
    expect(md).toContain('| treat_post | -0.043 | a, "quoted" note |');
    expect(md).toContain('| tiny | 1.50e-7 | x\\|y |');
    expect(md).toContain('*City & year FE.*');
  });

  it('html: escapes markup and marks numeric cells', () => {
    const html = renderTable(table, 'html');
    expect(html).toContain('<td>ln&lt;gdp&gt;</td>');
    expect(html).toContain('<td class="num">0.500</td>');
    expect(html).toContain('<p class="table-note">City &amp; year FE.</p>');
    expect(html).not.toContain('<gdp>');
  });

  it('csv: RFC 4180 quoting, full precision, empty field for missing', () => {
    const csv = renderTable(table, 'csv');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('term,estimate,note');
    expect(lines[1]).toBe('treat_post,-0.043123456789,"a, ""quoted"" note"');
    expect(lines[2]).toBe('ln<gdp>,0.5,');
    expect(Number(lines[3]?.split(',')[1])).toBe(1.5e-7);
  });

  it('names the table and row whose width is wrong', () => {
    expect(() => renderTable({ title: 'T9', columns: ['a', 'b'], rows: [[1, 2], [3]] }, 'csv')).toThrow(/table 'T9': row 1 has 1 cells, expected 2/);
  });

  it('rejects an unknown format', () => {
    expect(() => renderTable(table, 'latex' as never)).toThrow(/unknown format 'latex'/);
  });
});

describe('formatNumber', () => {
  it('formats integers, decimals, tiny, huge and non-finite values', () => {
    expect(formatNumber(280)).toBe('280');
    expect(formatNumber(-0.04567, 3)).toBe('-0.046');
    expect(formatNumber(0.00001234)).toBe('1.23e-5');
    expect(formatNumber(Number.NaN)).toBe('');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('-Inf');
  });
});

describe('tidyTable', () => {
  it('keeps the broom columns present in some row, in the fixed order', () => {
    const t = tidyTable(
      [
        { term: 'e=-1', estimate: 0.01, std_error: 0.02, event_time: -1, conf_low: -0.03, conf_high: 0.05 },
        { term: 'e=0', estimate: -0.04, std_error: 0.02, event_time: 0, conf_low: -0.08, conf_high: 0 },
      ],
      { title: 'Event study' },
    );
    expect(t.columns).toEqual(['term', 'event_time', 'estimate', 'std_error', 'conf_low', 'conf_high']);
    expect(t.rows[1]).toEqual(['e=0', 0, -0.04, 0.02, -0.08, 0]);
  });
});
