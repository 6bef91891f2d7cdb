import { describe, expect, it } from 'vitest';
import { generateChinaPanel, RING_COLUMNS, SEED000_CONTROLS } from '@panel-lab/datasets';
import { psmDid } from '../../src/robustness/psm-did.js';
import { ringColumns, spatialDid, spatialRings } from '../../src/robustness/spatial.js';

// Recovery on the synthetic China panel (fixed seeds, so deterministic): estimates within 3 SE of the
// generator's truth. METHODS §13's 500-replication coverage study is too slow for a unit test.
const within = (est: number, se: number, truth: number, k = 3) => expect(Math.abs(est - truth), `${est} vs ${truth} (se ${se})`).toBeLessThan(k * se);
const RINGS = { treatment: { cohort: 'bigdata_year' }, lat: 'lat', lon: 'lon' } as const;

describe('spatial rings and spatialDid on the synthetic China panel', () => {
  const panel = generateChinaPanel({ seed: 11 });

  it('ring indicators equal the generator\'s own ring columns (haversine, R = 6371 km, rings not exclusive)', () => {
    const cols = Object.values(ringColumns(panel.frame, RINGS));
    RING_COLUMNS.forEach((name, k) => expect(Array.from(cols[k]!)).toEqual(Array.from(panel.frame.numeric(name))));
    const r = spatialRings(panel.frame, RINGS);
    expect(r.ringNames).toEqual(['ring_0_100', 'ring_100_200', 'ring_200_300']);
    expect(r.counts.reduce((s, c) => s + c.exposedTreated + c.exposedUntreated, 0)).toBe(cols.reduce((s, c) => s + c.reduce((a, b) => a + b, 0), 0));
  });

  it('recovers the direct effect and each ring\'s spillover within 3 SE', () => {
    const r = spatialDid(panel.frame, { ...RINGS, outcome: 'ln_co2_elec_ind' });
    expect(r.coefs.map((c) => c.term)).toEqual(['treat', 'ring_0_100', 'ring_100_200', 'ring_200_300']);
    within(r.coefs[0]!.estimate, r.coefs[0]!.se, panel.truth.att.ln_co2_elec_ind);
    panel.truth.spillover.lnElecInd.forEach((g, k) => within(r.coefs[k + 1]!.estimate, r.coefs[k + 1]!.se, g));
    expect(r.counts.treated + r.counts.exposedUntreated + r.counts.clean).toBe(panel.frame.nrows);
  });

  it('with strong spillovers the rings are significant and ordered by distance', () => {
    const strong = generateChinaPanel({ seed: 12, effects: { spillover: [-0.3, -0.2, -0.1] } });
    const r = spatialDid(strong.frame, { ...RINGS, outcome: 'ln_co2_elec_ind' });
    [-0.3, -0.2, -0.1].forEach((g, k) => within(r.coefs[k + 1]!.estimate, r.coefs[k + 1]!.se, g));
    expect(r.coefs[1]!.confHigh).toBeLessThan(0);
    expect(r.coefs[1]!.estimate).toBeLessThan(r.coefs[3]!.estimate);
  });

  it('split by own treatment: separate ring terms for treated and untreated rows', () => {
    const r = spatialDid(panel.frame, { ...RINGS, outcome: 'ln_co2_elec_ind', splitByOwnTreatment: true });
    expect(r.coefs.map((c) => c.term)).toEqual([
      'treat',
      'ring_0_100:treated',
      'ring_0_100:untreated',
      'ring_100_200:treated',
      'ring_100_200:untreated',
      'ring_200_300:treated',
      'ring_200_300:untreated',
    ]);
    // the DGP's spillover is the same for treated and untreated cities
    panel.truth.spillover.lnElecInd.forEach((g, k) => within(r.coefs[2 + 2 * k]!.estimate, r.coefs[2 + 2 * k]!.se, g));
  });

  it('names the periods without a clean observation', () => {
    expect(() => spatialDid(panel.frame, { ...RINGS, outcome: 'ln_co2_elec_ind', edgesKm: [0, 5000] })).toThrow(/no observation that is neither treated nor exposed in period\(s\) 2015/);
  });
});

describe('PSM-DID recovers the ATT on the synthetic China panel (no spillovers)', () => {
  const panel = generateChinaPanel({ seed: 11, effects: { spillover: [0, 0, 0] } });
  const base = { outcome: 'ln_co2_elec_ind', treatment: { cohort: 'bigdata_year' }, covariates: [...SEED000_CONTROLS] } as const;

  it('baseline design (2014 cross-section), 1:1 with replacement', () => {
    const r = psmDid(panel.frame, { ...base, design: 'baseline', match: { replace: true } });
    expect(r.spec.baselinePeriod).toBe(2014);
    expect(r.matching[0]!.nMatchedTreated).toBe(32);
    within(r.did.estimate, r.did.se, panel.truth.att.ln_co2_elec_ind);
    expect(r.balance!.rows.length).toBe(SEED000_CONTROLS.length + 1);
    expect(r.balance!.plot.densities.length).toBe(4);
  });

  it('by-period design without replacement and a caliper counts what it drops', () => {
    const r = psmDid(panel.frame, { ...base, design: 'by_period', match: { caliper: { width: 0.2, scale: 'sd' } } });
    expect(r.matching.length).toBe(9);
    const unmatched = r.matching.reduce((s, m) => s + m.unmatched.caliper, 0);
    const matched = r.matching.reduce((s, m) => s + m.nMatchedTreated, 0);
    expect(matched + unmatched).toBe(r.matching.reduce((s, m) => s + m.nTreated, 0));
    within(r.did.estimate, r.did.se, panel.truth.att.ln_co2_elec_ind);
  });
});
