import { seed002Defaults } from '@panel-lab/carbon';
import { DEFAULT_TRUE_EFFECTS, RESPONSE_CENTRES, deResponse, type TrueEffects } from './effects.js';
import { PILOT_TYPES, type PilotType } from './facts.js';

/** Outcomes the big-data pilot moves, and those it leaves alone (true effect exactly 0). */
export const AFFECTED_OUTCOMES = ['ln_co2_elec_ind', 'ln_co2_elec', 'ln_co2_total'] as const;
export const UNAFFECTED_OUTCOMES = ['ln_co2_heat', 'ln_co2_transport', 'ln_co2_direct', 'ln_co2_elec_res'] as const;
export type AffectedOutcome = (typeof AFFECTED_OUTCOMES)[number];

/** Per-row true effects on the log scale: `own` = of the city's own treatment (holding its exposure), `all` = own + spillovers. */
export interface RowEffects {
  readonly own: Readonly<Record<AffectedOutcome, Float64Array>>;
  readonly all: Readonly<Record<AffectedOutcome, Float64Array>>;
}

export interface GroundTruth {
  readonly outcomes: { readonly affected: readonly string[]; readonly unaffected: readonly string[] };
  readonly effects: TrueEffects;
  /** ATT(g,t): mean own effect over cohort g's cities in year t (0 before g: no anticipation). */
  readonly attGt: readonly { outcome: AffectedOutcome; cohort: number; year: number; eventTime: number; att: number; cities: number }[];
  /** Dynamic ATT by event time, cities weighted equally (CS 'dynamic' aggregation with group-size weights). */
  readonly eventStudy: readonly { outcome: AffectedOutcome; eventTime: number; att: number; cities: number }[];
  /** Average own effect over all treated city-years (D = 1). */
  readonly att: Readonly<Record<AffectedOutcome, number>>;
  readonly attByCohort: readonly { outcome: AffectedOutcome; cohort: number; att: number; cities: number }[];
  readonly attByPilotType: readonly { outcome: AffectedOutcome; pilotType: PilotType; att: number; cities: number }[];
  readonly attByInnov: readonly { outcome: AffectedOutcome; innovHigh: 0 | 1; att: number }[];
  readonly attByEco: readonly { outcome: AffectedOutcome; ecoHigh: 0 | 1; att: number }[];
  readonly spillover: {
    readonly ringsKm: readonly number[];
    /** Additive spillover per ring on ln industrial-electricity CO2 (rings add up; seed definition). */
    readonly lnElecInd: readonly number[];
    /** Mean spillover (log scale) among untreated city-years exposed to at least one ring. */
    readonly meanOnExposedUntreated: Readonly<Record<AffectedOutcome, number>>;
    readonly exposedUntreatedRows: number;
  };
  /** Mediation on ln_co2_elec_ind: ATT = direct + sum of indirect (a x b x ramp), exactly. */
  readonly mediation: {
    readonly mediators: readonly { name: string; column: string; a: number; b: number; indirectFullRamp: number }[];
    readonly att: { readonly direct: number; readonly indirect: Readonly<Record<string, number>>; readonly total: number };
  };
  readonly response: {
    readonly definition: string;
    readonly params: TrueEffects['response'];
    readonly centres: typeof RESPONSE_CENTRES;
    /** Grid of the DE index (1st to 99th percentile of de_index, 50 points). */
    readonly grid: readonly number[];
    /** Partial dependence of each seed-002 outcome: mean over rows with de_index set to the grid value. */
    readonly partialDependence: Readonly<Record<'co2_002_total' | 'co2_002_intensity' | 'co2_002_pc', readonly number[]>>;
    readonly rowsUsed: number;
  };
}

export interface TruthInput {
  effects: TrueEffects;
  T: number;
  firstYear: number;
  bigdataYear: Int32Array;
  pilotType: Int32Array;
  innovHigh: Uint8Array;
  ecoHigh: Uint8Array;
  rowEffects: RowEffects;
  directLnInd: Float64Array;
  indirect: Record<'patents' | 'postal' | 'digital', Float64Array>;
  ring: readonly Float64Array[];
  treated: Float64Array;
  response: {
    deIndex: Float64Array;
    responseNow: Float64Array;
    eInd: Float64Array;
    elecTotal: Float64Array;
    naturalGas: Float64Array;
    lpg: Float64Array;
    gdp: Float64Array;
    pop: Float64Array;
    cond: { gdpPc: Float64Array; fdiPc: Float64Array; techAttention: Float64Array; innovation: Float64Array };
  };
}

const MAX_PD_ROWS = 50_000;

