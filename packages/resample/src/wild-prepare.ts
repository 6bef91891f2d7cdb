import type { PanelFrame } from '@panel-lab/panel';
import { demean, nestedIn, olsFit, prepareFixedEffects } from '@panel-lab/regression';
import { lowRankFactors, type WildLowRank } from './wild-lowrank.js';

/**
 * One coefficient of y = beta x + Z gamma + FE + u with everything else partialled out once (FWL):
 * xr = M x and yr = M y, M the residual maker of the FE and controls. The wild bootstrap of beta
 * only needs per-cluster sums of xr*yr and xr^2.
 */
export interface WildPrepared {
  readonly coefficient: string;
  readonly n: number;
  readonly xr: Float64Array;
  readonly yr: Float64Array;
  readonly cluster: Int32Array;
  readonly clusterLabels: readonly string[];
  readonly nClusters: number;
  /** CR1 factor G/(G-1) (n-1)/(n-K), K with fixest's nonnested FE rule. */
  readonly vcovAdj: number;
  readonly tDf: number;
  readonly beta: number;
  /** CR1 standard error of beta. */
  readonly se: number;
  /**
   * The bootstrap regression re-projects y* = y + u (v - 1): with M(u 1_c') not confined to cluster
   * c' (time FE not nested in the clusters, controls), cluster c's bootstrap score is
   * sum_c' K[c, c'] v_c' - delta H_c, K = Ky - beta0 Kx, Ky[c, c'] = x_c' M(yr 1_c'), Kx likewise with
   * xr. Row-major G x G, computed on first access.
   */
  readonly Ky: Float64Array;
  readonly Kx: Float64Array;
  /** Ky and Kx as diagonal plus rank r, where r is small next to G (wild-lowrank.ts); else null. */
  readonly lowRank: WildLowRank | null;
  readonly droppedMissing: number;
  readonly collinearControls: readonly string[];
}

/** Dense G x G cross-cluster matrices above this many clusters would be too large. */
export const MAX_WILD_CLUSTERS = 4000;

export interface WildSpec {
  readonly outcome: string;
  /** The regressor whose coefficient is tested. */
  readonly coefficient: string;
  readonly controls?: readonly string[];
  /** Fixed effects to absorb; default the panel's unit and time. */
  readonly fixedEffects?: readonly string[];
  readonly cluster: string;
}

function numericColumn(frame: PanelFrame, name: string, option: string): Float64Array {
  if (!frame.has(name)) throw new Error(`option ${option}: column '${name}' not found; columns are: ${frame.columnNames.join(', ')}`);
  if (frame.isCategorical(name)) throw new Error(`option ${option}: column '${name}' is categorical, expected numeric`);
  return frame.numeric(name);
}

function categorical(frame: PanelFrame, name: string, option: string): { codes: Int32Array; levels: readonly string[] } {
  if (!frame.has(name)) throw new Error(`option ${option}: column '${name}' not found; columns are: ${frame.columnNames.join(', ')}`);
  return frame.codes(name);
}

/** Dense 0..L-1 codes over the kept rows, in order of first appearance. */
function recode(codes: Int32Array, keep: readonly number[], levels: readonly string[]): { codes: Int32Array; levels: string[]; size: number } {
  const map = new Map<number, number>();
  const out = new Int32Array(keep.length);
  const labels: string[] = [];
  keep.forEach((r, i) => {
    const c = codes[r]!;
    let k = map.get(c);
    if (k === undefined) {
      k = map.size;
      map.set(c, k);
      labels.push(levels[c]!);
    }
    out[i] = k;
  });
  return { codes: out, levels: labels, size: map.size };
}


