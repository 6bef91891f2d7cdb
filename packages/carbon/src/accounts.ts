import type { Codes } from '@panel-lab/panel';
import { heatCo2PerGj, seed000Defaults, type Seed000Coefficients } from './coefficients.js';
import { directCo2, electricityCo2, heatCo2, transportCo2, type TransportIntensity } from './components.js';
import {
  loadGridFactorTable,
  resolveGridFactor,
  type GridFactorTable,
  type MissingYearPolicy,
  type ResolvedGridFactor,
} from './grid-factors.js';

/** Activity data per city-year, in City Statistical Yearbook units. */
export interface ActivityColumns {
  /** Grid region of each row as integer codes into levels (e.g. PanelFrame.codes('grid_region')). */
  readonly gridRegion: Codes;
  readonly year: Float64Array;
  /** Whole-society, industrial and residential electricity use, 10^4 kWh. */
  readonly electricityTotal: Float64Array;
  readonly electricityIndustrial: Float64Array;
  readonly electricityResidential: Float64Array;
  /** Heat supplied, 10^4 GJ (0 where there is no district heating). */
  readonly heat: Float64Array;
  /** Passenger turnover 10^8 pkm, freight turnover 10^8 tkm. */
  readonly passengerTurnover: Float64Array;
  readonly freightTurnover: Float64Array;
  /** Town gas (coal gas) 10^4 m3, LPG t; natural gas 10^4 m3 (counted only with directIncludesNaturalGas). */
  readonly townGas: Float64Array;
  readonly lpg: Float64Array;
  readonly naturalGas?: Float64Array;
}

export interface AccountingOptions {
  /** Grid-factor series (default: OM, edition year, recalled values filling the gaps). */
  readonly factors?: GridFactorTable;
  /** Policy for (region, year) without a factor (default 'error', METHODS §1.1). */
  readonly missingYear?: MissingYearPolicy;
  /** Use the factor of this one year for every year (METHODS ef_year_mode = fixed_year). */
  readonly fixedYear?: number;
  readonly coefficients?: Partial<Seed000Coefficients>;
  /** Transport energy intensities: not in the public data, so the caller must say (user-supplied or derived). */
  readonly transport: TransportIntensity;
  /** Count natural gas as direct energy (default false: the seed counts town gas and LPG). */
  readonly directIncludesNaturalGas?: boolean;
}

/** Output columns of the seed-000 accounting. */
export const CARBON_COLUMNS = {
  electricity: 'co2_elec',
  industrial: 'co2_elec_ind',
  residential: 'co2_elec_res',
  heat: 'co2_heat',
  transport: 'co2_transport',
  direct: 'co2_direct',
  total: 'co2_total',
  shareElectricity: 'share_elec',
  shareHeat: 'share_heat',
  shareTransport: 'share_transport',
  shareDirect: 'share_direct',
  gridFactor: 'grid_factor',
} as const;
export type CarbonColumn = (typeof CARBON_COLUMNS)[keyof typeof CARBON_COLUMNS];

/** Weakest status among the factors used: verified < transcribed < unverified. */
export type FactorStatus = 'verified' | 'transcribed' | 'unverified';

export interface CarbonAccounts {
  readonly columns: Readonly<Record<CarbonColumn, Float64Array>>;
  /** Unit of every output column. */
  readonly units: Readonly<Record<CarbonColumn, string>>;
  readonly meta: {
    readonly method: 'seed000 (METHODS §1)';
    readonly margin: string;
    readonly yearMode: string;
    readonly missingYear: MissingYearPolicy;
    readonly fixedYear: number | null;
    readonly factorStatus: FactorStatus;
    /** Every (region, year) factor used, with how it was obtained and its source status. */
    readonly factorsUsed: readonly ResolvedGridFactor[];
    readonly coefficients: Seed000Coefficients;
    readonly heatCo2PerGj: number;
    readonly transport: TransportIntensity;
    readonly transportStatus: 'UNVERIFIED reconstruction (METHODS §1.3)';
    readonly directIncludesNaturalGas: boolean;
    /** Rows whose total is missing because an input was missing (nothing is dropped). */
    readonly missingTotalRows: number;
  };
}

const UNITS: Record<CarbonColumn, string> = {
  co2_elec: '10^4 t CO2',
  co2_elec_ind: '10^4 t CO2',
  co2_elec_res: '10^4 t CO2',
  co2_heat: '10^4 t CO2',
  co2_transport: '10^4 t CO2',
  co2_direct: '10^4 t CO2',
  co2_total: '10^4 t CO2',
  share_elec: 'fraction of co2_total',
  share_heat: 'fraction of co2_total',
  share_transport: 'fraction of co2_total',
  share_direct: 'fraction of co2_total',
  grid_factor: 'tCO2/MWh',
};

