// Finite values whose sums of squares overflow float64 (|x| > ~1.3e154, or weights times squares
// past ~1.8e308): the fit stops with an error naming the variable to rescale. Before, the
// overflowed sums (Inf, or NaN from Inf - Inf) passed the absorbed-by-FE test (Inf <= Inf) and the
// Cholesky pivot test as "collinear", and the regressor vanished from the table silently.
//
// fixest 0.14.2 on the same data (R script in the comment below; not run by the tests): a huge
// regressor gives NaN for every coefficient and SE, with or without FE or weights, and no error; a
// huge outcome is an error ("infinite or missing values in 'x'"); weights times 1e300 give the
// estimates of the unscaled weights (its weighted sums are formed differently). lm's QR gives
// finite estimates (-2.4e-162 for big). Ours: a clear error in every case.
//   d <- data.frame(id = floor((0:59)/6), t = 0:59 %% 6); d$x1 <- sin(0:59*1.3) + 0.1*d$id
//   d$big <- 1e160 * (d$x1 + cos(0:59)); d$y <- d$x1 + cos(0:59*0.7); d$ybig <- 1e160 * d$y
//   d$wbig <- 1e300 * (1 + 0:59 %% 3)
//   feols(y ~ x1 + big | id + t, d); feols(ybig ~ x1, d); feols(y ~ x1, d, weights = ~wbig)
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { feols, olsFit, type FeolsOptions } from '../src/index.js';

const n = 60;
const i = Array.from({ length: n }, (_, k) => k);
const id = Float64Array.from(i, (k) => Math.floor(k / 6));
const t = Float64Array.from(i, (k) => k % 6);
const x1 = Float64Array.from(i, (k) => Math.sin(k * 1.3) + 0.1 * id[k]!);
const y = Float64Array.from(i, (k) => x1[k]! + Math.cos(k * 0.7));
const frame = PanelFrame.fromColumns(
  {
    id,
    t,
    x1,
    y,
    big: Float64Array.from(i, (k) => 1e160 * (x1[k]! + Math.cos(k))), // squares ~1e320: Inf
    huge: Float64Array.from(x1, (v) => 1e300 * v),
    near: Float64Array.from(i, (k) => 1e150 * (x1[k]! + Math.cos(k))), // squares ~1e300: still fine
    spread: Float64Array.from(i, (k) => 1e160 * id[k]! + Math.cos(k)), // huge spread between units only
    ybig: Float64Array.from(y, (v) => 1e160 * v),
    w: Float64Array.from(i, (k) => 1 + (k % 3)),
    wbig: Float64Array.from(i, (k) => 1e300 * (1 + (k % 3))),
  },
  { unit: 'id', time: 't' },
);

const rescale = (name: string) => new RegExp(`variable '${name.replace(/[+^]/g, '\\$&')}' holds -?[0-9.]+e\\+\\d+ at row \\d+ \\(0-based\\): values this large overflow float64 sums of squares; rescale it`);

describe('sums of squares that overflow float64', () => {
  const settings: [string, string, FeolsOptions][] = [
    ['no FE', '', {}],
    ['one FE', ' | id', {}],
    ['two FE', ' | id + t', {}],
    ['two FE, weights', ' | id + t', { weights: 'w' }],
    ['no FE, weights, hetero', '', { weights: 'w', vcov: 'hetero' }],
    ['two FE, iterative demeaning', ' | id + t', { demeanMethod: 'iterative' }],
  ];
  for (const [label, fe, opts] of settings) {
    it(`${label}: a huge regressor is an error naming it, not a collinear drop`, () => {
      for (const v of ['big', 'huge']) {
        expect(() => feols(`y ~ x1 + ${v}${fe}`, frame, opts)).toThrow(new RegExp(`regressor '${v}' are not finite: ${rescale(v).source}`));
        expect(() => feols(`y ~ ${v} + x1${fe}`, frame, opts)).toThrow(rescale(v));
      }
      // an interaction made of a huge column is named by its term
      expect(() => feols(`y ~ x1 + x1:big${fe}`, frame, opts)).toThrow(rescale('x1:big'));
    });

    it(`${label}: a huge outcome is an error naming it`, () => {
      expect(() => feols(`ybig ~ x1${fe}`, frame, opts)).toThrow(new RegExp(`total sum of squares of 'ybig' is not finite: ${rescale('ybig').source}`));
    });
  }

  it('a spread that overflows only between FE levels is an error too (its within part is lost to rounding)', () => {
    expect(() => feols('y ~ x1 + spread | id', frame)).toThrow(rescale('spread'));
  });

  it('weights whose products with the squares overflow are named, not the variable', () => {
    expect(() => feols('y ~ x1', frame, { weights: 'wbig' })).toThrow(/the weights hold 3e\+300 at row 2 \(0-based\): times the squares of '[a-z0-9]+' \(up to [0-9.]+\) they overflow float64 sums; rescale the weights/);
    expect(() => feols('y ~ x1 | id + t', frame, { weights: 'wbig' })).toThrow(/the weights hold 3e\+300 .*rescale the weights/);
    // the same weights rescaled fit
    expect(feols('y ~ x1 | id + t', frame, { weights: Float64Array.from(frame.numeric('wbig'), (v) => v / 1e300) }).coefficients[0]).toBeCloseTo(feols('y ~ x1 | id + t', frame, { weights: 'w' }).coefficients[0]!, 12);
  });

  it('values just below the overflow fit, scaled as the data', () => {
    // x scaled by 1e150 (squares ~1e300): its coefficient scales by 1e-150, the others are unchanged
    const scaled = feols('y ~ x1 + near | id + t', frame, { vcov: { cluster: 'id' } });
    const base = feols('y ~ x1 + near1 | id + t', frame.withColumns({ near1: Float64Array.from(frame.numeric('near'), (v) => v / 1e150) }), { vcov: { cluster: 'id' } });
    expect(scaled.collinear).toEqual([]);
    expect(scaled.coefficients[0]).toBeCloseTo(base.coefficients[0]!, 10);
    expect(scaled.coefficients[1]! * 1e150).toBeCloseTo(base.coefficients[1]!, 10);
    expect(scaled.se[1]! * 1e150).toBeCloseTo(base.se[1]!, 10);
  });

  it('olsFit (the kernel on plain arrays) names the column instead of dropping it', () => {
    const ones = new Float64Array(n).fill(1);
    const bigCol = frame.numeric('big');
    expect(() => olsFit([ones, x1, bigCol], y)).toThrow(/olsFit: the sum of squares of column 2 is Infinity: .*rescale it/);
    expect(() => olsFit([ones, bigCol], y, { names: ['(Intercept)', 'big'] })).toThrow(/olsFit: the sum of squares of 'big' is Infinity/);
    expect(olsFit([ones, x1, frame.numeric('near')], y).dropped).toEqual([]);
  });
});
