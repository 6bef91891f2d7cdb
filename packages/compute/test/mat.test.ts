import { describe, expect, it } from 'vitest';
import { balancedTwoWay, columnScales, mat, matFromRows, matGet, scaledFloat32 } from '../src/index.js';

describe('Mat helpers', () => {
  it('stores column-major and checks shape against data', () => {
    const m = matFromRows([[1, 2], [3, 4], [5, 6]]);
    expect(Array.from(m.data)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(matGet(m, 2, 1)).toBe(6);
    expect(() => mat(2, 2, new Float64Array(3))).toThrow('data has 3 values, expected rows*cols = 2*2 = 4');
  });

  it('scales columns to unit rms for float32 upload (zero columns keep scale 1)', () => {
    const m = matFromRows([[3e4, 0], [4e4, 0]]);
    const s = columnScales(m);
    expect(s[0]).toBeCloseTo(Math.sqrt((9e8 + 16e8) / 2), 6);
    expect(s[1]).toBe(1);
    const f = scaledFloat32(m, s);
    expect(f[0]! ** 2 + f[1]! ** 2).toBeCloseTo(2, 5);
  });

  it('detects balanced two-way panels only when every pair occurs once', () => {
    expect(balancedTwoWay([new Int32Array([0, 0, 1, 1]), new Int32Array([0, 1, 0, 1])], 4)).toEqual({ la: 2, lb: 2 });
    expect(balancedTwoWay([new Int32Array([0, 0, 1, 1]), new Int32Array([0, 0, 0, 1])], 4)).toBeUndefined();
    expect(balancedTwoWay([new Int32Array([0, 1])], 2)).toBeUndefined();
  });
});
