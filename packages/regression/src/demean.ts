/**
 * Partialling out fixed effects (the within transform), the kernel under every FE regression.
 *
 * - a FE nested in another (t inside region^t) is dropped: it adds nothing to the projection.
 * - 1 FE: exact group-mean subtraction.
 * - 2 FE, balanced (each pair once, every pair present), unweighted: closed form
 *   y - ȳ_i - ȳ_t + ȳ.
 * - 2 FE, one of them small (<= 400 levels): exact Schur-complement solve (demean-direct.ts).
 * - otherwise: the largest FE eliminated exactly, the reduced system on the others factored by its
 *   envelope when cheap, else solved by Jacobi-preconditioned CG (demean-reduced*.ts).
 * - method 'iterative': alternating projections in the space of FE coefficients (Gauss-Seidel
 *   sweeps) with Irons-Tuck acceleration, as fixest's demeaning.cpp does; the reference the fast
 *   paths are tested against. For 2 FE the state is the smaller FE's coefficient vector only.
 */

import { TwoWayDirect, directApplies } from './demean-direct.js';
import { ReducedSystem } from './demean-reduced.js';
import { nestedIn } from './nesting.js';

/** One reduced system per FE structure: its row grouping, diagonal and factor are reused by later calls. */
const reducedCache = new WeakMap<FixedEffectsStructure, { fe: readonly Int32Array[]; w: Float64Array | undefined; sys: ReducedSystem }>();

function reducedFor(st: FixedEffectsStructure, fe: readonly Int32Array[], w: Float64Array | undefined): ReducedSystem {
  const hit = reducedCache.get(st);
  if (hit && hit.w === w && hit.fe.length === fe.length && hit.fe.every((c, q) => c === fe[q])) return hit.sys;
  const sys = new ReducedSystem(fe, st, w);
  reducedCache.set(st, { fe, w, sys });
  return sys;
}

/** The two-way Schur factor per FE structure, likewise. */
const directCache = new WeakMap<FixedEffectsStructure, { fe: readonly Int32Array[]; w: Float64Array | undefined; direct: TwoWayDirect }>();

function directFor(st: FixedEffectsStructure, fe: readonly Int32Array[], w: Float64Array | undefined): TwoWayDirect {
  const hit = directCache.get(st);
  if (hit && hit.w === w && hit.fe.length === fe.length && hit.fe.every((c, q) => c === fe[q])) return hit.direct;
  const direct = new TwoWayDirect(fe, st.sizes, st.levelWeights, w);
  directCache.set(st, { fe: [...fe], w, direct });
  return direct;
}

export interface DemeanOptions {
  readonly columns: readonly Float64Array[];
  /** FE codes 0..G-1 per dimension (no -1: drop missing rows first). */
  readonly fe: readonly Int32Array[];
  readonly weights?: Float64Array;
  /** Convergence, default 1e-10: reduced paths, relative residual ‖B'Wỹ‖_D⁻¹ / ‖y - ȳ_A‖_W; 'iterative', max |Δα| / (0.1 + |α|). */
  readonly tol?: number;
  /** Cap on iterations (CG products, or accelerated sweeps for 'iterative'). Default 10 000. */
  readonly maxIter?: number;
  /** 'auto' (default) uses the closed forms where they apply; 'iterative' forces alternating projections. */
  readonly method?: 'auto' | 'iterative';
  /** Precomputed structure (from prepareFixedEffects) to reuse across calls on one sample. */
  readonly structure?: FixedEffectsStructure;
  /** Threads for the reduced solvers' data passes, the calling one included (default 1). */
  readonly threads?: number;
}

export type DemeanMethod = 'none' | 'one-way' | 'balanced-two-way' | 'two-way-direct' | 'reduced-direct' | 'reduced-cg' | 'alternating-projections';

export interface DemeanResult {
  readonly columns: Float64Array[];
  /** Largest number of accelerated iterations over the columns (0 for closed forms). */
  readonly iterations: number;
  readonly converged: boolean;
  readonly method: DemeanMethod;
  /** Reduced paths: largest relative residual of the reduced system at the end (what `tol` bounds). */
  readonly residual?: number;
}

