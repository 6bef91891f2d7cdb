import { describe, expect, it } from 'vitest';
import { groupRows, levelCount } from '../src/row-groups.js';
import { matVec } from '../src/linalg.js';

describe('groupRows', () => {
  it('lists each level\'s rows in their original order', () => {
    const codes = Int32Array.from([2, 0, 2, 1, 0, 2]);
    const g = groupRows(codes);
    expect(g.G).toBe(3);
    expect(Array.from(g.start)).toEqual([0, 2, 3, 6]);
    expect(Array.from(g.rows)).toEqual([1, 4, 3, 0, 2, 5]);
  });

  it('keeps empty levels when G is given', () => {
    const g = groupRows(Int32Array.from([0, 2]), 4);
    expect(Array.from(g.start)).toEqual([0, 1, 1, 2, 2]);
    expect(levelCount(new Int32Array(0))).toBe(0);
  });
});

describe('matVec', () => {
  it('multiplies a row-major square matrix by a vector', () => {
    const A = Float64Array.from([1, 2, 3, 4]);
    expect(Array.from(matVec(A, 2, Float64Array.from([1, -1])))).toEqual([-1, -1]);
  });
});
