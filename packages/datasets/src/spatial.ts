const EARTH_RADIUS_KM = 6371.0;
const RAD = Math.PI / 180;

/** Great-circle distance in km (haversine, R = 6371.0 km, METHODS §13). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * For every city and ring k, the first year a treated city other than itself lies in
 * (r_{k-1}, r_k] km (0 = never). With absorbing treatment, Ring_k,it = 1{year >= that year}.
 * Treated cities are bucketed per cohort in 1-degree cells; cohorts are scanned from the earliest,
 * and a city stops scanning as soon as every ring still open has been found (the earliest cohort
 * that reaches a ring is final), so dense replicated panels stay fast.
 */
export function ringExposureYears(
  lat: Float64Array,
  lon: Float64Array,
  treatYear: Int32Array,
  ringsKm: readonly [number, number, number],
): Int32Array[] {
  const n = lat.length;
  const out = [new Int32Array(n), new Int32Array(n), new Int32Array(n)] as const;
  const cohorts = [...new Set(treatYear)].filter((g) => g > 0).sort((a, b) => a - b);
  if (cohorts.length === 0) return [...out];
  const cellKey = (la: number, lo: number) => Math.floor(la + 90) * 1000 + Math.floor(lo + 180);
  const index = cohorts.map(() => new Map<number, number[]>());
  for (let j = 0; j < n; j++) {
    const g = treatYear[j]!;
    if (g <= 0) continue;
    const cells = index[cohorts.indexOf(g)]!;
    const key = cellKey(lat[j]!, lon[j]!);
    let list = cells.get(key);
    if (!list) cells.set(key, (list = []));
    list.push(j);
  }
  const latRad = Float64Array.from(lat, (v) => v * RAD);
  const cosLatAll = Float64Array.from(latRad, Math.cos);
  const lonRad = Float64Array.from(lon, (v) => v * RAD);
  const [r1, r2, maxKm] = ringsKm;
  // haversine: d <= r  <=>  a <= sin^2(r / 2R); compare on a, no asin/sqrt per pair
  const aOf = (km: number) => Math.sin(km / (2 * EARTH_RADIUS_KM)) ** 2;
  const a1 = aOf(r1);
  const a2 = aOf(r2);
  const a3 = aOf(maxKm);
  const dLatCells = Math.ceil(maxKm / 111) + 1;
  for (let i = 0; i < n; i++) {
    const la = lat[i]!;
    const cosLat = Math.max(Math.cos(Math.min(89, Math.abs(la) + dLatCells) * RAD), 0.05);
    const dLonCells = Math.ceil(maxKm / (111 * cosLat)) + 1;
    const baseLat = Math.floor(la + 90);
    const baseLon = Math.floor(lon[i]! + 180);
    const phi = latRad[i]!;
    const lam = lonRad[i]!;
    const cphi = cosLatAll[i]!;
    let open = 0b111;
    for (let c = 0; c < cohorts.length && open !== 0; c++) {
      const cells = index[c]!;
      const g = cohorts[c]!;
      scan: for (let a = baseLat - dLatCells; a <= baseLat + dLatCells; a++) {
        for (let b = baseLon - dLonCells; b <= baseLon + dLonCells; b++) {
          const list = cells.get(a * 1000 + b);
          if (!list) continue;
          for (let q = 0; q < list.length; q++) {
            const j = list[q]!;
            if (j === i) continue;
            const s1 = Math.sin((latRad[j]! - phi) / 2);
            const s2 = Math.sin((lonRad[j]! - lam) / 2);
            const h = s1 * s1 + cphi * cosLatAll[j]! * s2 * s2;
            if (h > a3) continue;
            const bit = h <= a1 ? 1 : h <= a2 ? 2 : 4;
            if ((open & bit) === 0) continue;
            open &= ~bit;
            out[bit === 1 ? 0 : bit === 2 ? 1 : 2][i] = g;
            if (open === 0) break scan;
          }
        }
      }
    }
  }
  return [...out];
}
