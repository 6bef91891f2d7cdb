/**
 * Fixed effects (plus linear controls) fitted on a subsample S of the rows and applied to every
 * row: the first stage of did2s, the BJS imputation and the spatial two-stage estimator.
 *
 * Everything goes through the normal equations Z_S'Z_S θ = b with Z = [FE dummies, X]. The FE
 * block is solved by Gauss-Seidel sweeps over the FE levels (each block is diagonal), the controls
 * by the Frisch-Waugh-Lovell Schur complement. An arbitrary right-hand side b is allowed because
 * the GMM variance of did2s needs Γ = (Z_S'Z_S)⁻¹ Z'X₂ (sums over all rows, not over S) and the
 * BJS variance needs (Z_S'Z_S)⁻¹ Z_T'w (sums over treated rows). No dense (levels x levels)
 * matrix is formed, so 100,000 units cost O(rows) memory.
 */
import { choleskyInverse, choleskyPivoted } from '@panel-lab/regression';

const GS_TOL = 1e-13;
const GS_MAX_ITER = 20_000;

export interface SubsampleFit {
  readonly alpha: readonly Float64Array[];
  readonly gamma: Float64Array;
}

/** Rows with a finite outcome and finite controls (1), else 0. */
export function usableRows(y: ArrayLike<number>, controls: readonly Float64Array[]): Uint8Array {
  const ok = new Uint8Array(y.length);
  for (let r = 0; r < y.length; r++) {
    let good = Number.isFinite(y[r]!);
    for (const x of controls) good &&= Number.isFinite(x[r]!);
    ok[r] = good ? 1 : 0;
  }
  return ok;
}

/** The first stage's residuals: which rows have one, and why the others do not. */
export interface FirstStageResiduals {
  /** 1 on the usable rows whose FE levels S covers. */
  readonly used: Uint8Array;
  /** y - z'θ on the used rows; `fill` elsewhere. */
  readonly resid: Float64Array;
  /** Usable rows with an FE level absent from S (no fitted value). */
  readonly notIdentified: number;
  readonly nobs: number;
}

export class SubsampleFe {
  readonly n: number;
  /** Row indices of S. */
  readonly rows: Int32Array;
  /** Per FE dimension: number of S rows at each level. */
  readonly counts: readonly Float64Array[];
  /** Controls demeaned within S (length |S| each) and (X̃'X̃)⁻¹ over the kept controls. */
  readonly controlsKept: readonly number[];
  readonly controlsDropped: readonly number[];
  private readonly xTilde: Float64Array[];
  private readonly xtxInv: Float64Array;
  iterations = 0;
  converged = true;

