// Float64 vectors with NaN as NA: the validity bitmap matches the values at any length (eight
// values per byte plus a tail), and the frame hands the buffer out without a copy.
import { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { PanelFrame, numericVector } from '../src/index.js';

describe('numericVector', () => {
  for (const n of [1, 7, 8, 9, 17, 64, 1001]) {
    it(`sets a validity bit exactly where the value is a number (${n} values)`, () => {
      const values = Float64Array.from({ length: n }, (_, i) => (i % 3 === 1 || i === n - 1 ? NaN : i));
      const data = numericVector(values).data[0]!;
      expect(data.nullCount).toBe(values.filter((v) => Number.isNaN(v)).length);
      for (let i = 0; i < n; i++) expect(((data.nullBitmap![i >> 3]! >> (i & 7)) & 1) === 1).toBe(!Number.isNaN(values[i]));
      expect(data.nullBitmap!.length).toBe((n + 7) >> 3);
    });
  }

  it('is handed out by the frame as the same buffer, NA kept as NaN', () => {
    const values = Float64Array.from([1, NaN, 3]);
    const frame = PanelFrame.fromTable(new Table({ id: numericVector(Float64Array.from([1, 1, 2])), t: numericVector(Float64Array.from([1, 2, 1])), y: numericVector(values) }), { unit: 'id', time: 't' });
    expect(frame.numeric('y')).toBe(values);
  });
});