/** FE sizes, per-level weight sums and the balance check, computed once per sample. */
export interface FixedEffectsStructure {
  readonly n: number;
  readonly sizes: readonly number[];
  /** Sum of weights (or counts) per level, per dimension. */
  readonly levelWeights: readonly Float64Array[];
  readonly balancedTwoWay: boolean;
  /** Rows are grouped by the first FE (codes non-decreasing): lets closed forms stream. */
  readonly sortedByFirst: boolean;
  readonly weighted: boolean;
}

export const DEFAULT_DEMEAN_TOL = 1e-10;
export const DEFAULT_MAX_ITER = 10_000;

/** `sizes`, when known (levels on the sample), saves a pass per FE. */
export function prepareFixedEffects(fe: readonly Int32Array[], weights?: Float64Array, sizes?: readonly number[]): FixedEffectsStructure {
  const n = fe[0]?.length ?? weights?.length ?? 0;
  if (fe.length === 2 && !weights && sizes && sizes.length === 2) {
    const fast = twoWayCounts(fe[0]!, fe[1]!, sizes[0]!, sizes[1]!);
    if (fast) return fast;
  }
  const sz: number[] = [];
  const levelWeights: Float64Array[] = [];
  fe.forEach((codes, q) => {
    if (codes.length !== n) throw new Error(`demean: fe[${q}] has ${codes.length} codes, expected ${n}`);
    let g = sizes?.[q] ?? -1;
    if (g < 0) {
      g = 0;
      for (let i = 0; i < n; i++) if (codes[i]! >= g) g = codes[i]! + 1;
    }
    const lw = new Float64Array(g);
    let bad = -1;
    if (weights) {
      for (let i = 0; i < n; i++) {
        const c = codes[i]!;
        if (c < 0 || c >= g) bad = i;
        lw[c]! += weights[i]!;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const c = codes[i]!;
        if (c < 0 || c >= g) bad = i;
        lw[c]! += 1;
      }
    }
    if (bad >= 0) throw new Error(`demean: fe[${q}] has code ${codes[bad]} at row ${bad}, outside 0..${g - 1} (drop missing rows, -1, first)`);
    for (let l = 0; l < g; l++) {
      if (!(lw[l]! > 0)) throw new Error(`demean: level ${l} of fe[${q}] has no observations (or zero total weight); recode levels to 0..G-1`);
    }
    sz.push(g);
    levelWeights.push(lw);
  });
  return Object.freeze({ n, sizes: sz, levelWeights, balancedTwoWay: !weights && fe.length === 2 && isBalanced(fe[0]!, fe[1]!, sz[0]!, sz[1]!), sortedByFirst: false, weighted: !!weights });
}

/** Counts of both FE and the balance check in one pass (unweighted two-way with known sizes). */
function twoWayCounts(a: Int32Array, b: Int32Array, ga: number, gb: number): FixedEffectsStructure | null {
  const n = a.length;
  if (b.length !== n) return null;
  const ca = new Float64Array(ga);
  const cb = new Float64Array(gb);
  const check = n === ga * gb;
  const seen = new Uint8Array(check ? n : 0);
  let duplicate = false;
  let bad = false;
  let sorted = true;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < prev) sorted = false;
    prev = x;
    if (x < 0 || x >= ga || y < 0 || y >= gb) {
      bad = true;
      break;
    }
    ca[x]! += 1;
    cb[y]! += 1;
    if (check) {
      const cell = x * gb + y;
      if (seen[cell]) duplicate = true;
      seen[cell] = 1;
    }
  }
  if (bad) return null; // the general path reports the bad code
  for (let l = 0; l < ga; l++) if (ca[l] === 0) return null;
  for (let l = 0; l < gb; l++) if (cb[l] === 0) return null;
  return Object.freeze({ n, sizes: [ga, gb], levelWeights: [ca, cb], balancedTwoWay: check && !duplicate, sortedByFirst: sorted, weighted: false });
}

/** True when every (a, b) pair occurs exactly once and n = Ga x Gb. */
function isBalanced(a: Int32Array, b: Int32Array, ga: number, gb: number): boolean {
  const n = a.length;
  if (n !== ga * gb) return false;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const cell = a[i]! * gb + b[i]!;
    if (seen[cell]) return false;
    seen[cell] = 1;
  }
  return true;
}

