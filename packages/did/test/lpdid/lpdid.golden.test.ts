import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { lpDid, type LpDidEstimate } from '../../src/index.js';
import { readGoldenCsv } from '../helpers.js';

interface FitGolden { estimate: number; se: number; conf_low: number; conf_high: number; nobs: number; n_treated: number }
interface CaseGolden {
  options: { pre: number; post: number; reweight: boolean; nocomp: boolean };
  horizons: (FitGolden & { horizon: number })[];
  pooled_post: FitGolden;
  pooled_pre: FitGolden | null;
}
// An independent plain LP-DiD in R (fixest::feols on hand-built clean samples; script and provenance beside the JSON).
const golden = loadGolden<Record<'mpdta' | 'mpdta_unbalanced', Record<string, CaseGolden>>>('lpdid_mpdta');
const TOL = 1e-10;

function expectFit(got: LpDidEstimate, want: FitGolden): void {
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
  expect(rel(got.estimate, want.estimate)).toBeLessThan(TOL);
  expect(rel(got.se, want.se)).toBeLessThan(TOL);
  expect(rel(got.confLow, want.conf_low)).toBeLessThan(TOL);
  expect(rel(got.confHigh, want.conf_high)).toBeLessThan(TOL);
  expect(got.nobs).toBe(want.nobs);
  expect(got.nTreated).toBe(want.n_treated);
}

describe.each(['mpdta', 'mpdta_unbalanced'] as const)('lpDid vs plain fixest LP-DiD on %s', (data) => {
  const frame = readGoldenCsv(`${data}.csv`, 'countyreal', 'year');
  it.each(Object.entries(golden[data]))('%s', (_name, want) => {
    const res = lpDid(frame, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, ...want.options });
    const estimated = res.horizons.filter((h) => !h.reference);
    expect(estimated.map((h) => h.horizon)).toEqual(want.horizons.map((h) => h.horizon));
    estimated.forEach((h, k) => expectFit(h, want.horizons[k]!));
    expectFit(res.pooledPost, want.pooled_post);
    if (want.pooled_pre) expectFit(res.pooledPre!, want.pooled_pre);
    else expect(res.pooledPre).toBeNull();
    const ref = res.horizons.find((h) => h.horizon === -1)!;
    expect(ref.reference).toBe(true);
    expect(ref.estimate).toBe(0);
  });
});