class Mean {
  sum = 0;
  count = 0;
  add(v: number): void {
    this.sum += v;
    this.count++;
  }
  get value(): number {
    return this.count ? this.sum / this.count : Number.NaN;
  }
}

function meanMap<K>(): { get(k: K): Mean; entries(): [K, Mean][] } {
  const map = new Map<string, [K, Mean]>();
  return {
    get(k: K) {
      const key = Array.isArray(k) ? k.join('|') : String(k);
      let v = map.get(key);
      if (!v) map.set(key, (v = [k, new Mean()]));
      return v[1];
    },
    entries: () => [...map.values()],
  };
}

export function computeTruth(x: TruthInput): GroundTruth {
  const n = x.bigdataYear.length;
  const { T, firstYear } = x;
  const cohorts = [...new Set(Array.from(x.bigdataYear).filter((g) => g > 0))].sort((a, b) => a - b);
  const attGt: GroundTruth['attGt'][number][] = [];
  const eventStudy = meanMap<[AffectedOutcome, number]>();
  const byCohort = meanMap<[AffectedOutcome, number]>();
  const byType = meanMap<[AffectedOutcome, number]>();
  const byInnov = meanMap<[AffectedOutcome, number]>();
  const byEco = meanMap<[AffectedOutcome, number]>();
  const att = meanMap<AffectedOutcome>();
  const citiesPerCohort = new Map<number, number>();
  const citiesPerType = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const g = x.bigdataYear[i]!;
    if (g <= 0) continue;
    citiesPerCohort.set(g, (citiesPerCohort.get(g) ?? 0) + 1);
    citiesPerType.set(x.pilotType[i]!, (citiesPerType.get(x.pilotType[i]!) ?? 0) + 1);
  }
  for (const outcome of AFFECTED_OUTCOMES) {
    const own = x.rowEffects.own[outcome];
    const gt = new Map<string, Mean>();
    for (let i = 0; i < n; i++) {
      const g = x.bigdataYear[i]!;
      if (g <= 0) continue;
      for (let t = 0; t < T; t++) {
        const r = i * T + t;
        const year = firstYear + t;
        const key = `${g}|${year}`;
        let cell = gt.get(key);
        if (!cell) gt.set(key, (cell = new Mean()));
        cell.add(own[r]!);
        if (year < g) continue;
        const v = own[r]!;
        eventStudy.get([outcome, year - g]).add(v);
        byCohort.get([outcome, g]).add(v);
        byType.get([outcome, x.pilotType[i]!]).add(v);
        byInnov.get([outcome, x.innovHigh[i]!]).add(v);
        byEco.get([outcome, x.ecoHigh[i]!]).add(v);
        att.get(outcome).add(v);
      }
    }
    for (const g of cohorts) {
      for (let t = 0; t < T; t++) {
        const year = firstYear + t;
        const cell = gt.get(`${g}|${year}`)!;
        attGt.push({ outcome, cohort: g, year, eventTime: year - g, att: cell.value, cities: cell.count });
      }
    }
  }

  // spillovers on untreated exposed rows
  const spill = meanMap<AffectedOutcome>();
  let exposedUntreatedRows = 0;
  for (let r = 0; r < n * T; r++) {
    if (x.treated[r] === 1) continue;
    if (!(x.ring[0]![r] || x.ring[1]![r] || x.ring[2]![r])) continue;
    exposedUntreatedRows++;
    for (const outcome of AFFECTED_OUTCOMES) spill.get(outcome).add(x.rowEffects.all[outcome][r]!);
  }

  // mediation decomposition over treated rows
  const direct = new Mean();
  const ind = { patents: new Mean(), postal: new Mean(), digital: new Mean() };
  for (let r = 0; r < n * T; r++) {
    if (x.treated[r] !== 1) continue;
    direct.add(x.directLnInd[r]!);
    for (const k of ['patents', 'postal', 'digital'] as const) ind[k].add(x.indirect[k][r]!);
  }
  const med = x.effects.mediators;

  const toRecord = <V>(m: { entries(): [AffectedOutcome, Mean][] }) =>
    Object.fromEntries(m.entries().map(([k, v]) => [k, v.value])) as Record<AffectedOutcome, V>;
  const attRecord = toRecord<number>(att);
  const spillRecord = toRecord<number>(spill);
  for (const o of AFFECTED_OUTCOMES) {
    attRecord[o] = attRecord[o] ?? Number.NaN; // no treated city-year in the sample
    spillRecord[o] = spillRecord[o] ?? 0;
  }

  return Object.freeze({
    outcomes: { affected: [...AFFECTED_OUTCOMES], unaffected: [...UNAFFECTED_OUTCOMES] },
    effects: x.effects,
    attGt,
    eventStudy: eventStudy
      .entries()
      .map(([[outcome, eventTime], m]) => ({ outcome, eventTime, att: m.value, cities: m.count }))
      .sort((a, b) => a.outcome.localeCompare(b.outcome) || a.eventTime - b.eventTime),
    att: attRecord,
    attByCohort: byCohort.entries().map(([[outcome, cohort], m]) => ({ outcome, cohort, att: m.value, cities: citiesPerCohort.get(cohort) ?? 0 })),
    attByPilotType: byType
      .entries()
      .map(([[outcome, type], m]) => ({ outcome, pilotType: PILOT_TYPES[type]!, att: m.value, cities: citiesPerType.get(type) ?? 0 })),
    attByInnov: byInnov.entries().map(([[outcome, v], m]) => ({ outcome, innovHigh: v as 0 | 1, att: m.value })),
    attByEco: byEco.entries().map(([[outcome, v], m]) => ({ outcome, ecoHigh: v as 0 | 1, att: m.value })),
    spillover: {
      ringsKm: [0, ...x.effects.ringsKm],
      lnElecInd: [...x.effects.spillover],
      meanOnExposedUntreated: spillRecord,
      exposedUntreatedRows,
    },
    mediation: {
      mediators: [
        { name: 'patents', column: 'ln_mech_patents', a: med.patents.a, b: med.patents.b, indirectFullRamp: med.patents.a * med.patents.b },
        { name: 'postal', column: 'ln_mech_postal_pc', a: med.postal.a, b: med.postal.b, indirectFullRamp: med.postal.a * med.postal.b },
        { name: 'digital', column: 'mech_digital_transform', a: med.digital.a, b: med.digital.b, indirectFullRamp: med.digital.a * med.digital.b },
      ],
      att: {
        direct: direct.value,
        indirect: { patents: ind.patents.value, postal: ind.postal.value, digital: ind.digital.value },
        total: direct.value + ind.patents.value + ind.postal.value + ind.digital.value,
      },
    },
    response: responseTruth(x),
  });
}

