// The reduced FE solvers (largest FE eliminated; the rest factored or solved by CG) against plain
// alternating projections and an exact dense least-squares solve, on random designs with
// singletons, disconnected components, weights, nested FE and 2 to 4 dimensions.
import { describe, expect, it } from 'vitest';
import { createRng } from '@panel-lab/compute';
import { choleskyPivoted, choleskySolveInPlace, demean, feols, prepareFixedEffects } from '../src/index.js';
import { ReducedSystem } from '../src/demean-reduced.js';
import { syntheticPanel } from './helpers.js';

interface Design {
  fe: Int32Array[];
  columns: Float64Array[];
  weights?: Float64Array;
}

/**
 * n rows, FE dimensions of the given sizes drawn at random, then: a few singleton levels, and the
 * rows split into two blocks whose FE levels never meet (two connected components).
 */
function randomDesign(seed: number, n: number, sizes: number[], weighted: boolean): Design {
  const rng = createRng(seed);
  const half = n >> 1;
  const fe = sizes.map((g) => {
    const codes = new Int32Array(n);
    const gh = Math.max(1, g >> 1);
    for (let i = 0; i < n; i++) codes[i] = i < half ? rng.int(0, gh - 1) : gh + rng.int(0, g - gh - 1);
    return codes;
  });
  // singletons: a few rows get their own fresh level in the first FE
  const first = fe[0]!;
  let next = sizes[0]!;
  for (let s = 0; s < 3; s++) first[rng.int(0, n - 1)] = next++;
  const compact = fe.map(recode);
  const columns = [0, 1, 2].map(() => Float64Array.from({ length: n }, (_, i) => rng.normal() + 0.3 * compact[0]![i]! + (i % 7)));
  return { fe: compact, columns, ...(weighted ? { weights: Float64Array.from({ length: n }, () => 0.5 + rng.uniform()) } : {}) };
}

/** Codes 0..G-1 in order of first appearance (levels with no rows removed). */
function recode(codes: Int32Array): Int32Array {
  const map = new Map<number, number>();
  return Int32Array.from(codes, (c) => {
    let v = map.get(c);
    if (v === undefined) map.set(c, (v = map.size));
    return v;
  });
}

/** y minus its weighted least-squares fit on all FE dummies (dense normal equations, collinear dummies dropped). */
function exactResidual(d: Design, y: Float64Array): Float64Array {
  const sizes = d.fe.map((c) => Math.max(...c) + 1);
  const offsets = sizes.map((_, q) => sizes.slice(0, q).reduce((a, b) => a + b, 0));
  const p = sizes.reduce((a, b) => a + b, 0);
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const w = d.weights ? d.weights[i]! : 1;
    const cols = d.fe.map((c, q) => offsets[q]! + c[i]!);
    for (const a of cols) {
      xty[a]! += w * y[i]!;
      for (const b of cols) xtx[a * p + b]! += w;
    }
  }
  const ch = choleskyPivoted(xtx, p, 1e-12);
  const rhs = Float64Array.from(ch.kept, (j) => xty[j]!);
  choleskySolveInPlace(ch.factor, ch.kept.length, rhs);
  const coef = new Float64Array(p);
  ch.kept.forEach((j, r) => (coef[j] = rhs[r]!));
  return Float64Array.from(y, (v, i) => v - d.fe.reduce((s, c, q) => s + coef[offsets[q]! + c[i]!]!, 0));
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const scaleOf = (y: Float64Array) => Math.max(1, ...Array.from(y, Math.abs));

