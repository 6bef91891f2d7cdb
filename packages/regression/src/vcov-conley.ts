/**
 * Conley spatial HAC, as fixest's `vcov_conley`: scores are first summed over observations at
 * identical coordinates (a location's periods are fully correlated), then
 * meat = Σ over location pairs within the cut-off (each location with itself included) of
 * w_ij s_i s_j', w = 1 (uniform, fixest) or 1 - d_ij / cutoff (Bartlett).
 *
 * Pair rule (fixest 0.14): |Δlat| <= c/111 degrees, |Δlon| <= (c/111 degrees) / cos(mean lat)
 * (longitude wraps at ±180), then either the equirectangular ("triangular") test
 * Δlat² + (cos(mean lat) Δlon)² <= (c/111 degrees)², or the great-circle distance
 * 12752 · asin(√(sin²(Δlat/2) + cos lat_i cos lat_j sin²(Δlon/2))) <= c km. fixest converts the
 * cut-off to radians with π ≈ 3.14159; we do the same so that border pairs agree.
 *
 * Pairs are found through a latitude-band grid with longitude-sorted bands (no n x n loop).
 */
import { sandwich } from './vcov-kernels.js';

const FIXEST_PI = 3.14159;
const KM_PER_DEGREE = 111;

export interface ConleySpace {
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly cutoff: number;
  readonly distance: 'triangular' | 'spherical';
  readonly kernel: 'uniform' | 'bartlett';
}

export function vcovConley(args: ConleySpace & { bread: Float64Array; scores: readonly Float64Array[] }): Float64Array {
  return sandwich(args.bread, conleySpatialMeat(args, args.scores), args.scores.length);
}

/** The spatial meat (k x k row-major) of the scores under the rule above; adds into `into` when given. */
export function conleySpatialMeat(space: ConleySpace, scores: readonly Float64Array[], into?: Float64Array): Float64Array {
  const { cutoff } = space;
  const k = scores.length;
  const loc = aggregateByLocation(space.lat, space.lon, scores);
  const { m, latR, lonR, s } = loc;
  const cosLat = Float64Array.from(latR, Math.cos);
  const latCut = ((cutoff / KM_PER_DEGREE) * FIXEST_PI) / 180;
  const latCutSq = latCut * latCut;
  const meat = into ?? new Float64Array(k * k);
  // self pairs
  for (let i = 0; i < m; i++) addOuter(meat, s, k, i, i, 1);
  // pairs i < j: accumulate w s_i s_j' once, add its transpose at the end
  const half = new Float64Array(k * k);
  forEachPair(latR, lonR, latCut, (i, j, dLat, dLon) => {
    const cosMean = Math.cos((latR[i]! + latR[j]!) / 2);
    if (dLon > latCut / cosMean) return;
    let dKm: number;
    if (space.distance === 'spherical') {
      const a = Math.sin(dLat / 2) ** 2 + cosLat[i]! * cosLat[j]! * Math.sin(dLon / 2) ** 2;
      dKm = 12752 * Math.asin(Math.min(1, Math.sqrt(a)));
      if (!(dKm <= cutoff)) return;
    } else {
      const d2 = dLat * dLat + (cosMean * dLon) ** 2;
      if (!(d2 <= latCutSq)) return;
      dKm = Math.sqrt(d2 / latCutSq) * cutoff;
    }
    const w = space.kernel === 'bartlett' ? 1 - dKm / cutoff : 1;
    if (w > 0) addOuter(half, s, k, i, j, w);
  });
  for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) meat[p * k + q]! += half[p * k + q]! + half[q * k + p]!;
  return meat;
}

/** Number of distinct location pairs i < j within the cut-off (for checks against the reference). */
export function conleyPairCount(lat: Float64Array, lon: Float64Array, cutoff: number, distance: 'triangular' | 'spherical'): number {
  const loc = aggregateByLocation(lat, lon, []);
  const { latR, lonR } = loc;
  const latCut = ((cutoff / KM_PER_DEGREE) * FIXEST_PI) / 180;
  let count = 0;
  forEachPair(latR, lonR, latCut, (i, j, dLat, dLon) => {
    const cosMean = Math.cos((latR[i]! + latR[j]!) / 2);
    if (dLon > latCut / cosMean) return;
    if (distance === 'spherical') {
      const a = Math.sin(dLat / 2) ** 2 + Math.cos(latR[i]!) * Math.cos(latR[j]!) * Math.sin(dLon / 2) ** 2;
      if (12752 * Math.asin(Math.min(1, Math.sqrt(a))) <= cutoff) count++;
    } else if (dLat * dLat + (cosMean * dLon) ** 2 <= latCut * latCut) count++;
  });
  return count;
}

