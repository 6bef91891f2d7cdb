import { describe, expect, it } from 'vitest';
import { generateChinaPanel } from '../src/index.js';
import { twfe, twfeEstimand } from './twfe-helper.js';

// Tolerance from the DGP: the estimator's own CR1 cluster SE; |z| < 3.5 fails by chance with p < 0.001.
const Z = 3.5;

describe('plain TWFE on the generated panel', () => {
  it('lands on the true ATT when effects are homogeneous, static and without spillovers', () => {
    const direct = -0.2;
    const p = generateChinaPanel({
      seed: 11,
      effects: {
        directByPilotType: { guizhou: direct, cross_regional: direct, regional_demo: direct, infrastructure: direct },
        dynamics: [1],
        innovShift: 0,
        ecoShift: 0,
        spillover: [0, 0, 0],
      },
    });
    const f = p.frame;
    const fit = twfe(f.numeric('ln_co2_elec_ind'), f.numeric('bigdata_treated'), p.meta.cities, 9);
    const att = p.truth.att.ln_co2_elec_ind;
    expect(att).toBeCloseTo(direct + 0.15 * -0.2 + 0.5 * -0.06, 12);
    expect(Math.abs(fit.beta - att) / fit.se).toBeLessThan(Z);
  });

  it('with the default heterogeneous, dynamic effects and spillovers it lands on the estimand the truth implies', () => {
    const p = generateChinaPanel();
    const f = p.frame;
    for (const outcome of ['ln_co2_elec_ind', 'ln_co2_elec', 'ln_co2_total'] as const) {
      const fit = twfe(f.numeric(outcome), f.numeric('bigdata_treated'), p.meta.cities, 9);
      const estimand = twfeEstimand(fit.dTilde, p.rowEffects.all[outcome]);
      expect(Math.abs(fit.beta - estimand) / fit.se, outcome).toBeLessThan(Z);
      // spillovers onto controls are subtracted from the comparison, so TWFE overstates the ATT
      expect(estimand).toBeLessThan(p.truth.att[outcome]);
    }
  });

  it('finds no effect on heat, transport, direct energy and residential electricity', () => {
    const p = generateChinaPanel({ seed: 5 });
    const f = p.frame;
    for (const outcome of ['ln_co2_transport', 'ln_co2_direct', 'ln_co2_elec_res'] as const) {
      const fit = twfe(f.numeric(outcome), f.numeric('bigdata_treated'), p.meta.cities, 9);
      expect(Math.abs(fit.beta) / fit.se, outcome).toBeLessThan(Z);
    }
  });
});

describe('2x2 group-time DID against the true ATT(g,t)', () => {
  it('recovers ATT(2017, t) for every post year with the never-treated as controls (no spillovers)', () => {
    const p = generateChinaPanel({ seed: 3, effects: { spillover: [0, 0, 0] } });
    const f = p.frame;
    const T = 9;
    const y = f.numeric('ln_co2_elec');
    const cohort = f.numeric('bigdata_year');
    const n = p.meta.cities;
    const base = 2016 - 2011;
    for (const year of [2017, 2018, 2019]) {
      const t = year - 2011;
      const diffs = { treated: [] as number[], never: [] as number[] };
      for (let i = 0; i < n; i++) {
        const g = cohort[i * T]!;
        const d = y[i * T + t]! - y[i * T + base]!;
        if (g === 2017) diffs.treated.push(d);
        else if (g === 0) diffs.never.push(d);
      }
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const variance = (v: number[]) => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1);
      const att = mean(diffs.treated) - mean(diffs.never);
      const se = Math.sqrt(variance(diffs.treated) / diffs.treated.length + variance(diffs.never) / diffs.never.length);
      const truth = p.truth.attGt.find((r) => r.outcome === 'ln_co2_elec' && r.cohort === 2017 && r.year === year)!;
      expect(Math.abs(att - truth.att) / se, String(year)).toBeLessThan(Z);
    }
  });
});
