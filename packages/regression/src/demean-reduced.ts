/**
 * Demeaning on 2+ FE by eliminating the largest FE (A) exactly and solving the reduced system on
 * the others (B = their dummies side by side, m coefficients). With W the weights and P_A the
 * within-A projection, the B coefficients β solve
 *   M β = b,   M = B'W(I - P_A)B,   b = B'W(I - P_A)y,
 * and the demeaned column is (I - P_A)(y - Bβ). M is symmetric positive semi-definite (singular
 * by one per connected component and by nesting, e.g. t inside region^t; any solution gives the
 * same residual).
 * - when forming M and factoring it by its envelope is cheap (id + region^t; the "difficult"
 *   worker-firm chain), it is done once per FE structure (demean-reduced-direct.ts); each column
 *   is then a few visits of the data; the answer is checked (B'W ỹ ≈ 0, summed while writing ỹ)
 *   and finished by CG if the check fails.
 * - otherwise: conjugate gradients on M, Jacobi-preconditioned on M's exact diagonal, whose
 *   product costs one visit of the data. CG converges in O(√κ) products where Gauss-Seidel
 *   sweeps need O(κ).
 * M x visits the rows grouped by A level (a counting sort writes each row's reduced codes side by
 * side into one index array), so a level's mean of Bx stays in registers; the right-hand side and
 * the demeaned columns are read and written in the data's own order (no gathered copies). Columns
 * go through in blocks of up to BLOCK, their m-vectors row-interleaved (l·k + j), and every pass is
 * a kernel generated for the block's k and the number of reduced FE (demean-reduced-kernels.ts),
 * so the FE codes are read once for the whole block. With threads > 1 the passes over the grouped
 * rows (M x, the level means) are shared out by ranges of A levels of about equal row counts, and
 * the scan for diag(M) runs on a helper beside the right-hand side (helper-threads.ts); the arrays
 * they read are allocated in shared memory for that. The passes in the data's order read the
 * caller's columns, which helpers cannot see, so they stay on the calling thread.
 */
import { MultiWayFactor } from './demean-reduced-direct.js';
import { reducedKernels, type ApplyKernel, type LevelMeansKernel } from './demean-reduced-kernels.js';
import { helperThreads, sharedFloat64, sharedInt32, sharedKernel, type HelperThreads } from './helper-threads.js';

export const BLOCK = 8;
/** Rows each thread gets at least: below, a helper's hand-off costs more than its share saves. */
export const MIN_ROWS_PER_THREAD = 100_000;

export interface ReducedStructure {
  readonly n: number;
  readonly sizes: readonly number[];
  readonly levelWeights: readonly Float64Array[];
}

export interface ReducedRun {
  readonly columns: Float64Array[];
  readonly iterations: number;
  readonly converged: boolean;
  /** Largest relative residual ‖r‖_D⁻¹ / ‖(I - P_A) y‖_W over the columns at the end. */
  readonly residual: number;
  readonly direct: boolean;
}

export class ReducedSystem {
  readonly n: number;
  /** The eliminated (largest) FE. */
  readonly a: Int32Array;
  readonly ga: number;
  readonly wa: Float64Array;
  /** The other FE, their offsets into the m-vector, and their level weights side by side. */
  readonly rest: readonly Int32Array[];
  readonly offsets: readonly number[];
  readonly m: number;
  readonly wb: Float64Array;
  readonly w: Float64Array | undefined;
  readonly #dims: readonly number[];
  #factor: MultiWayFactor | null | undefined = undefined;
  /** The helpers of the current run and how many threads it uses in all (1: none). */
  #helpers: HelperThreads | null = null;
  #threads = 1;

  constructor(fe: readonly Int32Array[], st: ReducedStructure, w?: Float64Array) {
    let ia = 0;
    for (let q = 1; q < fe.length; q++) if (st.sizes[q]! > st.sizes[ia]!) ia = q;
    this.n = st.n;
    this.a = fe[ia]!;
    this.ga = st.sizes[ia]!;
    this.wa = st.levelWeights[ia]!;
    // larger dimensions first: the small ones (years) couple to everything and belong at the envelope's end
    const dims = fe.map((_, q) => q).filter((q) => q !== ia).sort((p, q) => st.sizes[q]! - st.sizes[p]!);
    this.#dims = dims;
    this.rest = dims.map((q) => fe[q]!);
    const offsets: number[] = [];
    let m = 0;
    for (const q of dims) {
      offsets.push(m);
      m += st.sizes[q]!;
    }
    this.offsets = offsets;
    this.m = m;
    this.wb = new Float64Array(m);
    dims.forEach((q, r) => this.wb.set(st.levelWeights[q]!, offsets[r]!));
    this.w = w;
  }

