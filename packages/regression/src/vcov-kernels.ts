/**
 * Variance kernels as pure functions over plain arrays: bread (k x k row-major, (X'WX)^-1) and
 * scores (k columns of n, w·û·x̃). No small-sample factors here except where named.
 */

/** Per-cluster score sums, row-major G x k. */
export function clusterScores(scores: readonly Float64Array[], clusters: Int32Array, nClusters: number): Float64Array {
  const k = scores.length;
  const out = new Float64Array(nClusters * k);
  for (let j = 0; j < k; j++) {
    const s = scores[j]!;
    for (let i = 0; i < clusters.length; i++) out[clusters[i]! * k + j]! += s[i]!;
  }
  return out;
}

/** Meat Σ_g s_g s_g' (k x k row-major) from G x k cluster score sums. */
export function meatFromSums(sums: Float64Array, nClusters: number, k: number): Float64Array {
  const meat = new Float64Array(k * k);
  for (let g = 0; g < nClusters; g++) {
    const base = g * k;
    for (let a = 0; a < k; a++) {
      const sa = sums[base + a]!;
      if (sa === 0) continue;
      for (let b = 0; b <= a; b++) meat[a * k + b]! += sa * sums[base + b]!;
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) meat[b * k + a] = meat[a * k + b]!;
  return meat;
}

/** B M B for symmetric B, M (k x k row-major). */
export function sandwich(bread: Float64Array, meat: Float64Array, k: number): Float64Array {
  const tmp = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let m = 0; m < k; m++) s += bread[i * k + m]! * meat[m * k + j]!;
    tmp[i * k + j] = s;
  }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let m = 0; m < k; m++) s += tmp[i * k + m]! * bread[m * k + j]!;
    out[i * k + j] = s;
  }
  return out;
}

/** Dense 0..G-1 codes of the intersection of several cluster variables. */
export function intersectClusters(clusters: readonly Int32Array[]): { codes: Int32Array; nClusters: number } {
  const n = clusters[0]!.length;
  const codes = new Int32Array(n);
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    let key = '';
    for (const c of clusters) key += `${c[i]!},`;
    let g = index.get(key);
    if (g === undefined) {
      g = index.size;
      index.set(key, g);
    }
    codes[i] = g;
  }
  return { codes, nClusters: index.size };
}

export function countLevels(codes: Int32Array): number {
  let g = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= g) g = codes[i]! + 1;
  return g;
}

/**
 * Multi-way cluster-robust vcov (Cameron-Gelbach-Miller inclusion-exclusion), before the
 * (n-1)/(n-K) factor. `gAdj` with `gDf` as in Ssc. Returns the vcov and the smallest G.
 */
export function vcovCluster(args: {
  bread: Float64Array;
  scores: readonly Float64Array[];
  clusters: readonly Int32Array[];
  gAdj: boolean;
  gDf: 'min' | 'conventional';
}): { vcov: Float64Array; nClusters: number[]; gMin: number } {
  const { bread, scores, clusters } = args;
  const k = scores.length;
  const vcov = new Float64Array(k * k);
  const nClusters = clusters.map(countLevels);
  const ways = clusters.length;
  // every non-empty subset of the cluster variables, sign (-1)^(size+1)
  for (let mask = 1; mask < 1 << ways; mask++) {
    const subset = clusters.filter((_, j) => mask & (1 << j));
    const { codes, nClusters: g } = subset.length === 1 ? { codes: subset[0]!, nClusters: nClusters[clusters.indexOf(subset[0]!)]! } : intersectClusters(subset);
    const meat = meatFromSums(clusterScores(scores, codes, g), g, k);
    const part = sandwich(bread, meat, k);
    const sign = subset.length % 2 === 1 ? 1 : -1;
    const adj = args.gAdj && args.gDf === 'conventional' ? g / (g - 1) : 1;
    for (let m = 0; m < k * k; m++) vcov[m]! += sign * adj * part[m]!;
  }
  const gMin = Math.min(...nClusters);
  if (args.gAdj && args.gDf === 'min') for (let m = 0; m < k * k; m++) vcov[m]! *= gMin / (gMin - 1);
  return { vcov, nClusters, gMin };
}

/** Heteroskedasticity-robust (HC0 sandwich; times n/(n-1) when gAdj, as fixest's "hetero"). */
export function vcovHetero(args: { bread: Float64Array; scores: readonly Float64Array[]; gAdj: boolean }): Float64Array {
  const { bread, scores } = args;
  const k = scores.length;
  const n = scores[0]?.length ?? 0;
  const meat = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) {
    const sa = scores[a]!;
    const sb = scores[b]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += sa[i]! * sb[i]!;
    meat[a * k + b] = s;
    meat[b * k + a] = s;
  }
  const out = sandwich(bread, meat, k);
  if (args.gAdj) for (let m = 0; m < k * k; m++) out[m]! *= n / (n - 1);
  return out;
}

/** IID: σ² (X'WX)^-1 with σ² = SSR / (n - 1) (the (n-1)/(n-K) factor comes from Ssc.kAdj). */
export function vcovIid(args: { bread: Float64Array; ssr: number; n: number }): Float64Array {
  const s2 = args.ssr / (args.n - 1);
  return Float64Array.from(args.bread, (b) => b * s2);
}
