// Equivalences that need no reference: CR2 with singleton clusters = HC2, CR2 with absorbed FE =
// CR2 with the same FE as dummies, CR3 = leave-one-cluster-out refits, DK with one unit = NW.
import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { maxRelDiff } from '@panel-lab/testing';
import { feols, withVcov } from '../src/index.js';
import { syntheticPanel } from './helpers.js';

function withRowId(frame: PanelFrame): PanelFrame {
  const cols: Record<string, Float64Array> = {};
  for (const name of frame.columnNames) cols[name] = frame.numeric(name);
  cols.row = Float64Array.from({ length: frame.nrows }, (_, i) => i);
  return PanelFrame.fromColumns(cols, { unit: 'id', time: 't' });
}

function inv3(a: number[][]): number[][] {
  const [[a0, a1, a2], [b0, b1, b2], [c0, c1, c2]] = a as [[number, number, number], [number, number, number], [number, number, number]];
  const det = a0 * (b1 * c2 - b2 * c1) - a1 * (b0 * c2 - b2 * c0) + a2 * (b0 * c1 - b1 * c0);
  return [
    [(b1 * c2 - b2 * c1) / det, (a2 * c1 - a1 * c2) / det, (a1 * b2 - a2 * b1) / det],
    [(b2 * c0 - b0 * c2) / det, (a0 * c2 - a2 * c0) / det, (a2 * b0 - a0 * b2) / det],
    [(b0 * c1 - b1 * c0) / det, (a1 * c0 - a0 * c1) / det, (a0 * b1 - a1 * b0) / det],
  ];
}

describe('CR2 / CR3 equivalences', () => {
  const data = withRowId(syntheticPanel({ units: 30, periods: 6, dropShare: 0.15, seed: 21, firms: 5 }));

  it('CR2 with every observation its own cluster is HC2', () => {
    const fit = feols('y ~ x1 + x2', data, { keepResiduals: true });
    const cr2 = withVcov(fit, { type: 'CR2', cluster: 'row' }, undefined, { data });
    const x1 = data.numeric('x1');
    const x2 = data.numeric('x2');
    const e = fit.residuals!;
    const n = e.length;
    const X = Array.from({ length: n }, (_, i) => [1, x1[i]!, x2[i]!]);
    const xtx = [0, 1, 2].map((a) => [0, 1, 2].map((b) => X.reduce((s, r) => s + r[a]! * r[b]!, 0)));
    const B = inv3(xtx);
    const meat = [0, 1, 2].map(() => [0, 0, 0]);
    for (let i = 0; i < n; i++) {
      const xi = X[i]!;
      let h = 0;
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) h += xi[a]! * B[a]![b]! * xi[b]!;
      const w = (e[i]! * e[i]!) / (1 - h);
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) meat[a]![b]! += w * xi[a]! * xi[b]!;
    }
    const hc2 = [0, 1, 2].map((a) => [0, 1, 2].map((b) => {
      let s = 0;
      for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) s += B[a]![p]! * meat[p]![q]! * B[q]![b]!;
      return s;
    }));
    expect(maxRelDiff(cr2.vcov.flat(), hc2.flat())).toBeLessThan(1e-10);
  });

  it('CR2 and its Satterthwaite df are the same with FE absorbed or as dummies (nested, non-nested, unbalanced)', () => {
    const absorbed = feols('y ~ x1 + x2 | id + t', data);
    const dummies = feols('y ~ x1 + x2 + i(t) | id', data);
    for (const cluster of ['id', 't', 'firm']) {
      const a = withVcov(absorbed, { type: 'CR2', cluster }, undefined, { data });
      const b = withVcov(dummies, { type: 'CR2', cluster }, undefined, { data });
      const va = a.vcov.map((r) => r.slice(0, 2)).slice(0, 2).flat();
      const vb = b.vcov.map((r) => r.slice(0, 2)).slice(0, 2).flat();
      expect(maxRelDiff(va, vb)).toBeLessThan(1e-9);
      expect(maxRelDiff(a.dof.coef!, b.dof.coef!.slice(0, 2))).toBeLessThan(1e-8);
    }
  });

  it('CR3 is the sum of squared leave-one-cluster-out changes (no FE, and unit FE with unit clusters)', () => {
    for (const [formula, cluster] of [['y ~ x1 + x2', 'firm'], ['y ~ x1 + x2 | id', 'id']] as const) {
      const fit = feols(formula, data);
      const cr3 = withVcov(fit, { type: 'CR3', cluster }, undefined, { data });
      const codes = data.numeric(cluster);
      const k = fit.coefficients.length;
      const jk = new Float64Array(k * k);
      for (const gval of new Set(codes)) {
        const keep = [...codes.keys()].filter((i) => codes[i] !== gval);
        const sub = feols(formula, data.takeRows(keep));
        const d = fit.coefficients.map((b, j) => b - sub.coefficients[j]!);
        for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) jk[p * k + q]! += d[p]! * d[q]!;
      }
      expect(maxRelDiff(cr3.vcov.flat(), jk)).toBeLessThan(1e-8);
    }
  });

  it('weighted CR2: FE absorbed = FE as dummies (vcov and Satterthwaite df); weighted CR3 with absorbed FE is refused', () => {
    const absorbed = withVcov(feols('y ~ x1 | id', data, { weights: 'w' }), { type: 'CR2', cluster: 'id' });
    const dummies = withVcov(feols('y ~ x1 + i(id)', data, { weights: 'w' }), { type: 'CR2', cluster: 'id' }, undefined, { data });
    const j = dummies.coefNames.indexOf('x1');
    expect(maxRelDiff([absorbed.vcov[0]![0]!], [dummies.vcov[j]![j]!])).toBeLessThan(1e-8);
    expect(maxRelDiff(absorbed.dof.coef!, [dummies.dof.coef![j]!])).toBeLessThan(1e-7);
    expect(() => withVcov(feols('y ~ x1 | id', data, { weights: 'w' }), 'CR3')).toThrow(/weighted/);
  });
});

