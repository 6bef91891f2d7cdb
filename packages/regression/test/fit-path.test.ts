// The fused fit path (issue 16): the design's one-pass missing-value scan with its shifted sums,
// combined a^b codes by integer key (and cached per frame), cross products without weighted copies,
// residual kernels over row blocks. Each is checked against an independent way to the same number.
import { describe, expect, it } from 'vitest';
import { type ColumnInput, PanelFrame } from '@panel-lab/panel';
import { crossProducts, feols } from '../src/index.js';
import { syntheticPanel } from './helpers.js';

/** The frame's columns plus `extra`, as a new frame. */
function withColumns(frame: PanelFrame, extra: Record<string, ColumnInput>): PanelFrame {
  const cols: Record<string, ColumnInput> = {};
  for (const name of frame.columnNames) cols[name] = Float64Array.from(frame.numeric(name));
  return PanelFrame.fromColumns({ ...cols, ...extra }, { unit: 'id', time: 't' });
}

function expectSameFit(a: ReturnType<typeof feols>, b: ReturnType<typeof feols>, tol = 1e-12): void {
  expect(a.coefNames).toEqual(b.coefNames);
  expect(a.nobs).toBe(b.nobs);
  a.coefficients.forEach((v, j) => expect(Math.abs(v - b.coefficients[j]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v))));
  a.se.forEach((v, j) => expect(Math.abs(v - b.se[j]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v))));
  expect(Math.abs(a.r2 - b.r2)).toBeLessThanOrEqual(tol);
}

describe('fit path', () => {
  const base = syntheticPanel({ units: 60, periods: 8, dropShare: 0.1, seed: 16, firms: 9 });
  const firm = Array.from(base.numeric('firm'));
  const t = Array.from(base.numeric('t'));

  it('firm^t by integer keys = a string column of the pairs', () => {
    const frame = withColumns(base, { firm_t: firm.map((f, i) => `${f}_${t[i]}`) });
    const a = feols('y ~ x1 + x2 | id + firm^t', frame, { vcov: { cluster: 'id' } });
    const b = feols('y ~ x1 + x2 | id + firm_t', frame, { vcov: { cluster: 'id' } });
    expectSameFit(a, b);
    expect(a.fixef[1]!.size).toBe(b.fixef[1]!.size);
  });

  it('a key space too large for a table (string keys) gives the same fit', () => {
    // 400 x 400 key space over ~430 rows: the map path
    const u = Array.from({ length: firm.length }, (_, i) => (i * 7919) % 400);
    const v = Array.from({ length: firm.length }, (_, i) => (i * 104729) % 400);
    const frame = withColumns(base, { u: Float64Array.from(u), v: Float64Array.from(v), uv: u.map((a, i) => `${a}_${v[i]}`) });
    expectSameFit(feols('y ~ x1 + x2 | t + u^v', frame), feols('y ~ x1 + x2 | t + uv', frame));
  });

  it('a missing part of a^b drops the row, counted under that variable', () => {
    const f2: (number | null)[] = firm.slice();
    f2[3] = null;
    f2[10] = null;
    const frame = withColumns(base, { f2 });
    const fit = feols('y ~ x1 | id + f2^t', frame);
    expect(fit.nobs).toBe(base.nrows - 2);
    expect(fit.dropped.naByVariable).toEqual({ f2: 2 });
  });

  it('refitting on the same frame (cached codes facts and combined codes) gives identical results', () => {
    const a = feols('y ~ x1 + x2 | id + firm^t', base);
    const b = feols('y ~ x1 + x2 | id + firm^t', base);
    expect(b.coefficients).toEqual(a.coefficients);
    expect(b.se).toEqual(a.se);
  });

  it('missing values: the fit equals the fit on the frame without those rows; tss and within R2 too', () => {
    const y = Array.from(base.numeric('y')) as (number | null)[];
    const x1 = Array.from(base.numeric('x1')) as (number | null)[];
    y[5] = null;
    x1[17] = null;
    const frame = withColumns(base, { y, x1 });
    const keep = y.map((v, i) => v !== null && x1[i] !== null);
    const pick = (name: string) => Float64Array.from(frame.numeric(name).filter((_, i) => keep[i]));
    const sub = PanelFrame.fromColumns(Object.fromEntries(frame.columnNames.map((n) => [n, pick(n)])), { unit: 'id', time: 't' });
    for (const opts of [{}, { weights: 'w' }] as const) {
      const a = feols('y ~ x1 + x2 | id + t', frame, opts);
      const b = feols('y ~ x1 + x2 | id + t', sub, opts);
      expectSameFit(a, b, 1e-13);
      expect(Math.abs(a.tss - b.tss)).toBeLessThanOrEqual(1e-13 * b.tss);
      expect(Math.abs(a.withinR2! - b.withinR2!)).toBeLessThanOrEqual(1e-13);
      expect(a.dropped.naByVariable).toEqual({ y: 1, x1: 1 });
    }
  });

  it('a finite column whose squares overflow is not taken for missing: the error says to rescale it', () => {
    const frame = withColumns(base, { big: Float64Array.from(base.numeric('x2'), (v) => v * 1e200) });
    // the scan's non-finite sums are an overflow, not missing values: no row dropped, and the fit
    // names the column instead of dropping it as collinear (overflow.test.ts)
    expect(() => feols('y ~ x1 + big | id', frame)).toThrow(/regressor 'big' are not finite: variable 'big' holds .*e\+200 .*rescale it/);
    expect(feols('y ~ x1 | id', frame).dropped.na).toBe(0);
  });

  it('a regressor constant within the FE is reported as absorbed, weighted or not', () => {
    const frame = withColumns(base, { idx: Float64Array.from(base.numeric('id'), (v) => v * 0.5 + 1) });
    for (const opts of [{}, { weights: 'w' }] as const) {
      const fit = feols('y ~ x1 + idx + x2 | id + t', frame, opts);
      expect(fit.coefNames).toEqual(['x1', 'x2']);
      expect(fit.collinearWith).toEqual([{ term: 'idx', with: ['fixed effects'] }]);
    }
  });

  it("weighted cross products equal the direct sums Σ w x_a x_b", () => {
    const n = 5000; // more than one row block
    const cols = [0, 1, 2].map((j) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * (j + 1) * 0.37) + j));
    const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.11));
    const w = Float64Array.from({ length: n }, (_, i) => 0.5 + ((i * 31) % 17) / 17);
    const { xtx, xty } = crossProducts(cols, y, w);
    for (let a = 0; a < 3; a++) {
      let sy = 0;
      for (let i = 0; i < n; i++) sy += w[i]! * cols[a]![i]! * y[i]!;
      expect(Math.abs(xty[a]! - sy)).toBeLessThanOrEqual(1e-12 * Math.abs(sy));
      for (let b = 0; b < 3; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += w[i]! * cols[a]![i]! * cols[b]![i]!;
        expect(Math.abs(xtx[a * 3 + b]! - s)).toBeLessThanOrEqual(1e-12 * Math.abs(s));
      }
    }
  });
});