export function demean(opts: DemeanOptions): DemeanResult {
  const { columns, fe, weights } = opts;
  const tol = opts.tol ?? DEFAULT_DEMEAN_TOL;
  const maxIter = opts.maxIter ?? DEFAULT_MAX_ITER;
  const n = columns[0]?.length ?? fe[0]?.length ?? 0;
  columns.forEach((c, j) => {
    if (c.length !== n) throw new Error(`demean: column ${j} has ${c.length} rows, expected ${n}`);
  });
  if (weights && weights.length !== n) throw new Error(`demean: weights have ${weights.length} rows, expected ${n}`);
  if (fe.length === 0) return { columns: columns.map((c) => Float64Array.from(c)), iterations: 0, converged: true, method: 'none' };
  const auto = (opts.method ?? 'auto') === 'auto';
  if (auto && fe.length >= 2) {
    // a FE nested in another (t inside region^t) adds nothing to the projection: drop it first
    const st0 = opts.structure ?? prepareFixedEffects(fe, weights);
    const { sub } = nonRedundant(fe, st0, weights);
    if (sub) return demean({ ...opts, fe: sub.fe, structure: sub.st });
    return demeanWith(opts, st0, auto, tol, maxIter, n);
  }
  return demeanWith(opts, opts.structure ?? prepareFixedEffects(fe, weights), auto, tol, maxIter, n);
}

/** The FE to keep (q is dropped when every level of another kept FE lies inside one level of q) and, when some are dropped, their structure. */
function nonRedundant(fe: readonly Int32Array[], st: FixedEffectsStructure, weights: Float64Array | undefined): Redundancy {
  const cached = redundancyCache.get(st);
  if (cached && cached.w === weights && cached.fe.length === fe.length && cached.fe.every((c, q) => c === fe[q])) return cached;
  const dropped = new Set<number>();
  for (let q = 0; q < fe.length; q++) {
    for (let r = 0; r < fe.length; r++) {
      if (r === q || dropped.has(r) || st.sizes[q]! > st.sizes[r]!) continue;
      // equal sizes and nested both ways: the same partition, keep the first
      if (st.sizes[q] === st.sizes[r] && r > q && nestedIn(fe[q]!, st.sizes[q]!, fe[r]!)) continue;
      if (nestedIn(fe[r]!, st.sizes[r]!, fe[q]!)) {
        dropped.add(q);
        break;
      }
    }
  }
  const keep = fe.map((_, q) => q).filter((q) => !dropped.has(q));
  // the kept FE's structure is kept too, so that the solvers cached on it serve later calls
  const subFe = keep.map((q) => fe[q]!);
  const sub = keep.length < fe.length ? { fe: subFe, st: prepareFixedEffects(subFe, weights, keep.map((q) => st.sizes[q]!)) } : null;
  const out = { fe: [...fe], w: weights, keep, sub };
  redundancyCache.set(st, out);
  return out;
}
interface Redundancy {
  readonly fe: readonly Int32Array[];
  readonly w: Float64Array | undefined;
  readonly keep: number[];
  readonly sub: { readonly fe: Int32Array[]; readonly st: FixedEffectsStructure } | null;
}
const redundancyCache = new WeakMap<FixedEffectsStructure, Redundancy>();

