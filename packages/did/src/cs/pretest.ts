import { invertSpd, rcondSpd } from '../internal/dense.js';
import { pchisqUpper } from '../internal/stats.js';

export interface PreTest {
  readonly W: number;
  readonly df: number;
  readonly pValue: number;
}

/** did's Wald pre-test: n att_pre' V_pre^-1 att_pre with V = IF'IF/n, over pre cells with a finite SE. */
export function waldPretest(
  att: number[],
  group: number[],
  time: number[],
  se: number[],
  inf: Float64Array,
  n: number,
  clusterCodes: Int32Array | null,
  /** Row ranges within which IF columns are either all zero or not (cohort blocks); unclustered case only. */
  blocks: readonly (readonly [number, number])[] = [[0, n]],
): PreTest | null {
  const pre: number[] = [];
  for (let k = 0; k < att.length; k++) if (group[k]! > time[k]! && Number.isFinite(se[k]!)) pre.push(k);
  const q = pre.length;
  if (q === 0) return null;
  // without clusters the IF columns are used in place (no copy of the n x q block)
  const sums = clusterCodes ? clusterSumsOf(inf, n, pre, clusterCodes) : inf;
  const rows = clusterCodes ? sums.length / q : n;
  const offsets = clusterCodes ? pre.map((_, j) => j * rows) : pre.map((k) => k * n);
  const V = clusterCodes ? crossProduct(sums, rows, offsets) : blockCrossProduct(inf, offsets, blocks);
  for (let i = 0; i < V.length; i++) V[i]! /= n;
  if (V.some((v) => !Number.isFinite(v)) || rcondSpd(V, q) <= Number.EPSILON) return null;
  const inv = invertSpd(V, q)!;
  let Wstat = 0;
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) Wstat += att[pre[a]!]! * inv[a * q + b]! * att[pre[b]!]!;
  Wstat *= n;
  return Object.freeze({ W: Wstat, df: q, pValue: pchisqUpper(Wstat, q) });
}

/** Cluster sums of the chosen columns (column-major nClusters x cols). */
function clusterSumsOf(inf: Float64Array, n: number, cols: number[], codes: Int32Array): Float64Array {
  let nc = 0;
  for (const c of codes) nc = Math.max(nc, c + 1);
  const out = new Float64Array(nc * cols.length);
  cols.forEach((k, j) => {
    for (let i = 0; i < n; i++) out[j * nc + codes[i]!]! += inf[k * n + i]!;
  });
  return out;
}

/** M'M (q x q, row-major) over the columns of m starting at the given offsets; 4 columns per pass. */
function crossProduct(m: Float64Array, rows: number, offsets: readonly number[]): Float64Array {
  const q = offsets.length;
  const out = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    const oa = offsets[a]!;
    let b = 0;
    for (; b + 3 <= a; b += 4) {
      const o0 = offsets[b]!, o1 = offsets[b + 1]!, o2 = offsets[b + 2]!, o3 = offsets[b + 3]!;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = 0; i < rows; i++) {
        const x = m[oa + i]!;
        s0 += x * m[o0 + i]!;
        s1 += x * m[o1 + i]!;
        s2 += x * m[o2 + i]!;
        s3 += x * m[o3 + i]!;
      }
      out[a * q + b] = out[b * q + a] = s0;
      out[a * q + b + 1] = out[(b + 1) * q + a] = s1;
      out[a * q + b + 2] = out[(b + 2) * q + a] = s2;
      out[a * q + b + 3] = out[(b + 3) * q + a] = s3;
    }
    for (; b <= a; b++) {
      const ob = offsets[b]!;
      let s0 = 0;
      for (let i = 0; i < rows; i++) s0 += m[oa + i]! * m[ob + i]!;
      out[a * q + b] = out[b * q + a] = s0;
    }
  }
  return out;
}

/**
 * M'M over the columns at the given offsets, summing only over the row blocks where both columns
 * have a nonzero entry (an ATT(g,t) influence function is zero outside cohort g and its controls).
 */
function blockCrossProduct(m: Float64Array, offsets: readonly number[], blocks: readonly (readonly [number, number])[]): Float64Array {
  const q = offsets.length;
  const nb = blocks.length;
  const active = new Uint8Array(q * nb);
  for (let a = 0; a < q; a++) {
    for (let bl = 0; bl < nb; bl++) {
      const [s, e] = blocks[bl]!;
      for (let i = s; i < e; i++) {
        if (m[offsets[a]! + i] !== 0) {
          active[a * nb + bl] = 1;
          break;
        }
      }
    }
  }
  const out = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    const oa = offsets[a]!;
    for (let b = 0; b <= a; b++) {
      const ob = offsets[b]!;
      let sum = 0;
      for (let bl = 0; bl < nb; bl++) {
        if (!active[a * nb + bl] || !active[b * nb + bl]) continue;
        const [s, e] = blocks[bl]!;
        for (let i = s; i < e; i++) sum += m[oa + i]! * m[ob + i]!;
      }
      out[a * q + b] = out[b * q + a] = sum;
    }
  }
  return out;
}