export function prepareWild(frame: PanelFrame, spec: WildSpec): WildPrepared {
  const y0 = numericColumn(frame, spec.outcome, 'outcome');
  const x0 = numericColumn(frame, spec.coefficient, 'coefficient');
  const controlNames = [...(spec.controls ?? [])];
  const z0 = controlNames.map((c) => numericColumn(frame, c, 'controls'));
  const feNames = [...(spec.fixedEffects ?? [frame.schema.unit, frame.schema.time])];
  const fe0 = feNames.map((f) => categorical(frame, f, 'fixedEffects'));
  const cl0 = categorical(frame, spec.cluster, 'cluster');
  const keep: number[] = [];
  for (let r = 0; r < frame.nrows; r++) {
    if (!Number.isFinite(y0[r]!) || !Number.isFinite(x0[r]!) || z0.some((z) => !Number.isFinite(z[r]!))) continue;
    if (fe0.some((f) => f.codes[r]! < 0) || cl0.codes[r]! < 0) continue;
    keep.push(r);
  }
  const n = keep.length;
  if (n < 3) throw new Error(`wild bootstrap: only ${n} complete rows`);
  const fe = fe0.map((f) => recode(f.codes, keep, f.levels));
  const cl = recode(cl0.codes, keep, cl0.levels);
  if (cl.size < 2) throw new Error(`option cluster: '${spec.cluster}' has ${cl.size} cluster; at least 2 are needed`);
  const pick = (v: Float64Array) => Float64Array.from(keep, (r) => v[r]!);
  const feCodes = fe.map((f) => f.codes);
  const structure = fe.length ? prepareFixedEffects(feCodes, undefined, fe.map((f) => f.size)) : undefined;
  const dm = demean({ columns: [pick(y0), pick(x0), ...z0.map(pick)], fe: feCodes, ...(structure ? { structure } : {}) });
  let [yt, xt] = dm.columns as [Float64Array, Float64Array];
  const zt = dm.columns.slice(2);
  if (fe.length === 0) {
    // no FE: an intercept is a control
    zt.unshift(new Float64Array(n).fill(1));
  }
  let collinearControls: string[] = [];
  let kz = 0;
  let residualize = (v: Float64Array): Float64Array => v;
  let zk: Float64Array[] = [];
  let ginv = new Float64Array(0);
  if (zt.length > 0) {
    const names = fe.length === 0 ? ['(Intercept)', ...controlNames] : controlNames;
    const fy = olsFit(zt, yt, { residuals: true, names });
    zk = fy.kept.map((k) => zt[k]!);
    ginv = Float64Array.from(fy.xtxInv);
    kz = zk.length;
    collinearControls = names.filter((_, k) => !fy.kept.includes(k));
    // v - Z (Z'Z)^-1 Z'v on the kept (demeaned) controls
    residualize = (v: Float64Array): Float64Array => {
      const zv = zk.map((z) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += z[i]! * v[i]!;
        return s;
      });
      const out = Float64Array.from(v);
      for (let a = 0; a < kz; a++) {
        let g = 0;
        for (let b = 0; b < kz; b++) g += ginv[a * kz + b]! * zv[b]!;
        const z = zk[a]!;
        for (let i = 0; i < n; i++) out[i]! -= g * z[i]!;
      }
      return out;
    };
    yt = residualize(yt);
    xt = residualize(xt);
  }
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    xx += xt[i]! * xt[i]!;
    xy += xt[i]! * yt[i]!;
    yy += yt[i]! * yt[i]!;
  }
  // overflowed sums (Inf, NaN) would read as "collinear" below: name the variable to rescale
  const vx = variance(pick(x0));
  if (!Number.isFinite(xx) || !Number.isFinite(vx)) throw new Error(`option coefficient: '${spec.coefficient}' has values so large (up to ${maxAbs(x0)}) that float64 sums of squares overflow; rescale it`);
  if (!Number.isFinite(yy)) throw new Error(`option outcome: '${spec.outcome}' has values so large (up to ${maxAbs(y0)}) that float64 sums of squares overflow; rescale it`);
  if (!(xx > 1e-10 * n * Math.max(1e-300, vx))) throw new Error(`option coefficient: '${spec.coefficient}' is collinear with the fixed effects and controls`);
  const beta = xy / xx;
  // fixest K: slopes (x + kept controls, intercept included when no FE) + FE dof not nested in the cluster
  const k = 1 + kz;
  const feDof = fe.length ? fe.reduce((s, f) => s + f.size, 0) - (fe.length - 1) : 0;
  let kVcov = k + feDof;
  const isNested = fe.map((f) => nestedIn(f.codes, f.size, cl.codes));
  if (fe.length) {
    if (isNested.every(Boolean)) kVcov = k + 1;
    else kVcov = k + feDof - fe.reduce((s, f, q) => s + (isNested[q] ? f.size - 1 : 0), 0);
    kVcov = Math.max(kVcov, k + 1);
  }
  const G = cl.size;
  if (G > MAX_WILD_CLUSTERS) throw new Error(`option cluster: '${spec.cluster}' has ${G} clusters; the wild bootstrap here is for few clusters (at most ${MAX_WILD_CLUSTERS}); use CR1 or the multiplier bootstrap`);
  const M = (v: Float64Array[]): Float64Array[] => {
    const d = fe.length ? demean({ columns: v, fe: feCodes, ...(structure ? { structure } : {}) }).columns : v;
    return d.map(residualize);
  };
  const crossCluster = (v: Float64Array): Float64Array => {
    const K = new Float64Array(G * G);
    // batches of columns v 1_c' keep memory at n x 64 values
    for (let c0 = 0; c0 < G; c0 += 64) {
      const cs = Array.from({ length: Math.min(64, G - c0) }, (_, j) => c0 + j);
      const cols = M(cs.map((c) => Float64Array.from(v, (x, i) => (cl.codes[i] === c ? x : 0))));
      cs.forEach((c, j) => {
        const w = cols[j]!;
        for (let i = 0; i < n; i++) K[cl.codes[i]! * G + c]! += xt[i]! * w[i]!;
      });
    }
    return K;
  };
  // G demeaned columns each: the bulk of the preparation at many clusters, and not needed when the
  // draws use the low-rank form, so built on first use
  let Ky: Float64Array | undefined;
  let Kx: Float64Array | undefined;
  const vcovAdj = (G / (G - 1)) * ((n - 1) / (n - kVcov));
  const sc = new Float64Array(G);
  for (let i = 0; i < n; i++) sc[cl.codes[i]!]! += xt[i]! * (yt[i]! - beta * xt[i]!);
  let meat = 0;
  for (const s of sc) meat += s * s;
  return Object.freeze({
    coefficient: spec.coefficient,
    n,
    xr: xt,
    yr: yt,
    cluster: cl.codes,
    clusterLabels: Object.freeze(cl.levels),
    nClusters: G,
    vcovAdj,
    tDf: G - 1,
    beta,
    se: Math.sqrt((vcovAdj * meat) / (xx * xx)),
    get Ky() {
      return (Ky ??= crossCluster(yt));
    },
    get Kx() {
      return (Kx ??= crossCluster(xt));
    },
    lowRank: lowRankFactors({ n, xr: xt, yr: yt, cluster: cl.codes, G, fe: fe.map((f, q) => ({ codes: f.codes, size: f.size, nested: isNested[q]! })), controls: zk, controlsGramInv: ginv }),
    droppedMissing: frame.nrows - n,
    collinearControls: Object.freeze(collinearControls),
  });
}

/** Largest finite |value| (missing rows are NaN in the frame's column). */
function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) > m && Number.isFinite(x[i]!)) m = Math.abs(x[i]!);
  return m;
}

function variance(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return s / x.length;
}