describe('reduced solvers = plain alternating projections = exact least squares', () => {
  // [sizes, rows]: small remaining FE take the factored path, large ones CG
  const shapes: [number[], number, 'two-way-direct' | 'reduced-direct' | 'reduced-cg'][] = [
    [[60, 12], 300, 'two-way-direct'],
    [[80, 15, 9], 400, 'reduced-direct'],
    [[90, 70, 60], 400, 'reduced-cg'],
    [[50, 40, 30, 8], 400, 'reduced-direct'],
    [[120, 100, 90, 8], 500, 'reduced-cg'],
    [[700, 450], 1600, 'reduced-cg'],
  ];
  let seed = 100;
  for (const [sizes, n, expected] of shapes) {
    for (const weighted of [false, true]) {
      it(`${sizes.length} FE (${sizes.join(' x ')}) on ${n} rows${weighted ? ', weighted' : ''}: ${expected}`, () => {
        const d = randomDesign(seed++, n, sizes, weighted);
        const opts = { columns: d.columns, fe: d.fe, ...(d.weights ? { weights: d.weights } : {}) };
        const fast = demean({ ...opts, tol: 1e-12 });
        expect(fast.method).toBe(expected);
        expect(fast.converged).toBe(true);
        // plain projections crawl on these sparse random graphs: used where the dense solve is too big, and on the smaller designs
        const small = sizes.reduce((a, b) => a + b, 0) <= 400;
        const plain = !small || sizes[1]! <= 15 ? demean({ ...opts, method: 'iterative', tol: 1e-14, maxIter: 200_000 }) : null;
        if (plain) {
          expect(plain.method).toBe('alternating-projections');
          expect(plain.converged).toBe(true);
        }
        d.columns.forEach((y, j) => {
          const scale = scaleOf(y);
          if (small) expect(maxAbsDiff(fast.columns[j]!, exactResidual(d, y)) / scale).toBeLessThan(1e-10);
          if (plain) expect(maxAbsDiff(fast.columns[j]!, plain.columns[j]!) / scale).toBeLessThan(1e-10);
        });
      });
    }
  }

  it('a weakly connected chain: factored in its natural order (narrow envelope), CG with shuffled labels; both within 1e-9 of exact', () => {
    // level l of b meets levels l and l+1 of a only: the slow case for alternating projections
    const G = 450;
    const rows: [number, number][] = [];
    for (let l = 0; l < G; l++) rows.push([l, l], [l + 1, l], [l, l]);
    const rng = createRng(7);
    const y = Float64Array.from(rows, () => rng.normal());
    const shuffle = Array.from({ length: G }, (_, l) => l);
    for (let l = G - 1; l > 0; l--) {
      const j = rng.int(0, l);
      [shuffle[l], shuffle[j]] = [shuffle[j]!, shuffle[l]!];
    }
    for (const [labels, method] of [[(l: number) => l, 'reduced-direct'], [(l: number) => shuffle[l]!, 'reduced-cg']] as const) {
      const a = Int32Array.from(rows, (r) => r[0]);
      const b = Int32Array.from(rows, (r) => labels(r[1]));
      const d: Design = { fe: [a, b], columns: [y] };
      const out = demean({ columns: [y], fe: [a, b] });
      expect(out.method).toBe(method);
      expect(out.converged).toBe(true);
      expect(maxAbsDiff(out.columns[0]!, exactResidual(d, y)) / scaleOf(y)).toBeLessThan(1e-9);
    }
  });
});

describe('nested FE are dropped before solving', () => {
  it('id + t + region^t = id + region^t = plain projections on all three', () => {
    const rng = createRng(31);
    const units = 120;
    const periods = 6;
    const id: number[] = [];
    const t: number[] = [];
    const rt: number[] = [];
    for (let i = 0; i < units; i++) {
      const region = i % 5;
      for (let s = 0; s < periods; s++) {
        if (rng.uniform() < 0.15) continue;
        id.push(i);
        t.push(s);
        rt.push(region * periods + s);
      }
    }
    const fe3 = [recode(Int32Array.from(id)), recode(Int32Array.from(t)), recode(Int32Array.from(rt))];
    const y = Float64Array.from(id, () => rng.normal());
    const all = demean({ columns: [y], fe: fe3 });
    const two = demean({ columns: [y], fe: [fe3[0]!, fe3[2]!] });
    const plain = demean({ columns: [y], fe: fe3, method: 'iterative', tol: 1e-15, maxIter: 100_000 });
    expect(maxAbsDiff(all.columns[0]!, two.columns[0]!)).toBeLessThan(1e-12);
    expect(maxAbsDiff(all.columns[0]!, plain.columns[0]!)).toBeLessThan(1e-10);
  });

  it('feols with region^t nested FE matches the plain path to 1e-10 (coefficients)', () => {
    const data = syntheticPanel({ units: 80, periods: 7, dropShare: 0.2, seed: 21 });
    const a = feols('y ~ x1 + x2 | id + t + firm^t', data);
    const b = feols('y ~ x1 + x2 | id + t + firm^t', data, { demeanMethod: 'iterative', tol: 1e-14, maxIter: 100_000 });
    a.coefficients.forEach((c, j) => expect(Math.abs(c - b.coefficients[j]!) / Math.abs(b.coefficients[j]!)).toBeLessThan(1e-10));
  });
});

