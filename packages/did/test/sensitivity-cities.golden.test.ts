import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { eventStudy } from '../src/regression/event-study.js';
import { conditionalCiDeltaRM, conditionalCiDeltaSD, estimatesFromEventStudy, flciDeltaSD } from '../src/sensitivity/index.js';
import { readGoldenCsv } from './helpers.js';

// A panel of ours end to end: our TWFE event study on cities_panel.csv (window [-4, 4], trimmed)
// feeds our HonestDiD; R ran fixest + HonestDiD 0.2.6 on the same rows
// (goldens/results/honestdid_cities.R). Inputs agree to 1e-12; conditional / C-LF endpoints to
// 1e-10 (same grid, same R draws), FLCI endpoints to 5e-4 of the half-length (as the BCdata FLCI golden).
interface Ci { lb: number[]; ub: number[] }
const g = loadGolden<{
  input: { betahat: number[]; sigma: number[][]; rel_time: number[]; numPrePeriods: number; numPostPeriods: number };
  DeltaSD: { Mvec: number[]; Conditional: Ci; C_LF: Ci; FLCI: Ci };
  DeltaRM: { Mbarvec: number[]; C_LF: Ci };
}>('honestdid_cities');

const frame = readGoldenCsv('cities_panel.csv', 'city_code', 'year');
const es = eventStudy(frame, { outcome: 'y', treatment: { cohort: 'g' }, window: [-4, 4], endpoints: 'trim', ref: -1 });
const input = estimatesFromEventStudy(es, -1);

describe('HonestDiD on a TWFE event study of cities_panel (ours) vs fixest 0.14.2 + HonestDiD 0.2.6', () => {
  it('has the same event-study coefficients and clustered vcov', () => {
    expect(input.eventTimes).toEqual(g.input.rel_time);
    expect(input.numPrePeriods).toBe(g.input.numPrePeriods);
    input.betahat.forEach((b, i) => expect(Math.abs(b - g.input.betahat[i]!)).toBeLessThan(1e-12));
    input.sigma.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - g.input.sigma[i]![j]!)).toBeLessThan(1e-12)));
  });

  const close = (got: readonly { lb: number | null; ub: number | null }[], want: Ci, tol: number) =>
    got.forEach((r, i) => {
      expect(Math.abs(r.lb! - want.lb[i]!)).toBeLessThan(tol);
      expect(Math.abs(r.ub! - want.ub[i]!)).toBeLessThan(tol);
    });

  it('Delta^SD conditional and C-LF', async () => {
    close(await conditionalCiDeltaSD(input, g.DeltaSD.Mvec, { method: 'Conditional' }), g.DeltaSD.Conditional, 1e-10);
    close(await conditionalCiDeltaSD(input, g.DeltaSD.Mvec, { method: 'C-LF' }), g.DeltaSD.C_LF, 1e-10);
  }, 120_000);

  it('Delta^SD FLCI', async () => {
    const rows = await flciDeltaSD(input, g.DeltaSD.Mvec);
    rows.forEach((r, i) => {
      expect(Math.abs(r.lb - g.DeltaSD.FLCI.lb[i]!)).toBeLessThan(5e-4 * r.optimalHalfLength);
      expect(Math.abs(r.ub - g.DeltaSD.FLCI.ub[i]!)).toBeLessThan(5e-4 * r.optimalHalfLength);
    });
  }, 120_000);

  it('Delta^RM C-LF', async () => {
    close(await conditionalCiDeltaRM(input, g.DeltaRM.Mbarvec, { method: 'C-LF' }), g.DeltaRM.C_LF, 1e-10);
  }, 120_000);
});
