import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import {
  accountFrame,
  cityCarbonAccounts,
  deriveTransportIntensity,
  heatCo2PerGj,
  logColumn,
  seed000Defaults,
  seed002Defaults,
  seed002Emissions,
  type ActivityColumns,
} from '../src/index.js';

const f = (...v: number[]) => Float64Array.from(v);
const TRANSPORT = { kgcePerTkm: 0.03, kgcePerPkm: 0.003, source: 'test' };

// Two city-years: a northern city in 2016 (verified OM 1.0000) and a southern one in 2016 (0.8676).
const input: ActivityColumns = {
  gridRegion: { codes: Int32Array.from([0, 1]), levels: ['North China', 'South China'] },
  year: f(2016, 2016),
  electricityTotal: f(1_000_000, 500_000), // 10^4 kWh = 10 TWh and 5 TWh
  electricityIndustrial: f(700_000, 300_000),
  electricityResidential: f(130_000, 90_000),
  heat: f(5_000, 0), // 10^4 GJ
  passengerTurnover: f(100, 50), // 10^8 pkm
  freightTurnover: f(800, 400), // 10^8 tkm
  townGas: f(10_000, 2_000), // 10^4 m3
  lpg: f(50_000, 80_000), // t
};

describe('seed-000 accounting against hand calculations', () => {
  const acc = cityCarbonAccounts(input, { transport: TRANSPORT });
  const c = acc.columns;

  it('electricity = use x grid OM (10^4 kWh x t/MWh / 1000 -> 10^4 t)', () => {
    // 1e6 x 10^4 kWh = 1e7 MWh x 1.0 t = 1e7 t = 1000 x 10^4 t
    expect(c.co2_elec[0]).toBeCloseTo(1000, 10);
    expect(c.co2_elec[1]).toBeCloseTo(500_000 * 10 * 0.8676 / 1e4, 10);
    expect(c.co2_elec_ind[0]).toBeCloseTo(700, 10);
    expect(c.co2_elec_res[1]).toBeCloseTo(90_000 * 10 * 0.8676 / 1e4, 10);
    expect(c.grid_factor[1]).toBe(0.8676);
  });

  it('heat: GJ / (0.70 x 20908 kJ/kg) raw coal -> x 0.7143 kgce/kg -> x 2.7724 t/tce', () => {
    const perGj = (1e6 / (0.7 * 20908)) * 0.7143 / 1000 * 2.7724;
    expect(heatCo2PerGj(seed000Defaults())).toBeCloseTo(perGj, 12);
    expect(perGj).toBeCloseTo(0.1353, 4); // the table's derived figure
    expect(c.co2_heat[0]).toBeCloseTo(5000 * perGj, 9);
    expect(c.co2_heat[1]).toBe(0);
  });

  it('transport: (tkm e_t + pkm e_p) kgce -> tce x 2.1716 t/tce', () => {
    const kgce = (800 * 0.03 + 100 * 0.003) * 1e8;
    expect(seed000Defaults().transportCo2PerTce).toBe(2.1716);
    expect(c.co2_transport[0]).toBeCloseTo((kgce / 1000) * 2.1716 / 1e4, 9);
  });

  it('direct: town gas 0.7426 kg/m3 and LPG 3.1013 kg/kg', () => {
    expect(c.co2_direct[0]).toBeCloseTo((10_000 * 1e4 * 0.7426 / 1000 + 50_000 * 3.1013) / 1e4, 10);
  });

  it('the components sum to the total and the shares to one', () => {
    for (let i = 0; i < 2; i++) {
      expect(c.co2_total[i]).toBeCloseTo(c.co2_elec[i]! + c.co2_heat[i]! + c.co2_transport[i]! + c.co2_direct[i]!, 10);
      expect(c.share_elec[i]! + c.share_heat[i]! + c.share_transport[i]! + c.share_direct[i]!).toBeCloseTo(1, 12);
    }
  });

  it('records units, factors used and their status', () => {
    expect(acc.units.co2_total).toBe('10^4 t CO2');
    expect(acc.meta.factorStatus).toBe('verified');
    expect(acc.meta.factorsUsed.map((x) => x.region)).toEqual(['North China', 'South China']);
    const later = cityCarbonAccounts({ ...input, year: f(2013, 2018) }, { transport: TRANSPORT, missingYear: 'interpolate' });
    expect(later.meta.factorStatus).toBe('unverified');
    expect(later.meta.factorsUsed.find((x) => x.year === 2018)!.method).toBe('interpolate');
    expect(() => cityCarbonAccounts({ ...input, year: f(2013, 2018) }, { transport: TRANSPORT })).toThrow(/'South China' year 2018/);
    const fixed = cityCarbonAccounts({ ...input, year: f(2013, 2018) }, { transport: TRANSPORT, fixedYear: 2016 });
    expect(fixed.columns.co2_elec[0]).toBeCloseTo(1000, 10);
  });

  it('a missing input gives a missing total that is counted, not dropped', () => {
    const acc2 = cityCarbonAccounts({ ...input, heat: f(Number.NaN, 0) }, { transport: TRANSPORT });
    expect(Number.isNaN(acc2.columns.co2_total[0]!)).toBe(true);
    expect(acc2.meta.missingTotalRows).toBe(1);
  });

  it('rejects inputs of different lengths naming the column', () => {
    expect(() => cityCarbonAccounts({ ...input, lpg: f(1) }, { transport: TRANSPORT })).toThrow(/'lpg'/);
  });
});

