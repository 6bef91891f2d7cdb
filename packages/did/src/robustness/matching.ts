/**
 * 1:1 nearest-neighbour matching on the propensity score (MatchIt method = "nearest", psmatch2
 * neighbor(1)): with or without replacement, caliper, common-support trimming, greedy order.
 * Controls are kept sorted by distance, so each treated unit finds its neighbour by binary search
 * (and, without replacement, by skipping used controls through next/previous-free pointers):
 * O(n log n), no n x n distance matrix.
 */
import { createRng } from '@panel-lab/compute';
import type { PropensityResult } from './propensity.js';

export interface MatchOptions {
  /** Match on the score ('ps', default, as MatchIt) or on its logit ('logit'). */
  readonly distance?: 'ps' | 'logit';
  /** With replacement (psmatch2 default) or without (MatchIt default, the default here). */
  readonly replace?: boolean;
  /** Caliper width, in distance units or in SDs of the distance (MatchIt std.caliper; Austin's 0.2). */
  readonly caliper?: { readonly width: number; readonly scale: 'distance' | 'sd' };
  /** Drop treated units whose score is outside [min, max] of the controls' (psmatch2 common). */
  readonly commonSupport?: boolean;
  /** Greedy order of treated units: 'largest' score first (MatchIt default), 'smallest', 'data', 'random'. */
  readonly order?: 'largest' | 'smallest' | 'data' | 'random';
  /** Seed for order = 'random'. */
  readonly seed?: number;
  /**
   * Reproduce MatchIt 4.5.1 exactly: its nn_matchC_vec compares the two candidate distances with an
   * integer abs(), so whenever a free control exists on both sides it takes the one with the lower
   * score, even when the higher one is closer. Off by default (we take the closest).
   */
  readonly emulate?: 'matchit-4.5.1';
}

export interface MatchPair {
  readonly treatedRow: number;
  readonly controlRow: number;
  readonly distance: number;
}

export interface MatchResult {
  readonly kind: 'match_nearest';
  readonly spec: Required<Omit<MatchOptions, 'caliper' | 'seed' | 'emulate'>> & { readonly caliper: MatchOptions['caliper'] | null; readonly caliperWidth: number | null; readonly seed: number | null; readonly emulate: string | null };
  readonly pairs: readonly MatchPair[];
  /** Frame rows used by the score (= the score's rows); the weight arrays below are aligned with them. */
  readonly weightRows: readonly number[];
  /** Frequency weights: 1 per matched treated unit, the number of uses per control, 0 when unmatched. */
  readonly weights: readonly number[];
  /**
   * MatchIt's weights (`m$weights`, ATT): 1 per matched treated unit; each control's number of uses
   * rescaled so the control weights sum to the number of distinct matched controls. Without
   * replacement they equal the frequency weights.
   */
  readonly matchitWeights: readonly number[];
  readonly nTreated: number;
  readonly nMatchedTreated: number;
  readonly nDistinctControls: number;
  /** Treated units left unmatched, by cause (counted, not silently dropped). */
  readonly unmatched: { readonly commonSupport: number; readonly caliper: number; readonly noControlLeft: number };
}