function statusRank(status: string): FactorStatus {
  const s = status.toLowerCase();
  if (s.includes('recalled') || s.includes('missing') || s.includes('unverified')) return 'unverified';
  if (s.split(/[+/]/).every((part) => part === 'verified')) return 'verified';
  return 'transcribed';
}

/** City carbon accounting of seed 000: electricity (3 uses), heat, transport, direct energy, total and shares. */
export function cityCarbonAccounts(input: ActivityColumns, options: AccountingOptions): CarbonAccounts {
  const n = input.year.length;
  const named: Record<string, ArrayLike<number>> = { ...input, gridRegion: input.gridRegion.codes };
  for (const [name, col] of Object.entries(named)) {
    if (col.length !== n) throw new Error(`carbon accounting: column '${name}' has ${col.length} rows, expected ${n}`);
  }
  if (!options.transport) throw new Error('carbon accounting: option transport (energy intensities) is required; they are missing from the public data');
  const factors = options.factors ?? loadGridFactorTable();
  const missingYear = options.missingYear ?? 'error';
  const coefficients: Seed000Coefficients = Object.freeze({ ...seed000Defaults(), ...options.coefficients });
  const includeNg = options.directIncludesNaturalGas ?? false;
  if (includeNg && !input.naturalGas) throw new Error('carbon accounting: directIncludesNaturalGas is set but column naturalGas is missing');

  // Resolve each (region, year) once; rows then read the factor from a small cache.
  const { codes, levels } = input.gridRegion;
  const cache = new Map<number, ResolvedGridFactor>();
  const factorCol = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const code = codes[i]!;
    if (code < 0) throw new Error(`carbon accounting: row ${i} has no grid region`);
    const year = input.year[i]!;
    const factorYear = options.fixedYear ?? year;
    const key = code * 10000 + factorYear;
    let f = cache.get(key);
    if (!f) {
      f = resolveGridFactor(factors, levels[code]!, factorYear, missingYear);
      cache.set(key, f);
    }
    factorCol[i] = f.value;
  }
  const factorsUsed = [...cache.values()].sort((a, b) => a.region.localeCompare(b.region) || a.year - b.year);
  const ranks: FactorStatus[] = factorsUsed.map((f) => statusRank(f.status));
  const factorStatus: FactorStatus = ranks.includes('unverified') ? 'unverified' : ranks.includes('transcribed') ? 'transcribed' : 'verified';

  const perGj = heatCo2PerGj(coefficients);
  const elec = electricityCo2(input.electricityTotal, factorCol);
  const heat = heatCo2(input.heat, perGj);
  const transport = transportCo2(input.passengerTurnover, input.freightTurnover, options.transport, coefficients.transportCo2PerTce);
  const direct = directCo2(input.townGas, input.lpg, coefficients, includeNg ? input.naturalGas : undefined);
  const total = new Float64Array(n);
  const shares = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)] as const;
  let missingTotalRows = 0;
  for (let i = 0; i < n; i++) {
    const t = elec[i]! + heat[i]! + transport[i]! + direct[i]!;
    total[i] = t;
    if (Number.isNaN(t)) missingTotalRows++;
    shares[0][i] = elec[i]! / t;
    shares[1][i] = heat[i]! / t;
    shares[2][i] = transport[i]! / t;
    shares[3][i] = direct[i]! / t;
  }
  const columns: Record<CarbonColumn, Float64Array> = {
    co2_elec: elec,
    co2_elec_ind: electricityCo2(input.electricityIndustrial, factorCol),
    co2_elec_res: electricityCo2(input.electricityResidential, factorCol),
    co2_heat: heat,
    co2_transport: transport,
    co2_direct: direct,
    co2_total: total,
    share_elec: shares[0],
    share_heat: shares[1],
    share_transport: shares[2],
    share_direct: shares[3],
    grid_factor: factorCol,
  };
  return Object.freeze({
    columns: Object.freeze(columns),
    units: Object.freeze({ ...UNITS }),
    meta: Object.freeze({
      method: 'seed000 (METHODS §1)' as const,
      margin: factors.margin,
      yearMode: factors.yearMode,
      missingYear,
      fixedYear: options.fixedYear ?? null,
      factorStatus,
      factorsUsed: Object.freeze(factorsUsed),
      coefficients,
      heatCo2PerGj: perGj,
      transport: options.transport,
      transportStatus: 'UNVERIFIED reconstruction (METHODS §1.3)' as const,
      directIncludesNaturalGas: includeNg,
      missingTotalRows,
    }),
  });
}

/** ln of a column for the log models: non-positive values become NaN and are counted (METHODS §0). */
export function logColumn(values: Float64Array): { readonly values: Float64Array; readonly nonPositive: number } {
  const out = new Float64Array(values.length);
  let nonPositive = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > 0) out[i] = Math.log(v);
    else {
      out[i] = Number.NaN;
      if (!Number.isNaN(v)) nonPositive++;
    }
  }
  return { values: out, nonPositive };
}