describe('transport intensity from national totals', () => {
  it('e = E / (TKM + lambda PKM)', () => {
    const e = deriveTransportIntensity({ nationalEnergyTce: 4e8, nationalTkm1e8: 182432.29, nationalPkm1e8: 31239.87 });
    const perTkm = (4e8 * 1000) / ((182432.29 + 0.1 * 31239.87) * 1e8);
    expect(e.kgcePerTkm).toBeCloseTo(perTkm, 12);
    expect(e.kgcePerPkm).toBeCloseTo(0.1 * perTkm, 12);
    expect(() => deriveTransportIntensity({ nationalEnergyTce: -1, nationalTkm1e8: 1, nationalPkm1e8: 1 })).toThrow(/nationalEnergyTce/);
  });
});

describe('seed-002 accounting', () => {
  it('total = 2.1622 NG + 3.1031 LPG + 1.3023 kWh, with intensity and per capita', () => {
    const c = seed002Defaults();
    expect(c).toEqual({ naturalGasKgPerM3: 2.1622, lpgKgPerKg: 3.1031, electricityKgPerKwh: 1.3023 });
    const out = seed002Emissions(
      { naturalGas10kM3: f(30_000), lpgTonnes: f(20_000), electricity10kKwh: f(400_000), gdp1e8Yuan: f(2_500), population10k: f(450) },
      c,
    );
    const kg = 30_000 * 1e4 * 2.1622 + 20_000 * 1e3 * 3.1031 + 400_000 * 1e4 * 1.3023;
    expect(out.total[0]).toBeCloseTo(kg / 1e7, 9);
    expect(out.intensity[0]).toBeCloseTo(kg / 1e7 / 2_500, 12);
    expect(out.perCapita[0]).toBeCloseTo(kg / 1e7 / 450, 12);
  });
});

describe('frame accounting and logs', () => {
  it('adds the CO2 columns to a panel frame', () => {
    const frame = PanelFrame.fromColumns(
      {
        city_code: [1, 2],
        year: [2016, 2016],
        grid_region: ['North China', 'South China'],
        elec_total: input.electricityTotal,
        elec_industrial: input.electricityIndustrial,
        elec_residential: input.electricityResidential,
        heat_supply: input.heat,
        passenger_turnover: input.passengerTurnover,
        freight_turnover: input.freightTurnover,
        town_gas: input.townGas,
        lpg: input.lpg,
      },
      { unit: 'city_code', time: 'year' },
    );
    const { frame: out, accounts } = accountFrame(frame, { transport: TRANSPORT });
    expect(out.numeric('co2_total')).toEqual(accounts.columns.co2_total);
    expect(out.numeric('co2_elec')[0]).toBeCloseTo(1000, 10);
  });

  it('logColumn counts zeros instead of producing -Infinity', () => {
    const l = logColumn(f(Math.E, 0, Number.NaN));
    expect(l.values[0]).toBeCloseTo(1, 14);
    expect(Number.isNaN(l.values[1]!)).toBe(true);
    expect(l.nonPositive).toBe(1);
  });
});