  /** Original FE index of each reduced dimension (for messages and tests). */
  get dims(): readonly number[] {
    return this.#dims;
  }

  /** The envelope factor of M when it is cheap to form and factor, else null (decided once). */
  factor(): MultiWayFactor | null {
    if (this.#factor === undefined) {
      const { idx, w, start } = this.#groupedRows();
      const first = this.#scan().first;
      this.#factor = MultiWayFactor.tryBuild({ n: this.n, m: this.m, ga: this.ga, wa: this.wa, R: this.rest.length, idx, w, start, first });
    }
    return this.#factor;
  }

  /** diag(M): Σ_i w over level l minus Σ_g V_gl² / W_g, from the cells of each A level. */
  diag(): Float64Array {
    return this.#scan().diag;
  }

  #scanned: { diag: Float64Array; first: Int32Array } | null = null;
  /**
   * One visit of the grouped rows for diag(M) and the envelope of M (first[l]: the lowest level met
   * with l inside one A level, which covers the levels met on one row). With helpers, a helper does
   * it while this thread runs `here` (the right-hand side, which does not need it).
   */
  #scan(here?: () => void): { diag: Float64Array; first: Int32Array } {
    if (this.#scanned) {
      here?.();
      return this.#scanned;
    }
    const { m } = this;
    const { idx, w, wa, start } = this.#groupedRows();
    const helpers = here && this.#helpers && idx.buffer instanceof SharedArrayBuffer ? this.#helpers : null;
    const part = helpers
      ? { d: sharedFloat64(m), first: sharedInt32(m), cell: sharedFloat64(m), touched: sharedInt32(m) }
      : { d: new Float64Array(m), first: new Int32Array(m), cell: new Float64Array(m), touched: new Int32Array(m) };
    const args = [idx, start, wa, w, this.rest.length, 0, this.ga, part.d, part.first, part.cell, part.touched] as const;
    if (helpers) {
      helpers.alongside(SCAN_KERNEL, [args], here!, () => {
        part.d.fill(0);
        part.cell.fill(0);
      });
    } else {
      SCAN_KERNEL(...args);
      here?.();
    }
    const d = part.d;
    for (let l = 0; l < m; l++) {
      d[l]! += this.wb[l]!;
      // a level entirely inside one A level has M_ll = 0 (its coefficient is not identified): unit scale
      if (!(d[l]! > 1e-12 * this.wb[l]!)) d[l] = this.wb[l]!;
    }
    this.#scanned = { diag: d, first: part.first };
    return this.#scanned;
  }

  /**
   * Demeans `columns` (any count); `tol` bounds the relative residual of each column's reduced
   * system; `threads` (the calling one included) share the passes over the grouped rows.
   */
  run(columns: readonly Float64Array[], tol: number, maxIter: number, threads = 1): ReducedRun {
    this.#threads = Math.max(1, Math.min(Math.floor(threads), Math.floor(this.n / MIN_ROWS_PER_THREAD)));
    this.#helpers = helperThreads(this.#threads);
    this.#threads = this.#helpers ? Math.min(this.#threads, this.#helpers.count + 1) : 1;
    try {
      return this.#runBlocks(columns, tol, maxIter);
    } finally {
      this.#helpers = null;
    }
  }

  #runBlocks(columns: readonly Float64Array[], tol: number, maxIter: number): ReducedRun {
    const out: Float64Array[] = [];
    let iterations = 0;
    let converged = true;
    let residual = 0;
    let direct = true;
    for (let c0 = 0; c0 < columns.length; c0 += BLOCK) {
      const block = columns.slice(c0, c0 + BLOCK);
      const r = this.#runBlock(block, tol, maxIter);
      out.push(...r.columns);
      iterations = Math.max(iterations, r.iterations);
      converged &&= r.converged;
      residual = Math.max(residual, r.residual);
      direct &&= r.direct;
    }
    return { columns: out, iterations, converged, residual, direct };
  }

  #runBlock(ys: readonly Float64Array[], tol: number, maxIter: number): ReducedRun {
    const k = ys.length;
    const ybarA = new Float64Array(this.ga * k);
    const b = new Float64Array(this.m * k);
    let scale: Float64Array = new Float64Array(k);
    // the scan behind diag(M) and the factor needs only the grouped rows: a helper does it meanwhile
    this.#scan(() => (scale = this.rhs(ys, ybarA, b)));
    const x = new Float64Array(this.m * k);
    const columns = ys.map((y) => new Float64Array(y.length));
    const factor = this.factor();
    const r = new Float64Array(this.m * k);
    if (factor) {
      factor.solve(b, x, k);
      // the check is free: the residual of the reduced system is B'W ỹ, summed while writing ỹ
      this.finish(ys, ybarA, x, columns, r);
      const res = relResidual(r, this.diag(), k, scale);
      if (res.worst <= tol) return { columns, iterations: 0, converged: true, residual: res.worst, direct: true };
    } else r.set(b);
    const cg = conjugateGradient(this, r, x, k, scale, tol, maxIter);
    this.finish(ys, ybarA, x, columns, null);
    return { columns, iterations: cg.iterations, converged: cg.converged, residual: cg.residual, direct: false };
  }

  #grouped: { start: Int32Array; idx: Int32Array; w: Float64Array | undefined; wa: Float64Array; sorted: boolean } | null = null;
  /**
   * Rows grouped by A level (a counting sort; none when already grouped): idx[p·R + r] = grouped row
   * p's level of reduced dimension r, offset into the m-vector (one array the kernels walk in
   * sequence), and the weights in that order.
   */
  #groupedRows(): { start: Int32Array; idx: Int32Array; w: Float64Array | undefined; wa: Float64Array; sorted: boolean } {
    if (this.#grouped) return this.#grouped;
    const { n, rest, offsets, a, ga } = this;
    const R = rest.length;
    // shared memory once threads could share the passes (it costs no more than an ArrayBuffer)
    const shared = n >= 2 * MIN_ROWS_PER_THREAD;
    const start = shared ? sharedInt32(ga + 1) : new Int32Array(ga + 1);
    let sorted = true;
    for (let i = 0, prev = 0; i < n; i++) {
      const g = a[i]!;
      if (g < prev) sorted = false;
      prev = g;
      start[g + 1]!++;
    }
    for (let g = 0; g < ga; g++) start[g + 1]! += start[g]!;
    const idx = shared ? sharedInt32(n * R) : new Int32Array(n * R);
    let w = this.w;
    if (sorted) {
      for (let r = 0; r < R; r++) {
        const c = rest[r]!;
        const off = offsets[r]!;
        for (let p = 0, e = r; p < n; p++, e += R) idx[e] = off + c[p]!;
      }
    } else {
      // each row lands at the next free place of its level: its R codes side by side (one cache line)
      const next = start.slice(0, ga);
      const wg = w ? (shared ? sharedFloat64(n) : new Float64Array(n)) : undefined;
      for (let i = 0; i < n; i++) {
        const p = next[a[i]!]!++;
        for (let r = 0, e = p * R; r < R; r++, e++) idx[e] = offsets[r]! + rest[r]![i]!;
        if (wg) wg[p] = w![i]!;
      }
      w = wg;
    }
    if (shared && w && !(w.buffer instanceof SharedArrayBuffer)) w = copyShared(w);
    const wa = shared ? copyShared(this.wa) : this.wa;
    this.#grouped = { start, idx, w, wa, sorted };
    return this.#grouped;
  }

  #kernels(k: number) {
    return reducedKernels(this.rest.length, k, this.w !== undefined);
  }

  /**
   * ȳ_A (ga × k) and b = B'W(y - ȳ_A), two visits of the data in its own order; returns
   * ‖y - ȳ_A‖_W per column (the scale of the convergence test).
   */
  rhs(ys: readonly Float64Array[], ybarA: Float64Array, b: Float64Array): Float64Array {
    const k = ys.length;
    const norm = new Float64Array(k);
    const { sorted, idx, start, w } = this.#groupedRows();
    // rows already grouped by A: one visit of each level (its rows twice, while in cache)
    if (sorted) this.#kernels(k).rhsGrouped(ys, idx, start, this.wa, w, this.ga, ybarA, b, norm);
    else this.#kernels(k).rhs(ys, this.a, this.rest, this.offsets, this.wa, this.w, ybarA, b, norm);
    for (let j = 0; j < k; j++) norm[j] = Math.sqrt(norm[j]!);
    return norm;
  }

  /** out = M x = B'W(I - P_A)Bx: one visit of each A level's rows. */
  apply(x: Float64Array, k: number, out: Float64Array): void {
    out.fill(0);
    // each helper sums its levels' part into its own shared vector, added here afterwards
    const parts = this.#shared() ? this.#cuts().slice(2).map(() => sharedFloat64(out.length)) : [];
    this.#overLevels(this.#kernels(k).apply, x, (t) => (t === 0 ? out : parts[t - 1]!), (t) => parts[t - 1]!.fill(0));
    for (const part of parts) for (let i = 0; i < out.length; i++) out[i]! += part[i]!;
  }

  /** Whether the passes over the grouped rows are shared out (helpers, and more than one range of levels). */
  #shared(): boolean {
    return this.#helpers !== null && this.#cuts().length > 2;
  }

  /**
   * Runs a grouped-rows kernel (x, out, idx, start, wa, w, g0, g1) over every A level: here alone, or
   * by the ranges of #cuts on this thread and the helpers, x copied to shared memory for them.
   * `outFor(t)` is range t's output; `redo(t)` readies it for a second run here (helper-threads.ts).
   */
  #overLevels(kernel: ApplyKernel | LevelMeansKernel, x: Float64Array, outFor: (t: number) => Float64Array, redo?: (t: number) => void): void {
    const { idx, w, wa, start } = this.#groupedRows();
    if (!this.#shared()) {
      kernel(x, outFor(0), idx, start, wa, w, 0, this.ga);
      return;
    }
    const cuts = this.#cuts();
    const xs = copyShared(x);
    const shares = cuts.slice(0, -1).map((g0, t) => [t === 0 ? x : xs, outFor(t), idx, start, wa, w, g0, cuts[t + 1]!]);
    this.#helpers!.run(kernel, shares, redo);
  }

  #cutsFor: { threads: number; cuts: number[] } | null = null;
  /** A levels cut into #threads ranges of about equal row counts: [0, g1, ..., ga]. */
  #cuts(): number[] {
    const T = this.#threads;
    if (this.#cutsFor?.threads === T) return this.#cutsFor.cuts;
    const { start } = this.#groupedRows();
    const cuts = [0];
    for (let t = 1, g = 0; t < T; t++) {
      const target = (this.n * t) / T;
      while (g < this.ga && start[g + 1]! <= target) g++;
      if (g > cuts[cuts.length - 1]! && g < this.ga) cuts.push(g);
    }
    cuts.push(this.ga);
    this.#cutsFor = { threads: T, cuts };
    return cuts;
  }

  /** ỹ = y - ȳ_A - (I - P_A)Bx into `out` (data order); with `resid`, also B'W ỹ (= b - Mx). */
  finish(ys: readonly Float64Array[], ybarA: Float64Array, x: Float64Array, out: Float64Array[], resid: Float64Array | null): void {
    const k = ys.length;
    const { idx, w, sorted, start } = this.#groupedRows();
    const kernels = this.#kernels(k);
    resid?.fill(0);
    if (sorted) {
      kernels.finishGrouped(ys, out, idx, start, this.wa, w, this.ga, ybarA, x, resid);
      return;
    }
    // C = ȳ_A - (the A-level means of Bx), from the grouped rows; then one visit of the data in its order
    // (each range of levels writes its own rows of C)
    const C = this.#shared() ? sharedFloat64(this.ga * k) : new Float64Array(this.ga * k);
    this.#overLevels(kernels.levelMeans, x, () => C);
    for (let i = 0; i < C.length; i++) C[i] = ybarA[i]! - C[i]!;
    kernels.finish(ys, out, this.a, this.rest, this.offsets, this.w, C, x, resid);
  }
}