describe('convergence is reported, never silent', () => {
  it('CG stopped by maxIter says so, with the iterations and the residual reached', () => {
    const d = randomDesign(5, 400, [90, 70, 60], false);
    const out = demean({ columns: d.columns, fe: d.fe, maxIter: 2 });
    expect(out.method).toBe('reduced-cg');
    expect(out.converged).toBe(false);
    expect(out.iterations).toBe(2);
    expect(out.residual).toBeGreaterThan(1e-10);
  });

  it('feols throws on it unless allowNonConvergence', () => {
    const data = syntheticPanel({ units: 300, periods: 6, dropShare: 0.1, seed: 9, firms: 250 });
    expect(() => feols('y ~ x1 | id + t + firm', data, { maxIter: 1 })).toThrow(/demeaning \(reduced-cg\) did not converge in 1 iterations \(maxIter 1, tol 1e-10, relative residual reached/);
    const res = feols('y ~ x1 | id + t + firm', data, { maxIter: 1, allowNonConvergence: true });
    expect(res.meta.converged).toBe(false);
  });
});

describe('ReducedSystem', () => {
  it('eliminates the largest FE and reuses its factor across calls on one structure', () => {
    const d = randomDesign(9, 300, [12, 60], false);
    const st = prepareFixedEffects(d.fe);
    const sys = new ReducedSystem(d.fe, st);
    expect(sys.dims).toEqual([0]); // the second (60 levels) is eliminated
    expect(sys.m).toBe(st.sizes[0]);
    expect(sys.factor()).toBe(sys.factor());
    const a = demean({ columns: d.columns, fe: d.fe, structure: st });
    const b = demean({ columns: d.columns, fe: d.fe, structure: st });
    expect(maxAbsDiff(a.columns[0]!, b.columns[0]!)).toBe(0);
  });
});

describe('column blocks', () => {
  it('more columns than one block (8), weighted and not: every column equals its own one-column demeaning', () => {
    for (const weighted of [false, true]) {
      const d = randomDesign(77, 500, [120, 100, 90, 8], weighted);
      const rng = createRng(78);
      const columns = Array.from({ length: 11 }, (_, j) => Float64Array.from({ length: 500 }, (_, i) => rng.normal() + (j % 3) * (i % 5)));
      const opts = { fe: d.fe, ...(d.weights ? { weights: d.weights } : {}), tol: 1e-13 };
      const all = demean({ ...opts, columns });
      expect(all.method).toBe('reduced-cg');
      columns.forEach((y, j) => {
        const one = demean({ ...opts, columns: [y] });
        expect(maxAbsDiff(all.columns[j]!, one.columns[0]!) / scaleOf(y)).toBeLessThan(1e-10);
        expect(maxAbsDiff(all.columns[j]!, exactResidual({ ...d, columns }, y)) / scaleOf(y)).toBeLessThan(1e-9);
      });
    }
  });
});

describe('rows already grouped by the eliminated FE', () => {
  it('take the one-pass path and give the same columns as the same rows shuffled (factored and CG designs, weighted and not)', () => {
    for (const [sizes, method] of [[[120, 100, 90], 'reduced-cg'], [[80, 15, 9], 'reduced-direct']] as const) {
      for (const weighted of [false, true]) {
        const d = randomDesign(91, 600, [...sizes], weighted);
        const a = d.fe[0]!; // the largest FE: the one eliminated
        const order = Array.from(a.keys()).sort((i, j) => a[i]! - a[j]! || i - j);
        const pick = <T extends Float64Array | Int32Array>(v: T) => v.map((_, p) => v[order[p]!]!) as T;
        const sorted = { fe: d.fe.map(pick), columns: d.columns.map(pick), ...(d.weights ? { weights: pick(d.weights) } : {}) };
        const opts = (x: Design) => ({ fe: x.fe, columns: x.columns, ...(x.weights ? { weights: x.weights } : {}), tol: 1e-13 });
        const base = demean(opts(d));
        const grouped = demean(opts(sorted));
        expect(grouped.method).toBe(method);
        d.columns.forEach((y, j) => expect(maxAbsDiff(grouped.columns[j]!, pick(base.columns[j]!)) / scaleOf(y)).toBeLessThan(1e-10));
      }
    }
  });
});
