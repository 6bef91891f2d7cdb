import { describe, expect, it } from 'vitest';
import { CARBON_COLUMNS } from '@panel-lab/carbon';
import {
  ACTIVITY,
  CITY_ATTRIBUTES,
  DE_INDEX_COLUMN,
  MECHANISMS,
  RING_COLUMNS,
  SEED000_CONTROLS,
  SEED000_OUTCOMES,
  SEED000_OUTCOME_LEVELS,
  SEED002_CONDITIONING,
  SEED002_CONTROLS,
  SEED002_INDICATORS,
  SEED002_OUTCOMES,
  SHARE_TARGETS,
  TREATMENT,
  generateChinaPanel,
} from '../src/index.js';

const panel = generateChinaPanel();
const f = panel.frame;

describe('generateChinaPanel: default 286 x 2011-2019', () => {
  it('has the documented shape, schema and every exported column', () => {
    expect(f.nrows).toBe(286 * 9);
    expect(f.schema).toEqual({ unit: 'city_code', time: 'year' });
    const names = [
      ...SEED000_OUTCOMES, ...SEED000_OUTCOME_LEVELS, ...SEED000_CONTROLS, ...SEED002_INDICATORS, ...SEED002_CONDITIONING,
      ...SEED002_CONTROLS, ...SEED002_OUTCOMES, ...MECHANISMS, ...RING_COLUMNS, DE_INDEX_COLUMN,
      ...Object.values(TREATMENT), ...Object.values(CITY_ATTRIBUTES), ...Object.values(ACTIVITY),
    ];
    for (const name of names) expect(f.has(name), name).toBe(true);
    expect(SEED000_CONTROLS.length).toBe(10);
    expect(SEED002_CONTROLS.length).toBe(22);
    expect(new Set(f.numeric('city_code')).size).toBe(286);
    expect(f.field('co2_total').metadata.get('unit')).toBe('10^4 t CO2');
    expect(f.field('elec_total').metadata.get('unit')).toBe('10^4 kWh');
    expect(panel.meta.units['ln_co2_heat']).toBe('ln of 10^4 t CO2');
    expect(f.codes('pilot_type').levels).toEqual(['none', 'guizhou', 'cross_regional', 'regional_demo', 'infrastructure']);
  });

  it('is deterministic: the same seed gives an identical panel and truth; another seed differs', () => {
    const again = generateChinaPanel();
    for (const name of f.columnNames) {
      if (f.isCategorical(name)) expect(again.frame.values(name)).toEqual(f.values(name));
      else expect(Buffer.from(again.frame.numeric(name).buffer).equals(Buffer.from(f.numeric(name).buffer)), name).toBe(true);
    }
    expect(JSON.stringify(again.truth)).toBe(JSON.stringify(panel.truth));
    const other = generateChinaPanel({ seed: 7 });
    expect(other.frame.numeric('ln_co2_total')).not.toEqual(f.numeric('ln_co2_total'));
  });

  it('mean source shares match the seed-000 calibration targets within 2 points', () => {
    for (const [key, { mean, target }] of Object.entries(panel.meta.shares)) {
      expect(Math.abs(mean - target), key).toBeLessThan(0.02);
      expect(target).toBe(SHARE_TARGETS[key as keyof typeof SHARE_TARGETS]);
    }
  });

  it('heat is 0 for most southern cities and positive for northern ones; ln heat is NaN exactly there', () => {
    const lat = f.numeric('lat');
    const heat = f.numeric('co2_heat');
    const lnHeat = f.numeric('ln_co2_heat');
    let south = 0, southZero = 0, northZero = 0;
    for (let r = 0; r < f.nrows; r++) {
      if (lat[r]! < 33.5) {
        south++;
        if (heat[r] === 0) southZero++;
      } else if (heat[r] === 0) northZero++;
      expect(Number.isNaN(lnHeat[r]!)).toBe(heat[r] === 0);
    }
    expect(southZero / south).toBeGreaterThan(0.8);
    expect(northZero).toBe(0);
    expect(panel.meta.zeroHeatRows).toBe(southZero);
  });

  it('components sum to the total; electricity CO2 = use x the verified 2016 grid OM', () => {
    const c = (n: string) => f.numeric(n);
    const factor2016: Record<string, number> = { 'North China': 1.0, Northeast: 1.1171, 'East China': 0.8086, 'Central China': 0.9229, Northwest: 0.9316, 'South China': 0.8676 };
    const grid = f.values('grid_region');
    for (let r = 0; r < f.nrows; r += 37) {
      const sum = c('co2_elec')[r]! + c('co2_heat')[r]! + c('co2_transport')[r]! + c('co2_direct')[r]!;
      expect(c('co2_total')[r]).toBeCloseTo(sum, 8);
      expect(c('co2_elec')[r]).toBeCloseTo((c('elec_total')[r]! * factor2016[grid[r] as string]!) / 1000, 8);
      expect(c(CARBON_COLUMNS.gridFactor)[r]).toBe(factor2016[grid[r] as string]);
      expect(c('ln_co2_total')[r]).toBeCloseTo(Math.log(sum), 10);
    }
    expect(panel.meta.accounting.factorStatus).toBe('verified');
  });

  it('by_year grid factors carry the unverified status and interpolate 2018', () => {
    const byYear = generateChinaPanel({ cities: 40, gridFactors: 'by_year' });
    expect(byYear.meta.accounting.factorStatus).toBe('unverified');
    expect(byYear.meta.accounting.factorsUsed.filter((x) => x.year === 2018).every((x) => x.method === 'interpolate')).toBe(true);
  });

  it('controls are correlated like city data (ln GDP with ln loans, retail, fixed assets) and have a few counted gaps', () => {
    const corr = (a: Float64Array, b: Float64Array) => {
      let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, k = 0;
      for (let i = 0; i < a.length; i++) {
        if (Number.isNaN(a[i]!) || Number.isNaN(b[i]!)) continue;
        sa += a[i]!; sb += b[i]!; saa += a[i]! ** 2; sbb += b[i]! ** 2; sab += a[i]! * b[i]!; k++;
      }
      return (sab / k - (sa / k) * (sb / k)) / Math.sqrt((saa / k - (sa / k) ** 2) * (sbb / k - (sb / k) ** 2));
    };
    expect(corr(f.numeric('ln_gdp'), f.numeric('ln_loans'))).toBeGreaterThan(0.8);
    expect(corr(f.numeric('ln_gdp'), f.numeric('ln_retail'))).toBeGreaterThan(0.8);
    expect(corr(f.numeric('de_index'), f.numeric('internet_per100'))).toBeGreaterThan(0.7);
    const gaps = panel.meta.gaps;
    const total = Object.values(gaps).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    const lib = f.numeric('library');
    expect(lib.filter((v) => Number.isNaN(v)).length).toBe(gaps['library']);
    // gaps are interior: never in the first or last year
    const year = f.numeric('year');
    for (let r = 0; r < f.nrows; r++) if (Number.isNaN(lib[r]!)) expect(year[r] !== 2011 && year[r] !== 2019).toBe(true);
    expect(f.numeric('ln_co2_total').every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('ground truth', () => {
  const t = panel.truth;

  it('ATT(g,t) is 0 before treatment and matches the dynamics after; affected outcomes are ordered', () => {
    for (const row of t.attGt) if (row.eventTime < 0) expect(row.att).toBe(0);
    const ind = t.attGt.filter((r) => r.outcome === 'ln_co2_elec_ind' && r.cohort === 2017);
    expect(ind.find((r) => r.eventTime === 0)!.att).toBeLessThan(0);
    // ramp-up 0.4 -> 0.7: the effect grows in absolute size
    expect(ind.find((r) => r.eventTime === 1)!.att / ind.find((r) => r.eventTime === 0)!.att).toBeCloseTo(0.7 / 0.4, 10);
    expect(t.att.ln_co2_elec_ind).toBeLessThan(t.att.ln_co2_elec);
    expect(t.att.ln_co2_elec).toBeLessThan(t.att.ln_co2_total);
    expect(t.att.ln_co2_total).toBeLessThan(0);
    expect(t.outcomes.unaffected).toContain('ln_co2_heat');
  });

  it('mediation decomposes the ATT on industrial electricity exactly', () => {
    const m = t.mediation.att;
    expect(m.direct + m.indirect['patents']! + m.indirect['postal']! + m.indirect['digital']!).toBeCloseTo(t.att.ln_co2_elec_ind, 12);
    expect(m.indirect['postal']).toBeLessThan(0);
    expect(m.indirect['patents']).toBe(0);
  });

  it('pilot-type effects follow the DGP ordering and the spillovers decay with distance', () => {
    const byType = Object.fromEntries(t.attByPilotType.filter((r) => r.outcome === 'ln_co2_elec_ind').map((r) => [r.pilotType, r.att]));
    expect(byType['regional_demo']).toBeLessThan(byType['cross_regional']!);
    expect(byType['cross_regional']).toBeLessThan(byType['guizhou']!);
    expect(byType['guizhou']).toBeLessThan(byType['infrastructure']!);
    const [g1, g2, g3] = t.spillover.lnElecInd;
    expect(g1!).toBeLessThan(g2!);
    expect(g2!).toBeLessThan(g3!);
    expect(t.spillover.exposedUntreatedRows).toBeGreaterThan(0);
  });

  it('the response curve of total emissions is an inverted U over the DE index', () => {
    const pd = t.response.partialDependence.co2_002_total;
    const peak = pd.indexOf(Math.max(...pd));
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(pd.length - 1);
    expect(t.response.grid.length).toBe(pd.length);
  });
});

describe('other sizes and options', () => {
  it('replicates real profiles with jittered coordinates for more cities and more years', () => {
    const big = generateChinaPanel({ cities: 700, years: [2008, 2022], seed: 3 });
    expect(big.frame.nrows).toBe(700 * 15);
    expect(big.meta.replicated).toBe(true);
    const codes = big.frame.numeric('city_code');
    expect(new Set(codes).size).toBe(700);
    const lat = big.frame.numeric('lat');
    const profile = big.frame.numeric('profile_code');
    // the replica of Beijing sits near Beijing but not on it
    const beijing = Array.from(codes).findIndex((c, r) => profile[r] === 110000 && c !== 110000);
    expect(Math.abs(lat[beijing]! - 39.9)).toBeLessThan(2);
    expect(lat[beijing]).not.toBe(39.90359);
    expect(big.truth.attGt.some((r) => r.cohort === 2015 && r.eventTime === -7)).toBe(true);
  });

  it('samples fewer cities and rejects bad options naming them', () => {
    expect(generateChinaPanel({ cities: 50 }).frame.nrows).toBe(450);
    expect(() => generateChinaPanel({ cities: 1 })).toThrow(/cities/);
    expect(() => generateChinaPanel({ years: [2019, 2011] })).toThrow(/years/);
    expect(() => generateChinaPanel({ seed: 1.5 })).toThrow(/seed/);
    expect(() => generateChinaPanel({ effects: { ringsKm: [100, 50, 300] } })).toThrow(/ringsKm/);
  });
});