export function matchNearest(ps: PropensityResult, options: MatchOptions = {}): MatchResult {
  const distanceKind = options.distance ?? 'ps';
  const replace = options.replace ?? false;
  const order = options.order ?? 'largest';
  const commonSupport = options.commonSupport ?? false;
  const dist = distanceKind === 'ps' ? ps.scores : ps.linear;
  const n = dist.length;
  let caliperWidth: number | null = null;
  if (options.caliper) {
    const { width, scale } = options.caliper;
    if (!(width > 0)) throw new Error(`matchNearest: caliper width must be positive, got ${width}`);
    if (scale === 'sd') {
      const mean = dist.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(dist.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      caliperWidth = width * sd;
    } else caliperWidth = width;
  }
  const controls: number[] = [];
  const treated: number[] = [];
  for (let i = 0; i < n; i++) (ps.treated[i] === 1 ? treated : controls).push(i);
  controls.sort((a, b) => dist[a]! - dist[b]! || a - b);
  const cVal = controls.map((i) => dist[i]!);
  const m = controls.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const i of controls) {
    lo = Math.min(lo, ps.scores[i]!);
    hi = Math.max(hi, ps.scores[i]!);
  }

  let seq = [...treated];
  if (order === 'largest') seq.sort((a, b) => dist[b]! - dist[a]! || a - b);
  else if (order === 'smallest') seq.sort((a, b) => dist[a]! - dist[b]! || a - b);
  else if (order === 'random') {
    const rng = createRng(options.seed ?? 1);
    for (let i = seq.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [seq[i], seq[j]] = [seq[j]!, seq[i]!];
    }
  }

  // free-list pointers over the sorted controls (without replacement)
  const used = new Uint8Array(m);
  const nextFree = Int32Array.from({ length: m + 1 }, (_, k) => k);
  const prevFree = Int32Array.from({ length: m + 1 }, (_, k) => k);
  const findNext = (k: number): number => {
    let r = k;
    while (r < m && used[r]) r = nextFree[r] = nextFree[r + 1]!;
    return r;
  };
  const findPrev = (k: number): number => {
    let r = k;
    while (r >= 0 && used[r]) r = prevFree[r] = r - 1 >= 0 ? prevFree[r - 1]! : -1;
    return r;
  };
  const lowerBound = (x: number): number => {
    let a = 0;
    let b = m;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (cVal[mid]! < x) a = mid + 1;
      else b = mid;
    }
    return a;
  };

  const pairs: MatchPair[] = [];
  const weight = new Float64Array(n);
  const unmatched = { commonSupport: 0, caliper: 0, noControlLeft: 0 };
  if (commonSupport) {
    seq = seq.filter((t) => {
      const inside = ps.scores[t]! >= lo && ps.scores[t]! <= hi;
      if (!inside) unmatched.commonSupport++;
      return inside;
    });
  }
  for (const t of seq) {
    const x = dist[t]!;
    const k = lowerBound(x);
    let right = replace ? k : findNext(k);
    let left = replace ? k - 1 : findPrev(k - 1);
    if (right >= m) right = -1;
    if (left < 0 && right < 0) {
      unmatched.noControlLeft++;
      continue;
    }
    // among equal distances MatchIt keeps the control that comes last in the data (highest row)
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    const consider = (kk: number) => {
      if (kk < 0) return;
      const d = Math.abs(cVal[kk]! - x);
      if (d < bestD || (d === bestD && controls[kk]! > controls[best]!)) (best = kk), (bestD = d);
    };
    if (options.emulate === 'matchit-4.5.1' && left >= 0) consider(left);
    else {
      consider(left);
      consider(right);
    }
    // ties within a run of equal control values: walk to the highest row among free ones
    const v = cVal[best]!;
    for (let kk = best - 1; kk >= 0 && cVal[kk] === v; kk--) if ((replace || !used[kk]) && controls[kk]! > controls[best]!) best = kk;
    for (let kk = best + 1; kk < m && cVal[kk] === v; kk++) if ((replace || !used[kk]) && controls[kk]! > controls[best]!) best = kk;
    if (caliperWidth !== null && bestD > caliperWidth) {
      unmatched.caliper++;
      continue;
    }
    if (!replace) used[best] = 1;
    const c = controls[best]!;
    pairs.push(Object.freeze({ treatedRow: ps.rows[t]!, controlRow: ps.rows[c]!, distance: bestD }));
    weight[t] = 1;
    weight[c]! += 1;
  }
  let distinct = 0;
  let uses = 0;
  for (const c of controls) if (weight[c]! > 0) (distinct++, (uses += weight[c]!));
  const scaled = Float64Array.from(weight);
  if (uses > 0) for (const c of controls) scaled[c] = (weight[c]! * distinct) / uses;
  return Object.freeze({
    kind: 'match_nearest' as const,
    spec: Object.freeze({ distance: distanceKind, replace, caliper: options.caliper ?? null, caliperWidth, commonSupport, order, seed: order === 'random' ? (options.seed ?? 1) : null, emulate: options.emulate ?? null }),
    pairs: Object.freeze(pairs),
    weightRows: ps.rows,
    weights: Object.freeze(Array.from(weight)),
    matchitWeights: Object.freeze(Array.from(scaled)),
    nTreated: treated.length,
    nMatchedTreated: pairs.length,
    nDistinctControls: distinct,
    unmatched: Object.freeze(unmatched),
  });
}
