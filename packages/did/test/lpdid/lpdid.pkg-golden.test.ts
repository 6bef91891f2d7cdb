import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { lpDid } from '../../src/index.js';
import { readGoldenCsv } from '../helpers.js';

interface PkgCase { horizon: number[]; estimate: number[]; se: number[]; nobs: number[] }
// The R package lpdid 0.6.1 (Cardazzi), window -3..3; script and provenance beside the JSON.
const golden = loadGolden<Record<'mpdta' | 'mpdta_unbalanced', Record<'plain' | 'reweight', PkgCase>>>('lpdid_pkg_mpdta');
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

function fit(data: 'mpdta' | 'mpdta_unbalanced', reweight: boolean) {
  const frame = readGoldenCsv(`${data}.csv`, 'countyreal', 'year');
  const res = lpDid(frame, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, pre: 3, post: 3, reweight });
  return res.horizons.filter((h) => !h.reference);
}

describe.each(['mpdta', 'mpdta_unbalanced'] as const)('lpDid vs R package lpdid 0.6.1 on %s', (data) => {
  it('plain (variance-weighted): same estimates, CR1 SEs and nobs', () => {
    const want = golden[data].plain;
    const got = fit(data, false);
    expect(got.map((h) => h.horizon)).toEqual(want.horizon);
    got.forEach((h, k) => {
      expect(rel(h.estimate, want.estimate[k]!)).toBeLessThan(1e-10);
      expect(rel(h.se, want.se[k]!)).toBeLessThan(1e-10);
      expect(h.nobs).toBe(want.nobs[k]);
    });
  });

  it('reweighted: same post estimates; SEs differ only by lpdid dropping control-only years', () => {
    const want = golden[data].reweight;
    const got = fit(data, true);
    expect(got.map((h) => h.horizon)).toEqual(want.horizon);
    got.forEach((h, k) => {
      // lpdid gives years with no newly treated unit weight 1/-Inf and drops them. Their rows are
      // controls absorbed by the year FE, so estimates agree, but nobs, clusters and fixest's
      // small-sample factor change (checked in R: fixest on our sample minus those years gives lpdid's SE and nobs).
      expect(h.nobs).toBeGreaterThanOrEqual(want.nobs[k]!);
      expect(rel(h.se, want.se[k]!)).toBeLessThan(1e-3);
      if (Number(h.horizon) >= 0 || data === 'mpdta') {
        expect(rel(h.estimate, want.estimate[k]!)).toBeLessThan(1e-10);
      } else {
        // lpdid reuses the h = 0 weights for pre-periods; with unbalanced data the h = 0 and
        // pre-period samples differ, so the weights (and estimates) differ a little.
        expect(Math.abs(h.estimate - want.estimate[k]!)).toBeLessThan(1e-4);
      }
    });
  });
});
