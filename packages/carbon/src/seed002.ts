import type { Seed002Coefficients } from './coefficients.js';

/** Seed-002 outputs (METHODS §16): total [10^4 t], intensity [10^4 t per 10^8 yuan], per capita [10^4 t per 10^4 persons = t/person]. */
export interface Seed002Emissions {
  readonly total: Float64Array;
  readonly intensity: Float64Array;
  readonly perCapita: Float64Array;
}

/**
 * C [kg] = NG [m3] x 2.1622 + LPG [kg] x 3.1031 + electricity [kWh] x 1.3023 (seed constants by
 * default). Inputs: natural gas 10^4 m3, LPG t, electricity 10^4 kWh, GDP 10^8 yuan, population 10^4.
 */
export function seed002Emissions(
  input: {
    naturalGas10kM3: Float64Array;
    lpgTonnes: Float64Array;
    electricity10kKwh: Float64Array;
    gdp1e8Yuan: Float64Array;
    population10k: Float64Array;
  },
  c: Seed002Coefficients,
): Seed002Emissions {
  const n = input.naturalGas10kM3.length;
  for (const [name, col] of Object.entries(input)) {
    if (col.length !== n) throw new Error(`seed-002 accounting: column '${name}' has ${col.length} rows, expected ${n}`);
  }
  const total = new Float64Array(n);
  const intensity = new Float64Array(n);
  const perCapita = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // kg -> 10^4 t is / 1e7; 10^4 m3 and 10^4 kWh are x 1e4; t of LPG is x 1e3 kg.
    const kg =
      input.naturalGas10kM3[i]! * 1e4 * c.naturalGasKgPerM3 +
      input.lpgTonnes[i]! * 1e3 * c.lpgKgPerKg +
      input.electricity10kKwh[i]! * 1e4 * c.electricityKgPerKwh;
    const t = kg / 1e7;
    total[i] = t;
    intensity[i] = t / input.gdp1e8Yuan[i]!;
    perCapita[i] = t / input.population10k[i]!;
  }
  return { total, intensity, perCapita };
}