describe('NW / DK equivalences', () => {
  it('with one unit, panel Newey-West equals Driscoll-Kraay', () => {
    const one = syntheticPanel({ units: 1, periods: 40, seed: 5 });
    const fit = feols('y ~ x1 + x2', one);
    for (const lag of [1, 3, 6]) {
      const nw = withVcov(fit, { type: 'NW', unit: 'id', time: 't', lag }, undefined, { data: one });
      const dk = withVcov(fit, { type: 'DK', time: 't', lag }, undefined, { data: one });
      expect(maxRelDiff(nw.vcov.flat(), dk.vcov.flat())).toBeLessThan(1e-12);
    }
  });
  it('NW: lags beyond T - 2 are not used (fixest), the Bartlett weights still follow the requested lag; lag 0 is refused', () => {
    const data = syntheticPanel({ units: 20, periods: 4, seed: 8 });
    const fit = feols('y ~ x1 | id + t', data);
    const a = withVcov(fit, { type: 'NW', lag: 2 });
    const b = withVcov(fit, { type: 'NW', lag: 9 });
    expect(a.se[0]).not.toBe(b.se[0]); // same lags used, different Bartlett weights 1 - l / (L + 1)
    expect(() => withVcov(fit, { type: 'NW', lag: 0 })).toThrow(/lag/);
  });
  it('NW refuses (unit, time) duplicates; DK needs a time variable', () => {
    const data = syntheticPanel({ units: 10, periods: 5, seed: 9 });
    const fit = feols('y ~ x1 | id', data);
    expect(() => withVcov(fit, 'NW')).toThrow(/time variable|unit/);
    expect(() => withVcov(fit, { type: 'NW', unit: 'firm', time: 't' }, undefined, { data })).toThrow(/duplicates/);
  });
});