function demeanWith(opts: DemeanOptions, st: FixedEffectsStructure, auto: boolean, tol: number, maxIter: number, n: number): DemeanResult {
  const { columns, fe, weights } = opts;
  if (fe.length === 1 && auto) {
    const sums = new Float64Array(st.sizes[0]!);
    return { columns: columns.map((c) => oneWay(c, fe[0]!, st.levelWeights[0]!, sums, weights)), iterations: 0, converged: true, method: 'one-way' };
  }
  if (st.balancedTwoWay && auto) {
    return { columns: columns.map((c) => balancedTwoWay(c, fe[0]!, fe[1]!, st.sizes[0]!, st.sizes[1]!, st.sortedByFirst)), iterations: 0, converged: true, method: 'balanced-two-way' };
  }
  if (auto && directApplies(n, st.sizes)) {
    const direct = directFor(st, fe, weights);
    return { columns: columns.map((c) => direct.run(c)), iterations: 0, converged: true, method: 'two-way-direct' };
  }
  if (auto) {
    const reduced = reducedFor(st, fe, weights);
    const r = reduced.run(columns, tol, maxIter, opts.threads ?? 1);
    return { columns: r.columns, iterations: r.iterations, converged: r.converged, method: r.direct ? 'reduced-direct' : 'reduced-cg', residual: r.residual };
  }
  const solver = fe.length === 2 ? new TwoWaySolver(fe, st, weights) : new MultiWaySolver(fe, st, weights);
  let iterations = 0;
  let converged = true;
  const out = columns.map((c) => {
    const r = solver.run(c, tol, maxIter);
    iterations = Math.max(iterations, r.iterations);
    converged &&= r.converged;
    return r.column;
  });
  return { columns: out, iterations, converged, method: 'alternating-projections' };
}

function oneWay(y: Float64Array, codes: Int32Array, lw: Float64Array, sums: Float64Array, w?: Float64Array): Float64Array {
  sums.fill(0);
  const n = y.length;
  if (w) for (let i = 0; i < n; i++) sums[codes[i]!]! += w[i]! * y[i]!;
  else for (let i = 0; i < n; i++) sums[codes[i]!]! += y[i]!;
  for (let g = 0; g < sums.length; g++) sums[g]! /= lw[g]!;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = y[i]! - sums[codes[i]!]!;
  return out;
}

