import { describe, expect, it } from 'vitest';
import { PanelFrame, categoricalVector, factorizeNumbers, panelIndex } from '../src/index.js';
import { Table, makeVector, vectorFromArray } from 'apache-arrow';

const schema = { unit: 'id', time: 't' };

describe('PanelFrame storage', () => {
  it('hands out a numeric column without copying when built from a Float64Array, NaN kept as NA', () => {
    const x = Float64Array.from([1, NaN, 3]);
    const f = PanelFrame.fromColumns({ id: [1, 2, 3], t: [1, 1, 1], x }, schema);
    expect(f.numeric('x')).toBe(x);
    expect(f.table.getChild('x')!.nullCount).toBe(1);
  });

  it('copies (documented) for multi-chunk columns and keeps values', () => {
    const t = new Table({ id: vectorFromArray([1, 2]), t: vectorFromArray([1, 1]) });
    const two = t.concat(t);
    const f = PanelFrame.fromTable(two, schema);
    expect(Array.from(f.numeric('id'))).toEqual([1, 2, 1, 2]);
    expect(f.numeric('id')).not.toBe(f.numeric('id'));
  });

  it('returns dictionary indices as fixed-effect codes with -1 for missing', () => {
    const v = categoricalVector(Int32Array.from([1, -1, 0]), ['x', 'y']);
    const f = PanelFrame.fromTable(new Table({ id: v, t: makeVector(Float64Array.from([1, 1, 1])) }), schema);
    expect(f.codes('id')).toEqual({ codes: Int32Array.from([1, -1, 0]), levels: ['x', 'y'] });
    expect(f.values('id')).toEqual(['y', null, 'x']);
  });

  it('takeRows keeps NA and drops categorical levels no kept row uses', () => {
    const f = PanelFrame.fromColumns({ id: ['a', 'b', null], t: [1, 2, NaN] }, schema);
    const g = f.takeRows([2, 0]);
    expect(g.values('id')).toEqual([null, 'a']);
    expect(Array.from(g.numeric('t'))).toEqual([NaN, 1]);
    expect(g.codes('id')).toEqual({ codes: Int32Array.from([-1, 0]), levels: ['a'] }); // 'b' no longer used
  });
});

describe('factorizeNumbers', () => {
  it('gives ascending levels and -1 for NaN on both the integer fast path and the general path', () => {
    expect(factorizeNumbers(Float64Array.from([2003, 2001, NaN, 2003]))).toEqual({ codes: Int32Array.from([1, 0, -1, 1]), levels: ['2001', '2003'] });
    expect(factorizeNumbers(Float64Array.from([0.5, -1, 0.5]))).toEqual({ codes: Int32Array.from([1, 0, 1]), levels: ['0.5', '-1'].reverse() });
    expect(factorizeNumbers(Float64Array.from([1e12, 1, 1e12]))).toEqual({ codes: Int32Array.from([1, 0, 1]), levels: ['1', '1000000000000'] });
    expect(factorizeNumbers(Float64Array.from([NaN]))).toEqual({ codes: Int32Array.from([-1]), levels: [] });
  });

  it('sends -0, infinities and negative integers to the right path with the same codes as the general one', () => {
    expect(factorizeNumbers(Float64Array.from([-0, 1, -0]))).toEqual({ codes: Int32Array.from([0, 1, 0]), levels: ['0', '1'] });
    expect(factorizeNumbers(Float64Array.from([Infinity, 1, -Infinity]))).toEqual({ codes: Int32Array.from([2, 1, 0]), levels: ['-Infinity', '1', 'Infinity'] });
    expect(factorizeNumbers(Float64Array.from([-3, NaN, 5, -3]))).toEqual({ codes: Int32Array.from([0, -1, 1, 0]), levels: ['-3', '5'] });
  });
});

describe('panelIndex row order', () => {
  it('sorts rows by unit, then time, stably; rows already in that order keep it', () => {
    const shuffled = PanelFrame.fromColumns({ id: [2, 1, 2, 1, 1], t: [2001, 2001, 2000, 2000, 2000] }, schema);
    expect(Array.from(panelIndex(shuffled).order)).toEqual([3, 4, 1, 2, 0]); // the tie (rows 3, 4) kept in file order
    expect(Array.from(panelIndex(shuffled).unitStart)).toEqual([0, 3, 5]);
    const sorted = PanelFrame.fromColumns({ id: ['b', 'b', 'a', 'a'], t: [1, 3, 2, 2] }, schema); // codes by first appearance: b = 0
    expect(Array.from(panelIndex(sorted).order)).toEqual([0, 1, 2, 3]);
    const lastOut = PanelFrame.fromColumns({ id: [1, 1, 2, 2], t: [1, 2, 2, 1] }, schema);
    expect(Array.from(panelIndex(lastOut).order)).toEqual([0, 1, 3, 2]);
  });
});
