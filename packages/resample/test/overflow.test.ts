// Finite columns whose sums of squares overflow float64 (|x| > ~1.3e154): the TWFE preparation
// (placebo) and the wild bootstrap stop with an error naming the column to rescale. Before, an
// overflowed sum (Inf <= Inf, Inf - Inf) read as "absorbed by the fixed effects" (the control was
// dropped silently) or "collinear" (a misleading error). fixest returns NaN estimates for such a
// regressor (see packages/regression/test/overflow.test.ts).
import { describe, expect, it } from 'vitest';
import { prepareTwfe, prepareWild, twfeArrays } from '../src/index.js';
import { makePanel } from './dgp.js';

const frame = makePanel({ seed: 31, units: 40, zones: 8, controls: 2 });
const scaled = (name: string, by: number) => Float64Array.from(frame.numeric(name), (v) => v * by);
const big = frame.withColumns({ xbig: scaled('x1', 1e160), ybig: scaled('y', 1e160), xnear: scaled('x1', 1e150) });

describe('sums of squares that overflow float64', () => {
  it('TWFE preparation: a huge control is named, not dropped as absorbed', () => {
    const arrays = twfeArrays(big, { outcome: 'y', cohort: 'cohort', controls: ['x2', 'xbig'] });
    expect(() => prepareTwfe(arrays)).toThrow(/controls\[1\] \(xbig\): its sum of squares overflows float64 \(largest \|value\| [0-9.]+e\+160\); rescale it/);
    expect(() => prepareTwfe(twfeArrays(big, { outcome: 'ybig', cohort: 'cohort', controls: ['x2'] }))).toThrow(/TWFE input y: its sum of squares overflows float64 .*rescale it/);
    // just below the overflow: kept, not collinear
    expect(prepareTwfe(twfeArrays(big, { outcome: 'y', cohort: 'cohort', controls: ['x2', 'xnear'] })).collinearControls).toEqual([]);
  });

  it('wild bootstrap: a huge coefficient, outcome or control is named', () => {
    const spec = { outcome: 'y', coefficient: 'treat', cluster: 'zone' } as const;
    expect(() => prepareWild(big, { ...spec, coefficient: 'xbig' })).toThrow(/option coefficient: 'xbig' has values so large \(up to [0-9.]+e\+160\) that float64 sums of squares overflow; rescale it/);
    expect(() => prepareWild(big, { ...spec, outcome: 'ybig' })).toThrow(/option outcome: 'ybig' has values so large .*rescale it/);
    expect(() => prepareWild(big, { ...spec, controls: ['x2', 'xbig'] })).toThrow(/olsFit: the sum of squares of 'xbig' is Infinity: .*rescale it/);
    expect(prepareWild(big, { ...spec, controls: ['x2', 'xnear'] }).collinearControls).toEqual([]);
  });
});
