/**
 * The four seed-000 emission components as pure element-wise functions over Float64Array
 * (METHODS §1). Missing input (NaN) gives missing output. Output unit: 10^4 t CO2.
 */

/** Electricity: E [10^4 kWh] x EF [tCO2/MWh]; 10^4 kWh = 10 MWh, so 10^4 t = E x EF / 1000. */
export function electricityCo2(use10kKwh: Float64Array, factorTPerMwh: Float64Array): Float64Array {
  checkSameLength('electricity', use10kKwh, factorTPerMwh);
  const out = new Float64Array(use10kKwh.length);
  for (let i = 0; i < out.length; i++) out[i] = (use10kKwh[i]! * factorTPerMwh[i]!) / 1000;
  return out;
}

/** Heat: H [10^4 GJ] x tCO2 per GJ supplied (0.1353 with the seed defaults) gives 10^4 t. */
export function heatCo2(heat10kGj: Float64Array, co2PerGj: number): Float64Array {
  const out = new Float64Array(heat10kGj.length);
  for (let i = 0; i < out.length; i++) out[i] = heat10kGj[i]! * co2PerGj;
  return out;
}

export interface TransportIntensity {
  /** kgce per tonne-km. */
  readonly kgcePerTkm: number;
  /** kgce per passenger-km. */
  readonly kgcePerPkm: number;
  /** Where the intensities come from (user-supplied, derived from national totals, calibrated). */
  readonly source: string;
}

/**
 * METHODS §1.3: e = national transport energy / (TKM + lambda PKM); a passenger-km counts as
 * lambda tonne-km (default 0.1, our choice). UNVERIFIED reconstruction of the seed's method.
 */
export function deriveTransportIntensity(input: {
  nationalEnergyTce: number;
  nationalTkm1e8: number;
  nationalPkm1e8: number;
  lambda?: number;
}): TransportIntensity {
  const lambda = input.lambda ?? 0.1;
  for (const [name, v] of Object.entries({ ...input, lambda })) {
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`transport intensity input '${name}' must be a non-negative number, got ${v}`);
  }
  const denom = (input.nationalTkm1e8 + lambda * input.nationalPkm1e8) * 1e8;
  if (denom <= 0) throw new Error('transport intensity: national turnover (nationalTkm1e8 + lambda x nationalPkm1e8) must be positive');
  const kgcePerTkm = (input.nationalEnergyTce * 1000) / denom;
  return Object.freeze({ kgcePerTkm, kgcePerPkm: lambda * kgcePerTkm, source: `derived from national totals (lambda ${lambda})` });
}

/** Transport: (tkm x e_t + pkm x e_p) [kgce] x tCO2/tce; turnover in 10^8 units; output 10^4 t. */
export function transportCo2(
  passenger1e8Pkm: Float64Array,
  freight1e8Tkm: Float64Array,
  intensity: TransportIntensity,
  co2PerTce: number,
): Float64Array {
  checkSameLength('transport', passenger1e8Pkm, freight1e8Tkm);
  const out = new Float64Array(passenger1e8Pkm.length);
  for (let i = 0; i < out.length; i++) {
    const kgce = (freight1e8Tkm[i]! * intensity.kgcePerTkm + passenger1e8Pkm[i]! * intensity.kgcePerPkm) * 1e8;
    out[i] = ((kgce / 1000) * co2PerTce) / 1e4;
  }
  return out;
}

/**
 * Direct energy: town gas [10^4 m3] x kg/m3 + LPG [t] x kg/kg (+ natural gas [10^4 m3] x kg/m3
 * when given). kg/m3 x 10^4 m3 = 10 t per unit; kg/kg x t = t. Output 10^4 t.
 */
export function directCo2(
  townGas10kM3: Float64Array,
  lpgTonnes: Float64Array,
  c: { townGasKgPerM3: number; lpgKgPerKg: number; naturalGasKgPerM3: number },
  naturalGas10kM3?: Float64Array,
): Float64Array {
  checkSameLength('direct energy', townGas10kM3, lpgTonnes);
  if (naturalGas10kM3) checkSameLength('direct energy', townGas10kM3, naturalGas10kM3);
  const out = new Float64Array(townGas10kM3.length);
  for (let i = 0; i < out.length; i++) {
    let tonnes = townGas10kM3[i]! * 10 * c.townGasKgPerM3 + lpgTonnes[i]! * c.lpgKgPerKg;
    if (naturalGas10kM3) tonnes += naturalGas10kM3[i]! * 10 * c.naturalGasKgPerM3;
    out[i] = tonnes / 1e4;
  }
  return out;
}

function checkSameLength(what: string, a: Float64Array, b: Float64Array): void {
  if (a.length !== b.length) throw new Error(`${what}: input columns have ${a.length} and ${b.length} rows`);
}
