// Equivalences that need no reference: absorbed FE = explicit dummies, fast paths = general
// path, unit weights = no weights.
import { describe, expect, it } from 'vitest';
import { maxRelDiff, tolerance } from '@panel-lab/testing';
import { demean, feols, prepareFixedEffects, withVcov, type FeolsResult } from '../src/index.js';
import { syntheticPanel } from './helpers.js';

const COEF = tolerance('coef', 64);
const SE = tolerance('se', 64);

function pick(res: FeolsResult, terms: string[]) {
  return {
    coef: terms.map((t) => res.coefficients[res.coefNames.indexOf(t)]!),
    se: terms.map((t) => res.se[res.coefNames.indexOf(t)]!),
  };
}

describe('absorbed fixed effects equal explicit dummies', () => {
  const data = syntheticPanel({ units: 60, periods: 8, dropShare: 0.15, seed: 11 });
  const cases: [string, string, string][] = [
    ['one FE', 'y ~ x1 + x2 | id', 'y ~ x1 + x2 + i(id, ref = 0)'],
    ['two FE (unbalanced)', 'y ~ x1 + x2 | id + t', 'y ~ x1 + x2 + i(id, ref = 0) + i(t, ref = 0)'],
    ['three FE', 'y ~ x1 + x2 | id + t + firm', 'y ~ x1 + x2 + i(id, ref = 0) + i(t, ref = 0) + i(firm, ref = 0)'],
  ];
  for (const weights of [undefined, 'w'] as const) {
    for (const [label, absorbed, dummies] of cases) {
      it(`${label}${weights ? ', weighted' : ''}: coefficients and iid/hetero/cluster SEs agree`, () => {
        const opts = weights ? { weights } : {};
        const a = feols(absorbed, data, opts);
        const d = feols(dummies, data, opts);
        const pa = pick(a, ['x1', 'x2']);
        const pd = pick(d, ['x1', 'x2']);
        expect(maxRelDiff(pa.coef, pd.coef)).toBeLessThan(COEF);
        expect(maxRelDiff(pa.se, pd.se)).toBeLessThan(SE);
        expect(a.dof.nparams).toBe(d.dof.nparams);
        expect(Math.abs(a.r2 - d.r2)).toBeLessThan(1e-10);
        for (const v of ['hetero', { cluster: 'id' }] as const) {
          const sa = pick(withVcov(a, v, { kFixef: 'full' }, { data }), ['x1', 'x2']).se;
          const sd = pick(withVcov(d, v, { kFixef: 'full' }, { data }), ['x1', 'x2']).se;
          expect(maxRelDiff(sa, sd)).toBeLessThan(SE);
        }
      });
    }
  }
});

