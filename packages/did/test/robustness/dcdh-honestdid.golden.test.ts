import { describe, expect, it } from 'vitest';
import { loadGolden, tolerance } from '@panel-lab/testing';
import { didMultiplegtDyn } from '../../src/robustness/dcdh-dyn.js';
import { conditionalCiDeltaRM, conditionalCiDeltaSD, estimatesFromDidMultiplegtDyn, flciDeltaSD } from '../../src/sensitivity/index.js';
import { choleskyInverse, choleskyPivoted } from '@panel-lab/regression';
import { pchisqUpper } from '../../src/internal/stats.js';
import { readCsv } from './data.js';

// dCdH's joint covariance of effects and placebos vs did_multiplegt_dyn's coef$vcov (DIDmultiplegtDYN
// 2.2.0 with its ifelse(is.null(U), NA, U) slip corrected, see goldens/results/dcdh_honestdid.R),
// then HonestDiD 0.2.6 on placebos (oldest first) and effects, as the package's honest_did option.
interface Ci { lb: number[]; ub: number[] }
interface Case {
  coef: { names: string[]; b: number[]; vcov: number[][]; se_effects: number[]; se_placebos: number[] };
  honest: {
    terms: string[]; betahat: number[]; sigma: number[][]; numPrePeriods: number; numPostPeriods: number;
    original: { lb: number[][]; ub: number[][] };
    DeltaSD: { Mvec: number[]; FLCI: Ci; C_LF: Ci };
    DeltaRM: { Mbarvec: number[]; C_LF: Ci };
  };
}
const golden = loadGolden<Record<'mpdta' | 'castle_popwt', Case>>('dcdh_honestdid');
const COEF = tolerance('coef', 64);
const SE = tolerance('se', 64);
const mpdta = readCsv('mpdta.csv', 'countyreal', 'year');
const castle = readCsv('castle.csv', 'sid', 'year');

const cases = [
  ['mpdta', () => didMultiplegtDyn(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, effects: 3, placebo: 3 })],
  ['castle_popwt', () => didMultiplegtDyn(castle, { outcome: 'l_homicide', treatment: { treatment: 'post' }, effects: 4, placebo: 3, weights: 'popwt' })],
] as const;

