/**
 * Spatial spillovers (Butts 2023; seed Table 10): concentric ring exposure from haversine distances
 * to treated units, and the two-stage DID whose first stage uses only rows that are neither
 * treated nor exposed (METHODS §13).
 */
import type { PanelFrame } from '@panel-lab/panel';
import { treatmentSetup, type TreatmentSetup, type TreatmentSpec } from '../treatment.js';
import { checkAlpha, clusterCodes, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';
import { controlColumns, feCodes } from './design.js';
import { EARTH_RADIUS_KM, SphereGrid } from './spatial-index.js';
import { twoStage } from './two-stage-core.js';

export type RingMode = 'any' | 'nearest' | 'butts';

export interface SpatialRingsOptions {
  readonly treatment: TreatmentSpec;
  /** Latitude and longitude columns (WGS-84 decimal degrees), constant within unit. */
  readonly lat: string;
  readonly lon: string;
  /** Ring edges in km: rings (e0, e1], (e1, e2], ... Default [0, 100, 200, 300]. */
  readonly edgesKm?: readonly number[];
  /**
   * 'any' (seed definition, default): ring k is on when some other treated unit lies in it, rings not
   * exclusive. 'nearest': only the ring of the nearest currently treated unit is on (treated rows
   * included). 'butts' (Butts 2023's main specification): mutually exclusive rings by the distance to
   * the nearest unit already treated at t, switched on only for rows not yet treated (a treated row
   * has every ring off, so the ring coefficients are spillovers onto untreated units).
   */
  readonly mode?: RingMode;
}

export interface RingCount {
  readonly ring: string;
  readonly period: number;
  readonly exposedTreated: number;
  readonly exposedUntreated: number;
}

export interface SpatialRingsResult {
  readonly kind: 'spatial_rings';
  readonly spec: { readonly edgesKm: readonly number[]; readonly mode: RingMode; readonly lat: string; readonly lon: string; readonly radiusKm: number };
  readonly ringNames: readonly string[];
  /** Per unit (in unit-code order) and ring: first exposed period ('any' mode; null in the other modes), null if never. */
  readonly firstExposure: readonly (readonly (number | null)[])[];
  readonly counts: readonly RingCount[];
  /** Unit pairs (unit, treated unit) within the outer edge that were examined. */
  readonly pairsWithinOuterEdge: number;
  readonly units: readonly string[];
  readonly meta: RobustMeta;
}

interface RingState {
  readonly result: SpatialRingsResult;
  /** Row-aligned 0/1 ring indicators. */
  readonly columns: Float64Array[];
  readonly setup: TreatmentSetup;
}

function unitCoordinates(frame: PanelFrame, setup: TreatmentSetup, latName: string, lonName: string): { lat: Float64Array; lon: Float64Array } {
  for (const c of [latName, lonName]) if (!frame.has(c)) throw new Error(`spatialRings: coordinate column '${c}' not found`);
  const latR = frame.numeric(latName);
  const lonR = frame.numeric(lonName);
  const lat = new Float64Array(setup.nUnits).fill(Number.NaN);
  const lon = new Float64Array(setup.nUnits).fill(Number.NaN);
  for (let r = 0; r < setup.nRows; r++) {
    const u = setup.rowUnit[r]!;
    const a = latR[r]!;
    const b = lonR[r]!;
    if (!(Math.abs(a) <= 90) || !(Math.abs(b) <= 180)) throw new Error(`spatialRings: invalid coordinates (${a}, ${b}) at row ${r} (unit '${setup.units[u]}')`);
    if (Number.isNaN(lat[u]!)) (lat[u] = a), (lon[u] = b);
    else if (lat[u] !== a || lon[u] !== b) throw new Error(`spatialRings: coordinates of unit '${setup.units[u]}' change between rows (row ${r})`);
  }
  return { lat, lon };
}

function buildRings(frame: PanelFrame, options: SpatialRingsOptions): RingState {
  const t0 = performance.now();
  const edges = options.edgesKm ?? [0, 100, 200, 300];
  const mode = options.mode ?? 'any';
  if (edges.length < 2 || edges.some((e, i) => i > 0 && !(e > edges[i - 1]!)) || !(edges[0]! >= 0)) {
    throw new Error(`spatialRings: option edgesKm must be increasing and non-negative with at least two edges, got [${edges.join(', ')}]`);
  }
  const K = edges.length - 1;
  const ringNames = Array.from({ length: K }, (_, k) => `ring_${edges[k]}_${edges[k + 1]}`);
  const setup = treatmentSetup(frame, options.treatment);
  const { lat, lon } = unitCoordinates(frame, setup, options.lat, options.lon);
  const G = setup.unitCohort;
  const treatedUnits: number[] = [];
  for (let u = 0; u < setup.nUnits; u++) if (Number.isFinite(G[u]!)) treatedUnits.push(u);
  const outer = edges[K]!;
  const grid = new SphereGrid(lat, lon, treatedUnits, outer);
  const bandOf = (d: number): number => {
    if (!(d > edges[0]!)) return -1;
    for (let k = 0; k < K; k++) if (d <= edges[k + 1]!) return k;
    return -1;
  };
  const periods = setup.periods;
  const nT = periods.length;
  const first: (number | null)[][] = Array.from({ length: setup.nUnits }, () => new Array<number | null>(K).fill(null));
  // nearest mode: ring per unit and period index (-1 none)
  if (mode !== 'any' && mode !== 'nearest' && mode !== 'butts') throw new Error(`spatialRings: option mode must be 'any', 'nearest' or 'butts', got '${String(mode)}'`);
  const nearest = mode !== 'any' ? new Int8Array(setup.nUnits * nT).fill(-1) : null;
  const buf = { j: [] as number[], d: [] as number[] };
  let pairs = 0;
  for (let u = 0; u < setup.nUnits; u++) {
    grid.within(u, outer, buf);
    pairs += buf.j.length;
    const f = first[u]!;
    for (let m = 0; m < buf.j.length; m++) {
      const k = bandOf(buf.d[m]!);
      if (k < 0) continue;
      const g = G[buf.j[m]!]!;
      if (f[k] === null || g < f[k]!) f[k] = g;
    }
    if (nearest) {
      const order = buf.j.map((j, m) => [buf.d[m]!, G[j]!] as const).sort((a, b) => a[0] - b[0]);
      for (let t = 0; t < nT; t++) {
        const hit = order.find(([, g]) => g <= periods[t]!);
        nearest[u * nT + t] = hit ? bandOf(hit[0]) : -1;
      }
    }
  }
  const tIndex = new Map(periods.map((p, i) => [p, i]));
  const columns = ringNames.map(() => new Float64Array(setup.nRows));
  const time = frame.numeric(frame.schema.time);
  const countT = new Int32Array(K * nT);
  const countU = new Int32Array(K * nT);
  for (let r = 0; r < setup.nRows; r++) {
    const u = setup.rowUnit[r]!;
    const ti = tIndex.get(time[r]!)!;
    for (let k = 0; k < K; k++) {
      const on = nearest ? nearest[u * nT + ti] === k && !(mode === 'butts' && setup.treated[r] === 1) : first[u]![k] !== null && time[r]! >= first[u]![k]!;
      if (!on) continue;
      columns[k]![r] = 1;
      if (setup.treated[r] === 1) countT[k * nT + ti]! += 1;
      else countU[k * nT + ti]! += 1;
    }
  }
  const counts: RingCount[] = [];
  for (let k = 0; k < K; k++) for (let t = 0; t < nT; t++) {
    counts.push(Object.freeze({ ring: ringNames[k]!, period: periods[t]!, exposedTreated: countT[k * nT + t]!, exposedUntreated: countU[k * nT + t]! }));
  }
  const result: SpatialRingsResult = Object.freeze({
    kind: 'spatial_rings' as const,
    spec: Object.freeze({ edgesKm: Object.freeze([...edges]), mode, lat: options.lat, lon: options.lon, radiusKm: EARTH_RADIUS_KM }),
    ringNames: Object.freeze(ringNames),
    firstExposure: Object.freeze(first.map((f) => Object.freeze(mode === 'any' ? f : f.map(() => null)))),
    counts: Object.freeze(counts),
    pairsWithinOuterEdge: pairs,
    units: setup.units,
    meta: robustMeta(t0),
  });
  return { result, columns, setup };
}

/** Ring exposure of every unit: first exposure period per ring and exposure counts per ring and period. */
export function spatialRings(frame: PanelFrame, options: SpatialRingsOptions): SpatialRingsResult {
  return buildRings(frame, options).result;
}

/** Row-aligned 0/1 ring indicator columns (named as ringNames), e.g. to add to a frame. */
export function ringColumns(frame: PanelFrame, options: SpatialRingsOptions): Record<string, Float64Array> {
  const s = buildRings(frame, options);
  return Object.fromEntries(s.result.ringNames.map((n, k) => [n, s.columns[k]!]));
}

export interface SpatialDidOptions extends SpatialRingsOptions {
  readonly outcome: string;
  readonly fixedEffects?: readonly string[];
  readonly controls?: readonly string[];
  /** Separate ring coefficients for treated and untreated rows (Butts). */
  readonly splitByOwnTreatment?: boolean;
  readonly cluster?: string;
  readonly alpha?: number;
}

export interface SpatialDidResult {
  readonly kind: 'spatial_did';
  readonly spec: { readonly outcome: string; readonly treatment: TreatmentSpec; readonly mode: RingMode; readonly fixedEffects: readonly string[]; readonly controls: readonly string[]; readonly splitByOwnTreatment: boolean; readonly cluster: string; readonly alpha: number };
  /** 'treat' (direct effect) then one row per ring (and per own-treatment status when split). */
  readonly coefs: readonly RobustCoef[];
  readonly vcov: readonly (readonly number[])[];
  readonly rings: SpatialRingsResult;
  readonly nobs: number;
  readonly counts: { readonly treated: number; readonly exposedUntreated: number; readonly clean: number };
  readonly drops: { readonly missing: number; readonly notIdentified: number };
  /** The ring and inference conventions, in words, for table notes. */
  readonly notes: readonly string[];
  readonly meta: RobustMeta;
}

export function spatialDid(frame: PanelFrame, options: SpatialDidOptions): SpatialDidResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const { result: rings, columns, setup } = buildRings(frame, options);
  if (!frame.has(options.outcome)) throw new Error(`spatialDid: outcome column '${options.outcome}' not found`);
  const y = frame.numeric(options.outcome);
  const n = setup.nRows;
  const clean = new Uint8Array(n);
  let nTreated = 0;
  let nExposed = 0;
  let nClean = 0;
  for (let r = 0; r < n; r++) {
    const exposed = columns.some((c) => c[r] === 1);
    if (setup.treated[r] === 1) nTreated++;
    else if (exposed) nExposed++;
    else (clean[r] = 1), nClean++;
  }
  // λ_t needs a clean row in every period
  const time = frame.numeric(frame.schema.time);
  const cleanPeriods = new Set<number>();
  for (let r = 0; r < n; r++) if (clean[r] && Number.isFinite(y[r]!)) cleanPeriods.add(time[r]!);
  const missingPeriods = setup.periods.filter((p) => !cleanPeriods.has(p));
  if (missingPeriods.length) throw new Error(`spatialDid: no observation that is neither treated nor exposed in period(s) ${missingPeriods.join(', ')}; their period effects are not identified`);
  const feNames = options.fixedEffects ?? [frame.schema.unit, frame.schema.time];
  const fe = feCodes(frame, feNames, 'spatialDid');
  const controlNames = options.controls ?? [];
  const cluster = options.cluster ?? frame.schema.unit;
  const cl = clusterCodes(frame, cluster);
  const split = options.splitByOwnTreatment ?? false;
  if (split && rings.spec.mode === 'butts') throw new Error("spatialDid: splitByOwnTreatment has no treated-row rings to split in mode 'butts' (rings are off for treated rows)");
  const x2: Float64Array[] = [setup.treated];
  const x2Names = ['treat'];
  rings.ringNames.forEach((name, k) => {
    if (!split) {
      x2.push(columns[k]!);
      x2Names.push(name);
      return;
    }
    x2.push(Float64Array.from(columns[k]!, (v, r) => v * setup.treated[r]!));
    x2Names.push(`${name}:treated`);
    x2.push(Float64Array.from(columns[k]!, (v, r) => v * (1 - setup.treated[r]!)));
    x2Names.push(`${name}:untreated`);
  });
  const out = twoStage({
    y,
    fe: fe.codes,
    feNames: fe.names,
    sizes: fe.sizes,
    controls: controlColumns(frame, controlNames, 'spatialDid controls'),
    controlNames,
    firstStage: clean,
    x2,
    x2Names,
    cluster: cl.codes,
    nClusters: cl.n,
  });
  const k = out.names.length;
  const coefs = out.names.map((name, a) => robustCoef(name, out.coef[a]!, Math.sqrt(out.vcov[a * k + a]!), { alpha }));
  const notes = [
    `Two-stage DID (Gardner; did2s with treatment = treated or exposed): first stage on the ${nClean} rows neither treated nor exposed; rings by haversine distance (R = ${EARTH_RADIUS_KM} km), mode '${rings.spec.mode}'`,
    `SEs: did2s's GMM-corrected variance clustered by ${cluster} (${out.nClustersUsed} clusters), no small-sample factor; p-values and ${100 * (1 - alpha)}% intervals from the normal distribution (did2s's own summary uses t(n - K))`,
  ];
  return Object.freeze({
    kind: 'spatial_did' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, mode: rings.spec.mode, fixedEffects: Object.freeze([...feNames]), controls: Object.freeze([...controlNames]), splitByOwnTreatment: split, cluster, alpha }),
    coefs: Object.freeze(coefs),
    vcov: Object.freeze(Array.from({ length: k }, (_, i) => Object.freeze(Array.from(out.vcov.subarray(i * k, i * k + k))))),
    rings,
    nobs: out.nobs,
    counts: Object.freeze({ treated: nTreated, exposedUntreated: nExposed, clean: nClean }),
    drops: Object.freeze(out.drops),
    notes: Object.freeze(notes),
    meta: robustMeta(t0),
  });
}