/**
 * The scan of A levels g0..g1-1: d[l] -= V_gl² / W_g (V_gl the weight of level l's rows in level g)
 * and first[l] = the lowest level met with l in one A level (first starts at l; d, cell at 0).
 */
const SCAN_KERNEL = sharedKernel<(idx: Int32Array, start: Int32Array, wa: Float64Array, w: Float64Array | undefined, R: number, g0: number, g1: number, d: Float64Array, first: Int32Array, cell: Float64Array, touched: Int32Array) => void>(
  ['idx', 'start', 'wa', 'w', 'R', 'g0', 'g1', 'd', 'first', 'cell', 'touched'],
  `for (let l = 0; l < first.length; l++) first[l] = l;
  for (let g = g0; g < g1; g++) {
    let nt = 0;
    let lo = first.length;
    const p0 = start[g], p1 = start[g + 1];
    for (let p = p0, e = p0 * R; p < p1; p++) {
      const wi = w ? w[p] : 1;
      for (const end = e + R; e < end; e++) {
        const l = idx[e];
        if (cell[l] === 0) touched[nt++] = l;
        cell[l] += wi;
        if (l < lo) lo = l;
      }
    }
    const inv = 1 / wa[g];
    for (let t = 0; t < nt; t++) {
      const l = touched[t];
      d[l] -= cell[l] * cell[l] * inv;
      cell[l] = 0;
      if (first[l] > lo) first[l] = lo;
    }
  }`,
);