function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

/** Exact partial dependence of the seed-002 outcomes on the DE index (only industrial electricity responds to it). */
function responseTruth(x: TruthInput): GroundTruth['response'] {
  const R = x.response;
  const N = R.deIndex.length;
  const sorted = Float64Array.from(R.deIndex).sort();
  const lo = quantile(sorted, 0.01);
  const hi = quantile(sorted, 0.99);
  const K = 50;
  const grid = Array.from({ length: K }, (_, k) => lo + ((hi - lo) * k) / (K - 1));
  const stride = Math.max(1, Math.ceil(N / MAX_PD_ROWS));
  const c002 = seed002Defaults();
  const pd = { co2_002_total: new Float64Array(K), co2_002_intensity: new Float64Array(K), co2_002_pc: new Float64Array(K) };
  let rows = 0;
  for (let r = 0; r < N; r += stride) {
    rows++;
    const cond = { gdpPc: R.cond.gdpPc[r]!, fdiPc: R.cond.fdiPc[r]!, techAttention: R.cond.techAttention[r]!, innovation: R.cond.innovation[r]! };
    const otherElec = R.elecTotal[r]! - R.eInd[r]!;
    const gasKg = R.naturalGas[r]! * 1e4 * c002.naturalGasKgPerM3 + R.lpg[r]! * 1e3 * c002.lpgKgPerKg;
    for (let k = 0; k < K; k++) {
      const eInd = R.eInd[r]! * Math.exp(deResponse(grid[k]!, cond, x.effects.response) - R.responseNow[r]!);
      const total = (gasKg + (otherElec + eInd) * 1e4 * c002.electricityKgPerKwh) / 1e7;
      pd.co2_002_total[k] = pd.co2_002_total[k]! + total;
      pd.co2_002_intensity[k] = pd.co2_002_intensity[k]! + total / R.gdp[r]!;
      pd.co2_002_pc[k] = pd.co2_002_pc[k]! + total / R.pop[r]!;
    }
  }
  const avg = (a: Float64Array) => Array.from(a, (v) => v / rows);
  return {
    definition:
      'ln industrial electricity = ... + g(x, z), g = linear x - quadratic exp(clip(k.z, -1.5, 1.5)) x^2, z = standardised ln(gdp_pc, fdi_pc, tech_attention, innovation); seed-002 outcomes follow through their accounting',
    params: x.effects.response ?? DEFAULT_TRUE_EFFECTS.response,
    centres: RESPONSE_CENTRES,
    grid,
    partialDependence: { co2_002_total: avg(pd.co2_002_total), co2_002_intensity: avg(pd.co2_002_intensity), co2_002_pc: avg(pd.co2_002_pc) },
    rowsUsed: rows,
  };
}
