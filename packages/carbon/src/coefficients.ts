import { readDataCsv } from './csv.js';

export interface EmissionCoefficient {
  readonly item: string;
  readonly parameter: string;
  readonly value: number;
  readonly unit: string;
  readonly status: string;
}

/** All numeric rows of emission_coefficients.csv (ranges and blanks are left out: they are not usable numbers). */
export function loadEmissionCoefficients(): readonly EmissionCoefficient[] {
  const table = readDataCsv('emission_coefficients.csv');
  const out: EmissionCoefficient[] = [];
  for (const row of table.rows) {
    const value = Number(row['value']);
    if ((row['value'] ?? '').trim() === '' || !Number.isFinite(value)) continue;
    out.push(Object.freeze({ item: row['item'] ?? '', parameter: row['parameter'] ?? '', value, unit: row['unit'] ?? '', status: row['status'] ?? '' }));
  }
  return Object.freeze(out);
}

/** One coefficient by item and parameter prefix; the error lists what the item has. */
export function coefficient(table: readonly EmissionCoefficient[], item: string, parameter: string): EmissionCoefficient {
  const hit = table.find((c) => c.item === item && c.parameter.startsWith(parameter));
  if (!hit) {
    const have = table.filter((c) => c.item === item).map((c) => c.parameter);
    throw new Error(`emission coefficient '${item}' / '${parameter}' not found; '${item}' has: ${have.join('; ') || 'no rows'}`);
  }
  return hit;
}

/** Parameters of the seed-000 accounting (METHODS §1), each overridable. */
export interface Seed000Coefficients {
  /** Boiler thermal efficiency (fraction). */
  readonly boilerEfficiency: number;
  /** Raw-coal net calorific value, kJ/kg. */
  readonly rawCoalNcvKjPerKg: number;
  /** kgce per kg raw coal. */
  readonly rawCoalKgcePerKg: number;
  /** tCO2 per tce. */
  readonly co2PerTce: number;
  /** kgCO2 per m3 of town gas (coal gas). */
  readonly townGasKgPerM3: number;
  /** kgCO2 per kg of LPG. */
  readonly lpgKgPerKg: number;
  /** kgCO2 per m3 of natural gas (used only when natural gas is counted as direct energy). */
  readonly naturalGasKgPerM3: number;
  /** tCO2 per tce of transport energy (diesel-like; METHODS §1.3, UNVERIFIED reconstruction). */
  readonly transportCo2PerTce: number;
}

/** Parameters of the seed-002 accounting (METHODS §16), seed constants by default. */
export interface Seed002Coefficients {
  readonly naturalGasKgPerM3: number;
  readonly lpgKgPerKg: number;
  readonly electricityKgPerKwh: number;
}

/** Seed-000 defaults read from the bundled table (transport EF 2.17 = IPCC diesel 74.1 kg/GJ x 29.307 GJ/tce, METHODS §1.3). */
export function seed000Defaults(table = loadEmissionCoefficients()): Seed000Coefficients {
  const dieselIpcc = coefficient(table, 'diesel', 'IPCC 2006 default CO2 EF').value; // kgCO2/TJ
  const tceGj = coefficient(table, 'standard coal', 'net calorific value').value / 1e3; // GJ per tce
  return Object.freeze({
    boilerEfficiency: coefficient(table, 'heat supply (seed 000 method)', 'coal-fired boiler thermal efficiency').value,
    rawCoalNcvKjPerKg: coefficient(table, 'raw coal', 'net calorific value').value,
    rawCoalKgcePerKg: coefficient(table, 'raw coal', 'standard-coal conversion').value,
    co2PerTce: coefficient(table, 'standard coal', 'CO2 per tce (IPCC').value,
    townGasKgPerM3: coefficient(table, 'town gas (coal gas)', 'CO2 coefficient').value,
    lpgKgPerKg: coefficient(table, 'LPG', 'CO2 coefficient (China guideline)').value,
    naturalGasKgPerM3: coefficient(table, 'natural gas (oil-field)', 'CO2 coefficient (China guideline)').value,
    transportCo2PerTce: Math.round(((dieselIpcc / 1e6) * tceGj) * 1e4) / 1e4,
  });
}

export function seed002Defaults(table = loadEmissionCoefficients()): Seed002Coefficients {
  return Object.freeze({
    naturalGasKgPerM3: coefficient(table, 'natural gas', 'CO2 coefficient (seed 002)').value,
    lpgKgPerKg: coefficient(table, 'LPG', 'CO2 coefficient (seed 002)').value,
    electricityKgPerKwh: coefficient(table, 'electricity (coal power)', 'CO2 coefficient (seed 002)').value,
  });
}

/** tCO2 per GJ of heat supplied: 1 GJ / (eta x NCV) kg coal x kgce/kg / 1000 x tCO2/tce. */
export function heatCo2PerGj(c: Pick<Seed000Coefficients, 'boilerEfficiency' | 'rawCoalNcvKjPerKg' | 'rawCoalKgcePerKg' | 'co2PerTce'>): number {
  const rawCoalKg = 1e6 / (c.boilerEfficiency * c.rawCoalNcvKjPerKg);
  return ((rawCoalKg * c.rawCoalKgcePerKg) / 1000) * c.co2PerTce;
}