  constructor(
    readonly fe: readonly Int32Array[],
    readonly sizes: readonly number[],
    sample: Uint8Array,
    readonly controls: readonly Float64Array[],
  ) {
    this.n = sample.length;
    let m = 0;
    for (let r = 0; r < this.n; r++) if (sample[r]) m++;
    this.rows = new Int32Array(m);
    m = 0;
    for (let r = 0; r < this.n; r++) if (sample[r]) this.rows[m++] = r;
    this.counts = fe.map((codes, q) => {
      const c = new Float64Array(sizes[q]!);
      for (const r of this.rows) c[codes[r]!]! += 1;
      return c;
    });
    // FWL: demean each control within S, then invert X̃'X̃ (collinear controls dropped, fixest-style)
    const xt = controls.map((x) => this.demean(x));
    const k = xt.length;
    const xtx = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) {
      let s = 0;
      const xa = xt[a]!;
      const xb = xt[b]!;
      for (let i = 0; i < xa.length; i++) s += xa[i]! * xb[i]!;
      xtx[a * k + b] = xtx[b * k + a] = s;
    }
    const ch = choleskyPivoted(xtx, k);
    this.controlsKept = ch.kept;
    this.controlsDropped = ch.dropped;
    this.xTilde = ch.kept.map((j) => xt[j]!);
    this.xtxInv = choleskyInverse(ch.factor, ch.kept.length);
  }

  /** True when every FE level of row r is present in S (so its fitted value is defined). */
  covers(r: number): boolean {
    for (let q = 0; q < this.fe.length; q++) if (this.counts[q]![this.fe[q]![r]!] === 0) return false;
    return true;
  }

  /** D'v: per FE dimension, sums of v over the rows selected by `select` (default all rows). */
  levelSums(v: ArrayLike<number>, select?: (r: number) => boolean): Float64Array[] {
    return this.fe.map((codes, q) => {
      const s = new Float64Array(this.sizes[q]!);
      for (let r = 0; r < this.n; r++) if (!select || select(r)) s[codes[r]!]! += v[r]!;
      return s;
    });
  }

  /** X'v over selected rows, for the kept controls. */
  controlSums(v: ArrayLike<number>, select?: (r: number) => boolean): Float64Array {
    return Float64Array.from(this.controlsKept, (j) => {
      const x = this.controls[j]!;
      let s = 0;
      for (let r = 0; r < this.n; r++) if (!select || select(r)) s += x[r]! * v[r]!;
      return s;
    });
  }

  /** Solves (D_S'D_S) α = b by Gauss-Seidel sweeps; b must be zero on levels absent from S. */
  solveFe(b: readonly Float64Array[]): Float64Array[] {
    const Q = this.fe.length;
    const alpha = this.sizes.map((g) => new Float64Array(g));
    if (Q === 0) return alpha;
    const m = this.rows.length;
    const fit = new Float64Array(m);
    const acc = this.sizes.map((g) => new Float64Array(g));
    let it = 0;
    let done = false;
    while (!done && it < GS_MAX_ITER) {
      it++;
      let change = 0;
      for (let q = 0; q < Q; q++) {
        const codes = this.fe[q]!;
        const a = alpha[q]!;
        const s = acc[q]!;
        const cnt = this.counts[q]!;
        const bq = b[q]!;
        s.fill(0);
        for (let i = 0; i < m; i++) {
          const c = codes[this.rows[i]!]!;
          s[c]! += fit[i]! - a[c]!;
        }
        for (let l = 0; l < a.length; l++) {
          if (cnt[l] === 0) continue;
          const next = (bq[l]! - s[l]!) / cnt[l]!;
          const d = Math.abs(next - a[l]!) / (0.1 + Math.abs(next));
          if (d > change) change = d;
          s[l] = next - a[l]!; // reuse as the increment
          a[l] = next;
        }
        for (let i = 0; i < m; i++) fit[i]! += s[codes[this.rows[i]!]!]!;
        // levels absent from S keep a zero increment
        for (let l = 0; l < a.length; l++) if (cnt[l] === 0) s[l] = 0;
      }
      if (Q === 1 || change <= GS_TOL) done = true;
    }
    this.iterations = Math.max(this.iterations, it);
    if (!done) this.converged = false;
    return alpha;
  }

  /** x_S minus its FE projection within S (length |S|). */
  demean(x: ArrayLike<number>): Float64Array {
    const inS = this.inS();
    const alpha = this.solveFe(this.levelSums(x, (r) => inS[r] === 1));
    const out = new Float64Array(this.rows.length);
    for (let i = 0; i < out.length; i++) {
      const r = this.rows[i]!;
      out[i] = x[r]! - this.feValue(alpha, r);
    }
    return out;
  }

  /** Solution θ = (α, γ) of Z_S'Z_S θ = (bD, bX) (bX over the kept controls). */
  solve(bD: readonly Float64Array[], bX: Float64Array): SubsampleFit {
    const alphaB = this.solveFe(bD);
    const k = this.xTilde.length;
    if (k === 0) return { alpha: alphaB, gamma: new Float64Array(0) };
    // γ = (X̃'X̃)⁻¹ (bX − X_S' D α_b)
    const rhs = Float64Array.from(bX);
    for (let c = 0; c < k; c++) {
      const x = this.controls[this.controlsKept[c]!]!;
      let s = 0;
      for (const r of this.rows) s += x[r]! * this.feValue(alphaB, r);
      rhs[c]! -= s;
    }
    const gamma = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += this.xtxInv[a * k + b]! * rhs[b]!;
      gamma[a] = s;
    }
    // α = (D'D)⁻¹ (bD − D_S' X_S γ)
    const xg = new Float64Array(this.n);
    for (const r of this.rows) xg[r] = this.controlValue(gamma, r);
    const inS = this.inS();
    const corr = this.levelSums(xg, (r) => inS[r] === 1);
    const alpha = this.solveFe(bD.map((bq, q) => bq.map((v, l) => v - corr[q]![l]!)));
    return { alpha, gamma };
  }

  /** Least squares of y on Z within S: the first stage. */
  fitOn(y: ArrayLike<number>): SubsampleFit {
    const inS = this.inS();
    const sel = (r: number) => inS[r] === 1;
    return this.solve(this.levelSums(y, sel), this.controlSums(y, sel));
  }

  feValue(alpha: readonly Float64Array[], r: number): number {
    let s = 0;
    for (let q = 0; q < this.fe.length; q++) s += alpha[q]![this.fe[q]![r]!]!;
    return s;
  }

  controlValue(gamma: Float64Array, r: number): number {
    let s = 0;
    for (let c = 0; c < gamma.length; c++) s += gamma[c]! * this.controls[this.controlsKept[c]!]![r]!;
    return s;
  }

  /** Fitted value z_r'θ of any row whose FE levels are covered by S. */
  predict(fit: SubsampleFit, r: number): number {
    return this.feValue(fit.alpha, r) + this.controlValue(fit.gamma, r);
  }

  /** y - z'θ on every usable row that S covers (imputation's τ̂ on treated rows, did2s's ỹ). */
  residuals(fit: SubsampleFit, y: ArrayLike<number>, usable: Uint8Array, fill: number): FirstStageResiduals {
    const used = new Uint8Array(this.n);
    const resid = new Float64Array(this.n);
    if (fill !== 0) resid.fill(fill);
    let notIdentified = 0;
    let nobs = 0;
    for (let r = 0; r < this.n; r++) {
      if (!usable[r]) continue;
      if (!this.covers(r)) {
        notIdentified++;
        continue;
      }
      used[r] = 1;
      nobs++;
      resid[r] = y[r]! - this.predict(fit, r);
    }
    return { used, resid, notIdentified, nobs };
  }

  #inS: Uint8Array | null = null;
  private inS(): Uint8Array {
    if (!this.#inS) {
      this.#inS = new Uint8Array(this.n);
      for (const r of this.rows) this.#inS[r] = 1;
    }
    return this.#inS;
  }
}
