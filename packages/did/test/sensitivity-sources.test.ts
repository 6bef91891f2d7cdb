import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { estimatesFromDid2s, estimatesFromSunAbraham, flciDeltaSD, sunAbraham, unsupportedSensitivitySource } from '../src/index.js';
import { did2s } from '../src/robustness/did2s.js';
import { readGoldenCsv } from './helpers.js';
import { readCsv } from './robustness/data.js';

interface Input { betahat: number[]; sigma: number[][]; numPrePeriods: number; numPostPeriods: number; rel_time: number[] }
const golden = loadGolden<{ mpdta_sunab: { input: Input } }>('honestdid');
const mpdta = readGoldenCsv('mpdta.csv', 'countyreal', 'year');

describe('HonestDiD inputs from Sun-Abraham and did2s results', () => {
  it('Sun-Abraham on mpdta: betahat and sigma equal HonestDiD:::sunab_beta_vcv on the fixest fit', () => {
    const sa = sunAbraham(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    const es = estimatesFromSunAbraham(sa);
    const g = golden.mpdta_sunab.input;
    expect(es.eventTimes).toEqual(g.rel_time);
    expect([es.numPrePeriods, es.numPostPeriods]).toEqual([g.numPrePeriods, g.numPostPeriods]);
    es.betahat.forEach((b, i) => expect(Math.abs(b - g.betahat[i]!)).toBeLessThan(1e-10));
    es.sigma.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - g.sigma[i]![j]!)).toBeLessThan(1e-12)));
  });

  it('Sun-Abraham with two reference periods is refused', () => {
    const sa = sunAbraham(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, ref: [-1, -4] });
    expect(() => estimatesFromSunAbraham(sa)).toThrow(/ref must be \[-1\]/);
  });

  it('did2s event study (df_het, window [-4, 4]): betahat, the GMM covariance, and an FLCI from them', async () => {
    const dfHet = readCsv('df_het.csv', 'unit', 'year');
    const r = did2s(dfHet, { outcome: 'dep_var', treatment: { cohort: 'g' }, cluster: 'state', secondStage: { eventStudy: { ref: [-1], window: [-4, 4] } } });
    const es = estimatesFromDid2s(r);
    expect(es.eventTimes).toEqual([-4, -3, -2, 0, 1, 2, 3, 4]);
    expect([es.numPrePeriods, es.numPostPeriods]).toEqual([3, 5]);
    es.eventTimes.forEach((e, i) => {
      const c = r.coefs.find((x) => x.eventTime === e)!;
      expect(es.betahat[i]).toBe(c.estimate);
      expect(Math.abs(Math.sqrt(es.sigma[i]![i]!) / c.se - 1)).toBeLessThan(1e-12);
    });
    const [f] = await flciDeltaSD(es, [0]);
    expect(Number.isFinite(f!.lb) && Number.isFinite(f!.ub) && f!.lb < f!.ub).toBe(true);
  }, 60_000);

  it('did2s with a static second stage is refused', () => {
    const dfHet = readCsv('df_het.csv', 'unit', 'year');
    const r = did2s(dfHet, { outcome: 'dep_var', treatment: { cohort: 'g' }, cluster: 'state' });
    expect(() => estimatesFromDid2s(r)).toThrow(/secondStage/);
  });

  it('imputation is refused with the reason (no joint covariance); dCdH now carries one (test/robustness/dcdh-honestdid.golden.test.ts)', () => {
    expect(() => unsupportedSensitivitySource('did_imputation')).toThrow(/covariance/);
  });
});