function copyShared(a: Float64Array): Float64Array {
  const out = sharedFloat64(a.length);
  out.set(a);
  return out;
}

/** ‖r_j‖_D⁻¹ / scale_j per column and the worst of them (a zero-scale column counts as 0). */
function relResidual(r: Float64Array, diag: Float64Array, k: number, scale: Float64Array) {
  const rz = new Float64Array(k);
  for (let l = 0; l < diag.length; l++) {
    const di = 1 / diag[l]!;
    for (let j = 0; j < k; j++) rz[j]! += r[l * k + j]! * r[l * k + j]! * di;
  }
  let worst = 0;
  const rel = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    rel[j] = scale[j]! > 0 ? Math.sqrt(rz[j]!) / scale[j]! : 0;
    if (rel[j]! > worst || Number.isNaN(rel[j])) worst = Number.isNaN(rel[j]) ? NaN : rel[j]!;
  }
  return { worst, rel };
}

/**
 * Jacobi-preconditioned CG on M x = b for k interleaved right-hand sides, from the x given with
 * its residual r = b - Mx (overwritten). Column j stops when ‖r_j‖_D⁻¹ ≤ tol·‖y_j - ȳ_A‖_W.
 */
function conjugateGradient(sys: ReducedSystem, r: Float64Array, x: Float64Array, k: number, scale: Float64Array, tol: number, maxIter: number) {
  const m = sys.m;
  const dinv = Float64Array.from(sys.diag(), (d) => 1 / d);
  const z = new Float64Array(m * k);
  const p = new Float64Array(m * k);
  const q = new Float64Array(m * k);
  const rz = new Float64Array(k);
  const done = new Uint8Array(k);
  const target = Float64Array.from(scale, (s) => tol * s);
  const precondition = () => {
    rz.fill(0);
    for (let l = 0; l < m; l++) {
      const di = dinv[l]!;
      for (let j = 0; j < k; j++) {
        const o = l * k + j;
        const zv = r[o]! * di;
        z[o] = zv;
        rz[j]! += r[o]! * zv;
      }
    }
  };
  const worst = () => {
    let res = 0;
    for (let j = 0; j < k; j++) {
      const rel = scale[j]! > 0 ? Math.sqrt(Math.max(rz[j]!, 0)) / scale[j]! : 0;
      if (rel > res || Number.isNaN(rel)) res = rel;
    }
    return res;
  };
  const update = () => {
    let all = true;
    for (let j = 0; j < k; j++) {
      if (!done[j] && (scale[j] === 0 || Math.sqrt(Math.max(rz[j]!, 0)) <= target[j]!)) done[j] = 1;
      all &&= done[j] === 1;
    }
    return all;
  };
  precondition();
  if (update()) return { iterations: 0, converged: true, residual: worst() };
  p.set(z);
  const alpha = new Float64Array(k);
  const beta = new Float64Array(k);
  const pq = new Float64Array(k);
  const old = new Float64Array(k);
  let iter = 0;
  while (iter < maxIter) {
    iter++;
    sys.apply(p, k, q);
    pq.fill(0);
    for (let l = 0; l < m; l++) for (let j = 0; j < k; j++) pq[j]! += p[l * k + j]! * q[l * k + j]!;
    // a column whose curvature vanished (p'Mp = 0) has reached the null space: it is done
    for (let j = 0; j < k; j++) if (!done[j] && !(pq[j]! > 0)) done[j] = 1;
    for (let j = 0; j < k; j++) alpha[j] = done[j] ? 0 : rz[j]! / pq[j]!;
    for (let i = 0, l = 0; l < m; l++) {
      for (let j = 0; j < k; j++, i++) {
        x[i]! += alpha[j]! * p[i]!;
        r[i]! -= alpha[j]! * q[i]!;
      }
    }
    old.set(rz);
    precondition();
    if (update()) return { iterations: iter, converged: true, residual: worst() };
    for (let j = 0; j < k; j++) beta[j] = done[j] ? 0 : rz[j]! / old[j]!;
    for (let i = 0, l = 0; l < m; l++) for (let j = 0; j < k; j++, i++) p[i] = z[i]! + beta[j]! * p[i]!;
  }
  return { iterations: iter, converged: false, residual: worst() };
}