describe('dCdH joint covariance and HonestDiD vs did_multiplegt_dyn 2.2.0 + HonestDiD 0.2.6', () => {
  for (const [name, fit] of cases) {
    const r = fit();
    const g = golden[name];
    it(`${name}: vcov of (effects, placebos) equals coef$vcov; its diagonal is the squared SEs`, () => {
      expect(r.vcovTerms).toEqual(g.coef.names.map((s) => s.trim()));
      r.vcov.forEach((row, i) => row.forEach((v, j) => {
        const scale = Math.sqrt(g.coef.vcov[i]![i]! * g.coef.vcov[j]![j]!);
        expect(Math.abs(v - g.coef.vcov[i]![j]!) / scale, `vcov ${i},${j}`).toBeLessThan(SE);
        expect(v, `symmetric ${i},${j}`).toBe(r.vcov[j]![i]);
      }));
      const rows = [...r.effects, ...r.placebos];
      rows.forEach((c, i) => expect(Math.abs(Math.sqrt(r.vcov[i]![i]!) / c.se - 1), `diag ${c.term}`).toBeLessThan(1e-13));
    });

    it(`${name}: HonestDiD input, original CI, Delta^SD FLCI / C-LF and Delta^RM C-LF`, async () => {
      const input = estimatesFromDidMultiplegtDyn(r);
      const h = g.honest;
      expect([input.numPrePeriods, input.numPostPeriods]).toEqual([h.numPrePeriods, h.numPostPeriods]);
      expect(input.eventTimes).toEqual([...Array.from({ length: h.numPrePeriods }, (_, i) => -h.numPrePeriods - 1 + i), ...Array.from({ length: h.numPostPeriods }, (_, i) => i)]);
      input.betahat.forEach((b, i) => expect(Math.abs(b - h.betahat[i]!), `betahat ${h.terms[i]}`).toBeLessThan(COEF));
      input.sigma.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - h.sigma[i]![j]!) / Math.sqrt(h.sigma[i]![i]! * h.sigma[j]![j]!)).toBeLessThan(SE)));
      const first = input.numPrePeriods;
      const half = 1.959963984540054 * Math.sqrt(input.sigma[first]![first]!);
      expect(Math.abs(input.betahat[first]! - half - h.original.lb[0]![0]!)).toBeLessThan(COEF);
      expect(Math.abs(input.betahat[first]! + half - h.original.ub[0]![0]!)).toBeLessThan(COEF);
      const flci = await flciDeltaSD(input, h.DeltaSD.Mvec);
      flci.forEach((f, i) => {
        expect(Math.abs(f.lb - h.DeltaSD.FLCI.lb[i]!), `FLCI lb M=${h.DeltaSD.Mvec[i]}`).toBeLessThan(5e-4 * f.optimalHalfLength);
        expect(Math.abs(f.ub - h.DeltaSD.FLCI.ub[i]!), `FLCI ub M=${h.DeltaSD.Mvec[i]}`).toBeLessThan(5e-4 * f.optimalHalfLength);
      });
      const close = (got: readonly { lb: number | null; ub: number | null }[], want: Ci, what: string) => got.forEach((c, i) => {
        expect(Math.abs(c.lb! - want.lb[i]!), `${what} lb ${i}`).toBeLessThan(1e-8);
        expect(Math.abs(c.ub! - want.ub[i]!), `${what} ub ${i}`).toBeLessThan(1e-8);
      });
      close(await conditionalCiDeltaSD(input, h.DeltaSD.Mvec, { method: 'C-LF' }), h.DeltaSD.C_LF, 'SD C-LF');
      close(await conditionalCiDeltaRM(input, h.DeltaRM.Mbarvec, { method: 'C-LF' }), h.DeltaRM.C_LF, 'RM C-LF');
    }, 180_000);
  }

  it('equivalences: clustered by a coarser column the diagonal is still the squared SEs; the effects block gives the joint test', () => {
    const sid = castle.numeric('sid');
    const clustered = castle.withColumns({ region5: Float64Array.from(sid, (s) => Math.floor(s / 5)) });
    const opts = { outcome: 'l_homicide', treatment: { treatment: 'post' }, effects: 4, placebo: 3 } as const;
    const r = didMultiplegtDyn(clustered, { ...opts, cluster: 'region5' });
    const byUnit = didMultiplegtDyn(castle, opts);
    [...r.effects, ...r.placebos].forEach((c, i) => expect(Math.abs(Math.sqrt(r.vcov[i]![i]!) / c.se - 1), c.term).toBeLessThan(1e-13));
    expect(Math.abs(r.vcov[0]![1]! - byUnit.vcov[0]![1]!)).toBeGreaterThan(1e-12);
    for (const res of [r, byUnit]) {
      const k = res.effects.length;
      const V = Float64Array.from({ length: k * k }, (_, c) => res.vcov[Math.floor(c / k)]![c % k]!);
      const inv = choleskyInverse(choleskyPivoted(V, k).factor, k);
      let chi2 = 0;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) chi2 += res.effects[i]!.estimate * inv[i * k + j]! * res.effects[j]!.estimate;
      expect(Math.abs(pchisqUpper(chi2, k) - res.pJointEffects!)).toBeLessThan(1e-12);
    }
  });

  it('a dCdH result without placebos is refused with the reason', () => {
    const r = didMultiplegtDyn(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, effects: 2 });
    expect(r.vcov.length).toBe(2);
    expect(() => estimatesFromDidMultiplegtDyn(r)).toThrow(/no placebos.*placebo >= 1/);
  });
});
