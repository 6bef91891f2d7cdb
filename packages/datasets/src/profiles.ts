import { sampleWithoutReplacement, type Rng } from '@panel-lab/compute';
import type { Codes } from '@panel-lab/panel';
import { defaultPanelCities, PILOT_TYPES, type CityFact } from './facts.js';

/** Time-invariant facts of the n generated cities (real cities first, then jittered replicas). */
export interface CityProfiles {
  readonly n: number;
  readonly code: Float64Array;
  /** city_code of the real city whose facts this city carries. */
  readonly profileCode: Float64Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly province: Codes;
  readonly region: Codes;
  readonly gridRegion: Codes;
  readonly adminRank: Codes;
  /** 'super-large' / 'mega' from the facts, '' to be filled from generated population. */
  readonly factSizeClass: readonly string[];
  /** 1 for provincial capitals, sub-provincial cities and municipalities (seed 002 first tier). */
  readonly firstTier: Float64Array;
  /** 1 for municipalities and sub-provincial cities: the largest economies. */
  readonly topTier: Float64Array;
  readonly bigdataYear: Int32Array;
  /** Index into PILOT_TYPES, -1 = not a pilot city. */
  readonly pilotType: Int32Array;
  readonly broadbandYear: Int32Array;
  readonly cleanEnergyYear: Int32Array;
  readonly digitalPilotYear: Int32Array;
  readonly replicated: boolean;
}

/** Replica jitter of coordinates (degrees, about 25 km), so ring exposure stays local. */
const COORD_JITTER_DEG = 0.25;

function encode(values: readonly string[]): Codes {
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  values.forEach((v, i) => {
    let c = index.get(v);
    if (c === undefined) index.set(v, (c = index.size));
    codes[i] = c;
  });
  return { codes, levels: [...index.keys()] };
}

/** Picks the cities: all 286 real ones (or a seeded sample when fewer), then replicas round-robin. */
export function buildProfiles(nCities: number, rng: Rng): CityProfiles {
  if (!Number.isInteger(nCities) || nCities < 2) throw new Error(`option cities must be an integer >= 2, got ${nCities}`);
  const real = defaultPanelCities();
  let chosen: CityFact[];
  if (nCities <= real.length) {
    const idx = nCities === real.length ? real.map((_, i) => i) : Array.from(sampleWithoutReplacement(rng, real.length, nCities)).sort((a, b) => a - b);
    chosen = idx.map((i) => real[i]!);
  } else {
    chosen = Array.from({ length: nCities }, (_, r) => real[r % real.length]!);
  }
  const n = chosen.length;
  const code = new Float64Array(n);
  const profileCode = new Float64Array(n);
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const firstTier = new Float64Array(n);
  const topTier = new Float64Array(n);
  const bigdataYear = new Int32Array(n);
  const pilotType = new Int32Array(n);
  const broadbandYear = new Int32Array(n);
  const cleanEnergyYear = new Int32Array(n);
  const digitalPilotYear = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = chosen[i]!;
    const copy = nCities <= real.length ? 0 : Math.floor(i / real.length);
    code[i] = copy === 0 ? c.cityCode : c.cityCode * 1000 + copy;
    profileCode[i] = c.cityCode;
    lat[i] = copy === 0 ? c.lat : c.lat + COORD_JITTER_DEG * rng.normal();
    lon[i] = copy === 0 ? c.lon : c.lon + COORD_JITTER_DEG * rng.normal();
    firstTier[i] = c.adminRank === 'prefecture' ? 0 : 1;
    topTier[i] = c.adminRank === 'municipality' || c.adminRank === 'sub-provincial' ? 1 : 0;
    bigdataYear[i] = c.bigdataYear;
    pilotType[i] = c.pilotType === null ? -1 : PILOT_TYPES.indexOf(c.pilotType);
    broadbandYear[i] = c.broadbandYear;
    cleanEnergyYear[i] = c.cleanEnergyYear;
    digitalPilotYear[i] = c.digitalPilotYear;
  }
  return {
    n,
    code,
    profileCode,
    lat,
    lon,
    province: encode(chosen.map((c) => c.province)),
    region: encode(chosen.map((c) => c.region)),
    gridRegion: encode(chosen.map((c) => c.gridRegion ?? '')),
    adminRank: encode(chosen.map((c) => c.adminRank)),
    factSizeClass: chosen.map((c) => c.sizeClass),
    firstTier,
    topTier,
    bigdataYear,
    pilotType,
    broadbandYear,
    cleanEnergyYear,
    digitalPilotYear,
    replicated: nCities > real.length,
  };
}
