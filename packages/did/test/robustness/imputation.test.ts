import { describe, expect, it } from 'vitest';
import { did2s } from '../../src/robustness/did2s.js';
import { didImputation } from '../../src/robustness/imputation.js';
import { qt } from '../../src/internal/stats.js';
import { readCsv } from './data.js';

// METHODS Part C [ref] numbers (base-R re-implementation of BJS), held at 1e-4 as the spec states.
const REF_TOL = 1e-4;
const mpdta = readCsv('mpdta.csv', 'countyreal', 'year');

describe('didImputation (Borusyak, Jaravel & Spiess)', () => {
  it('mpdta, county + year FE: static ATT and horizons 0..3 match METHODS Part C', () => {
    const r = didImputation(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, horizons: [0, 1, 2, 3] });
    expect(Math.abs(r.coefs[0]!.estimate - -0.04771)).toBeLessThan(REF_TOL);
    const expected = [-0.0311, -0.0522, -0.1361, -0.1047];
    expected.forEach((v, h) => expect(Math.abs(r.coefs[h + 1]!.estimate - v)).toBeLessThan(REF_TOL * 1.5));
    for (const c of r.coefs) expect(c.se).toBeGreaterThan(0);
    expect(r.nTreated).toBe(291);
  });

  it('equals the did2s point estimate for the same first stage (static and by horizon)', () => {
    const imp = didImputation(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, horizons: true, controls: ['lpop'] });
    const two = did2s(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, controls: ['lpop'] });
    expect(Math.abs(imp.coefs[0]!.estimate - two.coefs[0]!.estimate)).toBeLessThan(1e-10);
    const es = did2s(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, secondStage: { eventStudy: { ref: [] } } });
    const impEs = didImputation(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, horizons: true });
    for (const c of impEs.coefs.slice(1)) {
      const d = es.coefs.find((x) => x.eventTime === c.eventTime)!;
      expect(Math.abs(c.estimate - d.estimate)).toBeLessThan(1e-10);
    }
  });

  it('pre-trend test on untreated rows returns one lead per k and a p-value', () => {
    const r = didImputation(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, pretrends: 3 });
    expect(r.pretrend!.leads.map((l) => l.eventTime)).toEqual([-1, -2, -3]);
    expect(r.pretrend!.pValue).toBeGreaterThan(0);
    expect(r.pretrend!.pValue).toBeLessThan(1);
  });

  it('intervals estimate ± 1.96·SE as didimputation (leads too); the normal / t quantile on request', () => {
    const opts = { outcome: 'lemp', treatment: { cohort: 'first.treat' }, horizons: [0, 1], pretrends: 2 } as const;
    const r = didImputation(mpdta, opts);
    expect(r.spec.inference).toBe('didimputation');
    for (const c of [...r.coefs, ...r.pretrend!.leads]) {
      expect(c.confLow).toBe(c.estimate - 1.96 * c.se);
      expect(c.confHigh).toBe(c.estimate + 1.96 * c.se);
    }
    expect(r.notes[0]).toMatch(/1\.96/);
    const normal = didImputation(mpdta, { ...opts, inference: 'normal' });
    const c = normal.coefs[0]!;
    expect(Math.abs(c.confHigh - c.estimate - 1.959963984540054 * c.se)).toBeLessThan(1e-15);
    const lead = normal.pretrend!.leads[0]!;
    expect(lead.df).toBe(499); // t(G − 1), 500 counties
    expect(Math.abs(lead.confHigh - lead.estimate - qt(0.975, 499) * lead.se)).toBeLessThan(1e-15);
    // no other level in the package: alpha 0.1 uses the normal quantile and says so
    const wide = didImputation(mpdta, { ...opts, alpha: 0.1 });
    expect(Math.abs(wide.coefs[0]!.confHigh - wide.coefs[0]!.estimate - 1.6448536269514722 * wide.coefs[0]!.se)).toBeLessThan(1e-15);
    expect(wide.notes[0]).toMatch(/only estimate ± 1\.96·SE/);
    expect(() => didImputation(mpdta, { ...opts, inference: 't' as never })).toThrow(/option inference/);
  });

  it('names an unobserved horizon', () => {
    expect(() => didImputation(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, horizons: [9] })).toThrow(/horizon 9/);
  });
});