function balancedTwoWay(y: Float64Array, a: Int32Array, b: Int32Array, ga: number, gb: number, sorted: boolean): Float64Array {
  const n = y.length;
  const ma = new Float64Array(ga);
  const mb = new Float64Array(gb);
  let total = 0;
  if (sorted) {
    // balanced and grouped by a: level g of a is rows [g*gb, (g+1)*gb)
    for (let g = 0, i = 0; g < ga; g++) {
      let acc = 0;
      for (let end = i + gb; i < end; i++) {
        const yi = y[i]!;
        acc += yi;
        mb[b[i]!]! += yi;
      }
      ma[g] = acc;
      total += acc;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const yi = y[i]!;
      ma[a[i]!]! += yi;
      mb[b[i]!]! += yi;
      total += yi;
    }
  }
  const grand = total / n;
  for (let g = 0; g < ga; g++) ma[g] = ma[g]! / gb - grand; // each level of a has gb rows
  for (let g = 0; g < gb; g++) mb[g] = mb[g]! / ga;
  const out = new Float64Array(n);
  if (sorted) {
    for (let g = 0, i = 0; g < ga; g++) {
      const alpha = ma[g]!;
      for (let end = i + gb; i < end; i++) out[i] = y[i]! - alpha - mb[b[i]!]!;
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = y[i]! - ma[a[i]!]! - mb[b[i]!]!;
  }
  return out;
}

interface SolveResult {
  column: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Shared Irons-Tuck driver over a coefficient vector X with a sweep map F. */
abstract class AcceleratedSolver {
  protected abstract readonly m: number;
  protected abstract x: Float64Array;
  protected abstract gx: Float64Array;
  protected abstract ggx: Float64Array;
  /** Sets up per-column constants (level sums of y). */
  protected abstract begin(y: Float64Array): void;
  /** out = F(inp): one Gauss-Seidel sweep over all FE dimensions. */
  protected abstract sweep(inp: Float64Array, out: Float64Array): void;
  /** y minus the fitted FE implied by X. */
  protected abstract finish(y: Float64Array, x: Float64Array): Float64Array;

  run(y: Float64Array, tol: number, maxIter: number): SolveResult {
    this.begin(y);
    const { x, gx, ggx, m } = this;
    x.fill(0);
    let iter = 0;
    let converged = false;
    while (iter < maxIter) {
      iter++;
      this.sweep(x, gx);
      if (maxRelChange(x, gx, m) <= tol) {
        x.set(gx);
        converged = true;
        break;
      }
      this.sweep(gx, ggx);
      // Irons-Tuck: X <- GGX - (dGX·d2X / d2X·d2X) (GGX - GX)
      let vprod = 0;
      let ssq = 0;
      for (let j = 0; j < m; j++) {
        const dg = ggx[j]! - gx[j]!;
        const d2 = dg - gx[j]! + x[j]!;
        vprod += dg * d2;
        ssq += d2 * d2;
      }
      if (ssq === 0) {
        x.set(ggx);
        converged = true;
        break;
      }
      const coef = vprod / ssq;
      for (let j = 0; j < m; j++) x[j] = ggx[j]! - coef * (ggx[j]! - gx[j]!);
    }
    return { column: this.finish(y, x), iterations: iter, converged };
  }
}

function maxRelChange(a: Float64Array, b: Float64Array, m: number): number {
  let worst = 0;
  for (let j = 0; j < m; j++) {
    const d = Math.abs(a[j]! - b[j]!) / (0.1 + Math.abs(a[j]!));
    if (d > worst || Number.isNaN(d)) worst = d;
  }
  return worst;
}

/** Two FE: the state is the coefficient vector of the smaller dimension (b); a is solved inside the sweep. */
class TwoWaySolver extends AcceleratedSolver {
  protected readonly m: number;
  protected x: Float64Array;
  protected gx: Float64Array;
  protected ggx: Float64Array;
  readonly #a: Int32Array;
  readonly #b: Int32Array;
  readonly #wa: Float64Array;
  readonly #wb: Float64Array;
  readonly #sa: Float64Array;
  readonly #sb: Float64Array;
  readonly #alpha: Float64Array;
  readonly #w: Float64Array | undefined;

  constructor(fe: readonly Int32Array[], st: FixedEffectsStructure, w?: Float64Array) {
    super();
    const swap = st.sizes[1]! > st.sizes[0]!; // state on the smaller dimension
    const ia = swap ? 1 : 0;
    const ib = 1 - ia;
    this.#a = fe[ia]!;
    this.#b = fe[ib]!;
    this.#wa = st.levelWeights[ia]!;
    this.#wb = st.levelWeights[ib]!;
    this.m = st.sizes[ib]!;
    this.x = new Float64Array(this.m);
    this.gx = new Float64Array(this.m);
    this.ggx = new Float64Array(this.m);
    this.#sa = new Float64Array(st.sizes[ia]!);
    this.#sb = new Float64Array(this.m);
    this.#alpha = new Float64Array(st.sizes[ia]!);
    this.#w = w;
  }

  protected begin(y: Float64Array): void {
    const a = this.#a;
    const b = this.#b;
    const sa = this.#sa.fill(0);
    const sb = this.#sb.fill(0);
    const w = this.#w;
    const n = y.length;
    if (w) {
      for (let i = 0; i < n; i++) {
        const wy = w[i]! * y[i]!;
        sa[a[i]!]! += wy;
        sb[b[i]!]! += wy;
      }
    } else {
      for (let i = 0; i < n; i++) {
        sa[a[i]!]! += y[i]!;
        sb[b[i]!]! += y[i]!;
      }
    }
  }

  /** alpha = (Sa - Σ w β_b) / Wa ; β' = (Sb - Σ w α_a) / Wb. */
  protected sweep(beta: Float64Array, out: Float64Array): void {
    const a = this.#a;
    const b = this.#b;
    const alpha = this.#alpha;
    const w = this.#w;
    const n = a.length;
    alpha.fill(0);
    if (w) for (let i = 0; i < n; i++) alpha[a[i]!]! += w[i]! * beta[b[i]!]!;
    else for (let i = 0; i < n; i++) alpha[a[i]!]! += beta[b[i]!]!;
    const sa = this.#sa;
    const wa = this.#wa;
    for (let g = 0; g < alpha.length; g++) alpha[g] = (sa[g]! - alpha[g]!) / wa[g]!;
    out.fill(0);
    if (w) for (let i = 0; i < n; i++) out[b[i]!]! += w[i]! * alpha[a[i]!]!;
    else for (let i = 0; i < n; i++) out[b[i]!]! += alpha[a[i]!]!;
    const sb = this.#sb;
    const wb = this.#wb;
    for (let g = 0; g < out.length; g++) out[g] = (sb[g]! - out[g]!) / wb[g]!;
  }

  protected finish(y: Float64Array, beta: Float64Array): Float64Array {
    // alpha consistent with the final beta, then the residual
    const a = this.#a;
    const b = this.#b;
    const alpha = this.#alpha.fill(0);
    const w = this.#w;
    const n = y.length;
    if (w) for (let i = 0; i < n; i++) alpha[a[i]!]! += w[i]! * beta[b[i]!]!;
    else for (let i = 0; i < n; i++) alpha[a[i]!]! += beta[b[i]!]!;
    for (let g = 0; g < alpha.length; g++) alpha[g] = (this.#sa[g]! - alpha[g]!) / this.#wa[g]!;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = y[i]! - alpha[a[i]!]! - beta[b[i]!]!;
    return out;
  }
}

/** Q >= 3 FE: state is all coefficient vectors concatenated; a sweep updates each dimension in turn. */
class MultiWaySolver extends AcceleratedSolver {
  protected readonly m: number;
  protected x: Float64Array;
  protected gx: Float64Array;
  protected ggx: Float64Array;
  readonly #fe: readonly Int32Array[];
  readonly #st: FixedEffectsStructure;
  readonly #offsets: number[];
  readonly #sums: Float64Array;
  readonly #acc: Float64Array;
  readonly #fit: Float64Array;
  readonly #w: Float64Array | undefined;

  constructor(fe: readonly Int32Array[], st: FixedEffectsStructure, w?: Float64Array) {
    super();
    this.#fe = fe;
    this.#st = st;
    this.#offsets = [];
    let m = 0;
    for (const g of st.sizes) {
      this.#offsets.push(m);
      m += g;
    }
    this.m = m;
    this.x = new Float64Array(m);
    this.gx = new Float64Array(m);
    this.ggx = new Float64Array(m);
    this.#sums = new Float64Array(m);
    this.#acc = new Float64Array(Math.max(...st.sizes));
    this.#fit = new Float64Array(st.n);
    this.#w = w;
  }

  protected begin(y: Float64Array): void {
    const sums = this.#sums.fill(0);
    const w = this.#w;
    this.#fe.forEach((codes, q) => {
      const off = this.#offsets[q]!;
      for (let i = 0; i < y.length; i++) sums[off + codes[i]!]! += w ? w[i]! * y[i]! : y[i]!;
    });
  }

  protected sweep(inp: Float64Array, out: Float64Array): void {
    const fit = this.#fit.fill(0);
    const n = fit.length;
    const Q = this.#fe.length;
    out.set(inp);
    for (let q = 0; q < Q; q++) {
      const codes = this.#fe[q]!;
      const off = this.#offsets[q]!;
      for (let i = 0; i < n; i++) fit[i]! += out[off + codes[i]!]!;
    }
    const w = this.#w;
    for (let q = 0; q < Q; q++) {
      const codes = this.#fe[q]!;
      const off = this.#offsets[q]!;
      const g = this.#st.sizes[q]!;
      const lw = this.#st.levelWeights[q]!;
      const acc = this.#acc;
      acc.fill(0, 0, g);
      // Σ w (fit - own coefficient) per level = the other dimensions' contribution
      if (w) for (let i = 0; i < n; i++) acc[codes[i]!]! += w[i]! * (fit[i]! - out[off + codes[i]!]!);
      else for (let i = 0; i < n; i++) acc[codes[i]!]! += fit[i]! - out[off + codes[i]!]!;
      for (let l = 0; l < g; l++) {
        const next = (this.#sums[off + l]! - acc[l]!) / lw[l]!;
        acc[l] = next - out[off + l]!; // reuse acc as the change
        out[off + l] = next;
      }
      for (let i = 0; i < n; i++) fit[i]! += acc[codes[i]!]!;
    }
  }

  protected finish(y: Float64Array, x: Float64Array): Float64Array {
    const out = Float64Array.from(y);
    this.#fe.forEach((codes, q) => {
      const off = this.#offsets[q]!;
      for (let i = 0; i < out.length; i++) out[i]! -= x[off + codes[i]!]!;
    });
    return out;
  }
}