describe('fast paths equal the general alternating-projections path', () => {
  it('balanced two-way closed form = iterative demeaning', () => {
    const data = syntheticPanel({ units: 40, periods: 6, seed: 3 });
    const fe = [data.codes('id').codes, data.codes('t').codes];
    const cols = [data.numeric('y'), data.numeric('x1')];
    const fast = demean({ columns: cols, fe });
    const slow = demean({ columns: cols, fe, method: 'iterative', tol: 1e-13 });
    expect(fast.method).toBe('balanced-two-way');
    expect(slow.method).toBe('alternating-projections');
    expect(slow.converged).toBe(true);
    for (let j = 0; j < cols.length; j++) {
      let worst = 0;
      for (let i = 0; i < cols[0]!.length; i++) worst = Math.max(worst, Math.abs(fast.columns[j]![i]! - slow.columns[j]![i]!));
      expect(worst).toBeLessThan(1e-9);
    }
  });

  it('balanced closed form streams rows grouped by unit and gives the same on shuffled rows', () => {
    const data = syntheticPanel({ units: 30, periods: 5, seed: 13 });
    const id = data.codes('id').codes;
    const t = data.codes('t').codes;
    const y = data.numeric('y');
    const sorted = prepareFixedEffects([id, t], undefined, [30, 5]);
    expect(sorted.balancedTwoWay).toBe(true);
    expect(sorted.sortedByFirst).toBe(true);
    const fast = demean({ columns: [y], fe: [id, t], structure: sorted });
    const slow = demean({ columns: [y], fe: [id, t], method: 'iterative', tol: 1e-14 });
    expect(maxRelDiff(fast.columns[0]!, slow.columns[0]!, 1e-3)).toBeLessThan(1e-9);
    const order = Array.from({ length: 150 }, (_, i) => (i * 7) % 150); // a permutation (7 and 150 coprime)
    expect(new Set(order).size).toBe(150);
    const fe2 = [Int32Array.from(order, (i) => id[i]!), Int32Array.from(order, (i) => t[i]!)];
    const st2 = prepareFixedEffects(fe2, undefined, [30, 5]);
    expect(st2.sortedByFirst).toBe(false);
    const shuffled = demean({ columns: [Float64Array.from(order, (i) => y[i]!)], fe: fe2, structure: st2 });
    expect(shuffled.method).toBe('balanced-two-way');
    order.forEach((i, k) => expect(shuffled.columns[0]![k]!).toBeCloseTo(fast.columns[0]![i]!, 12));
  });

  it('one-way exact means = iterative demeaning', () => {
    const data = syntheticPanel({ units: 30, periods: 5, dropShare: 0.2, seed: 4 });
    const fe = [data.codes('id').codes];
    const cols = [data.numeric('y')];
    const w = data.numeric('w');
    const fast = demean({ columns: cols, fe, weights: w });
    const slow = demean({ columns: cols, fe, weights: w, method: 'iterative' });
    expect(fast.method).toBe('one-way');
    expect(maxRelDiff(fast.columns[0]!, slow.columns[0]!, 1e-6)).toBeLessThan(1e-8);
  });

  it('demeaned columns are orthogonal to every FE (two-way unbalanced, weighted, three-way; auto and iterative)', () => {
    const data = syntheticPanel({ units: 80, periods: 10, dropShare: 0.3, seed: 5 });
    const id = data.codes('id').codes;
    const t = data.codes('t').codes;
    const firm = data.codes('firm').codes;
    const w = data.numeric('w');
    for (const method of ['auto', 'iterative'] as const) {
      for (const [fe, weights] of [[[id, t], undefined], [[id, t], w], [[id, t, firm], w]] as const) {
        const out = demean({ columns: [data.numeric('y')], fe, method, ...(weights ? { weights } : {}) });
        expect(out.converged).toBe(true);
        if (method === 'iterative') expect(out.iterations).toBeGreaterThan(0);
        for (const codes of fe) {
          const sums = new Map<number, number>();
          codes.forEach((c, i) => sums.set(c, (sums.get(c) ?? 0) + (weights ? weights[i]! : 1) * out.columns[0]![i]!));
          for (const s of sums.values()) expect(Math.abs(s)).toBeLessThan(1e-7);
        }
      }
    }
  });

  it('unbalanced two-way direct solve = alternating projections (weighted and not)', () => {
    const data = syntheticPanel({ units: 120, periods: 9, dropShare: 0.25, seed: 6 });
    const fe = [data.codes('id').codes, data.codes('t').codes];
    for (const weights of [undefined, data.numeric('w')]) {
      const cols = [data.numeric('y'), data.numeric('x2')];
      const opts = { columns: cols, fe, ...(weights ? { weights } : {}) };
      const fast = demean(opts);
      const slow = demean({ ...opts, method: 'iterative', tol: 1e-13 });
      expect(fast.method).toBe('two-way-direct');
      expect(slow.method).toBe('alternating-projections');
      for (let j = 0; j < cols.length; j++) {
        let worst = 0;
        for (let i = 0; i < cols[0]!.length; i++) worst = Math.max(worst, Math.abs(fast.columns[j]![i]! - slow.columns[j]![i]!));
        expect(worst).toBeLessThan(1e-9);
      }
    }
  });

  it('direct solve gives the same answer on rows in any order (grouped or not)', () => {
    const data = syntheticPanel({ units: 90, periods: 7, dropShare: 0.2, seed: 16 });
    const n = data.nrows;
    const order = Array.from({ length: n }, (_, i) => (i * 7919) % n); // a permutation (n prime to 7919)
    expect(new Set(order).size).toBe(n);
    const id = data.codes('id').codes;
    const t = data.codes('t').codes;
    const y = data.numeric('y');
    const w = data.numeric('w');
    for (const weights of [undefined, w]) {
      const grouped = demean({ columns: [y], fe: [id, t], ...(weights ? { weights } : {}) });
      const shuffled = demean({
        columns: [Float64Array.from(order, (i) => y[i]!)],
        fe: [Int32Array.from(order, (i) => id[i]!), Int32Array.from(order, (i) => t[i]!)],
        ...(weights ? { weights: Float64Array.from(order, (i) => weights[i]!) } : {}),
      });
      expect(shuffled.method).toBe('two-way-direct');
      const back = Float64Array.from(grouped.columns[0]!);
      const got = new Float64Array(n);
      order.forEach((i, k) => (got[i] = shuffled.columns[0]![k]!));
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(back[i]! - got[i]!));
      expect(worst).toBeLessThan(1e-10);
    }
  });

  it('direct solve handles a disconnected FE graph like alternating projections', () => {
    // two blocks of units observed in disjoint periods: two connected components
    const id = Int32Array.from({ length: 40 }, (_, i) => Math.floor(i / 4));
    const t = Int32Array.from({ length: 40 }, (_, i) => (i < 20 ? i % 4 : 4 + (i % 4)));
    const y = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i) + (i % 3));
    const drop = [1, 6, 23, 30];
    const keep = Array.from({ length: 40 }, (_, i) => i).filter((i) => !drop.includes(i));
    const sub = <T extends Int32Array | Float64Array>(a: T): T => a.filter((_, i) => keep.includes(i)) as T;
    const fe = [sub(id), sub(t)];
    const fast = demean({ columns: [sub(y)], fe });
    const slow = demean({ columns: [sub(y)], fe, method: 'iterative', tol: 1e-14 });
    expect(fast.method).toBe('two-way-direct');
    expect(maxRelDiff(fast.columns[0]!, slow.columns[0]!, 1e-3)).toBeLessThan(1e-8);
  });
});

describe('weights of one equal no weights', () => {
  it('coefficients, every SE and R2 agree', () => {
    const data = syntheticPanel({ units: 50, periods: 7, dropShare: 0.1, seed: 8 });
    const ones = new Float64Array(data.nrows).fill(1);
    for (const vcov of ['iid', 'hetero', { cluster: 'id' }, { cluster: ['id', 't'] }] as const) {
      const a = feols('y ~ x1 + x2 | id + t', data, { vcov });
      const b = feols('y ~ x1 + x2 | id + t', data, { vcov, weights: ones });
      expect(maxRelDiff(a.coefficients, b.coefficients)).toBeLessThan(COEF);
      expect(maxRelDiff(a.se, b.se)).toBeLessThan(SE);
      expect(Math.abs(a.r2 - b.r2)).toBeLessThan(1e-12);
      expect(b.weights).toBe('(vector)');
    }
  });
});