function aggregateByLocation(lat: Float64Array, lon: Float64Array, scores: readonly Float64Array[]) {
  const n = lat.length;
  const k = scores.length;
  const index = new Map<string, number>();
  const code = new Int32Array(n);
  const latD: number[] = [];
  const lonD: number[] = [];
  for (let i = 0; i < n; i++) {
    const la = lat[i]!;
    const lo = lon[i]!;
    if (!(Math.abs(la) <= 90) || !(lo >= -360 && lo <= 360)) throw new Error(`vcov conley: coordinates out of range at row ${i} (lat ${la}, lon ${lo})`);
    const key = `${la},${lo}`;
    let g = index.get(key);
    if (g === undefined) {
      g = index.size;
      index.set(key, g);
      latD.push(la);
      lonD.push(lo > 180 ? lo - 360 : lo < -180 ? lo + 360 : lo);
    }
    code[i] = g;
  }
  const m = index.size;
  const s = new Float64Array(m * k);
  for (let p = 0; p < k; p++) {
    const col = scores[p]!;
    for (let i = 0; i < n; i++) s[code[i]! * k + p]! += col[i]!;
  }
  const rad = Math.PI / 180;
  return { m, latR: Float64Array.from(latD, (x) => x * rad), lonR: Float64Array.from(lonD, (x) => x * rad), s };
}

/** Longitude gap in radians, wrapping at ±180 degrees as fixest (with its π ≈ 3.14159). */
function lonGap(a: number, b: number): number {
  const d = Math.abs(a - b);
  return d < FIXEST_PI ? d : 2 * FIXEST_PI - d;
}

/**
 * Calls f(i, j, |Δlat|, |Δlon|) for every pair i < j with |Δlat| <= latCut and a longitude gap
 * small enough to pass some pair's longitude bound. Latitude bands of height latCut; each band
 * sorted by longitude and scanned within the widest longitude bound of the band pair.
 */
function forEachPair(latR: Float64Array, lonR: Float64Array, latCut: number, f: (i: number, j: number, dLat: number, dLon: number) => void): void {
  const m = latR.length;
  if (m < 2) return;
  const band = Int32Array.from(latR, (x) => Math.floor((x + Math.PI / 2) / latCut));
  const bands = new Map<number, number[]>();
  for (let i = 0; i < m; i++) {
    let list = bands.get(band[i]!);
    if (!list) bands.set(band[i]!, (list = []));
    list.push(i);
  }
  const sorted = new Map<number, { idx: Int32Array; lon: Float64Array; maxAbsLat: number }>();
  for (const [b, list] of bands) {
    list.sort((p, q) => lonR[p]! - lonR[q]!);
    let maxAbs = 0;
    for (const i of list) maxAbs = Math.max(maxAbs, Math.abs(latR[i]!));
    sorted.set(b, { idx: Int32Array.from(list), lon: Float64Array.from(list, (i) => lonR[i]!), maxAbsLat: maxAbs });
  }
  for (const [b, own] of sorted) {
    for (const nb of [b, b + 1]) {
      const other = sorted.get(nb);
      if (!other) continue;
      // mean latitude of a pair is at most the larger |lat| of the two bands (plus nothing: the mean lies between)
      const maxAbs = Math.max(own.maxAbsLat, other.maxAbsLat);
      const cosMin = Math.cos(maxAbs);
      const lonBound = cosMin > 1e-12 ? latCut / cosMin : Infinity;
      for (let a = 0; a < own.idx.length; a++) {
        const i = own.idx[a]!;
        const visit = (j: number) => {
          if (nb === b && j <= i) return;
          const dLat = Math.abs(latR[j]! - latR[i]!);
          if (dLat > latCut) return;
          const dLon = lonGap(lonR[i]!, lonR[j]!);
          if (dLon > lonBound) return;
          if (i < j) f(i, j, dLat, dLon);
          else f(j, i, dLat, dLon);
        };
        if (lonBound >= Math.PI) {
          for (let c = 0; c < other.idx.length; c++) visit(other.idx[c]!);
          continue;
        }
        const lo = lonR[i]! - lonBound;
        const hi = lonR[i]! + lonBound;
        scanRange(other, lo, hi, visit);
        if (lo < -Math.PI) scanRange(other, lo + 2 * Math.PI, Math.PI, visit);
        if (hi > Math.PI) scanRange(other, -Math.PI, hi - 2 * Math.PI, visit);
      }
    }
  }
}

function scanRange(band: { idx: Int32Array; lon: Float64Array }, lo: number, hi: number, visit: (j: number) => void): void {
  const lon = band.lon;
  // first position with lon >= lo (slack for the π ≈ 3.14159 wrap)
  let a = 0;
  let b = lon.length;
  const lo2 = lo - 1e-5;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (lon[mid]! < lo2) a = mid + 1;
    else b = mid;
  }
  for (let c = a; c < lon.length && lon[c]! <= hi + 1e-5; c++) visit(band.idx[c]!);
}

function addOuter(meat: Float64Array, s: Float64Array, k: number, i: number, j: number, w: number): void {
  for (let p = 0; p < k; p++) {
    const sp = s[i * k + p]! * w;
    if (sp === 0) continue;
    for (let q = 0; q < k; q++) meat[p * k + q]! += sp * s[j * k + q]!;
  }
}
