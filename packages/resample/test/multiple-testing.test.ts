import { describe, expect, it } from 'vitest';
import { createRng } from '@panel-lab/compute';
import type { PanelFrame } from '@panel-lab/panel';
import { adjustedPValues, romanoWolf, wildClusterBootstrap } from '../src/index.js';
import { makePanel } from './dgp.js';

/** Five correlated outcomes: y plus four that share its noise, two with a treatment effect. */
export function multiOutcomePanel(seed: number, zones = 12): PanelFrame {
  const frame = makePanel({ seed, units: 48, zones, effect: 0.25, controls: 2 });
  const rng = createRng(seed + 100);
  const y = frame.numeric('y');
  const d = frame.numeric('treat');
  const make = (rho: number, effect: number) => Float64Array.from(y, (v, r) => rho * v + effect * d[r]! + rng.normal() * 0.6);
  return frame.withColumns({ y2: make(0.8, 0), y3: make(0.5, 0.4), y4: make(0.9, 0), y5: make(0.3, 0) });
}

const base = { coefficient: 'treat', controls: ['x1', 'x2'], cluster: 'zone' } as const;
const outcomes = ['y', 'y2', 'y3', 'y4', 'y5'];

describe('romanoWolf (multiple testing across outcomes)', () => {
  it('with one outcome every adjusted p equals the plain wild cluster bootstrap p (drawn and enumerated)', async () => {
    const frame = multiOutcomePanel(3);
    for (const [weights, draws] of [['webb', 499], ['rademacher', 999], ['rademacher', 9999]] as const) {
      const plain = await wildClusterBootstrap(frame, { ...base, outcome: 'y2', seed: 11, draws, weights, chunkSize: 200 });
      const rw = await romanoWolf(frame, { ...base, outcomes: ['y2'], seed: 11, draws, weights, chunkSize: 200 });
      const row = rw.rows[0]!;
      expect(rw.enumerated).toBe(plain.enumerated);
      expect(rw.spec.draws).toBe(plain.spec.draws);
      expect(Math.abs(row.estimate - plain.estimate)).toBeLessThan(1e-14);
      expect(Math.abs(row.se - plain.se)).toBeLessThan(1e-14);
      expect(row.pValue).toBe(plain.pValue);
      expect(row.pRomanoWolf).toBe(plain.pValue);
      expect(row.pWestfallYoung).toBe(plain.pValue);
      expect(Math.abs(row.pWestfallYoungMinP - plain.pValue)).toBeLessThanOrEqual(1 / plain.spec.draws + 1e-15);
    }
  });

  it('each outcome\'s unadjusted p equals its own wild bootstrap with the same seed (weights shared)', async () => {
    const frame = multiOutcomePanel(4);
    const rw = await romanoWolf(frame, { ...base, outcomes, seed: 5, draws: 399, weights: 'webb', chunkSize: 150 });
    for (const row of rw.rows) {
      const plain = await wildClusterBootstrap(frame, { ...base, outcome: row.outcome, seed: 5, draws: 399, weights: 'webb', chunkSize: 150 });
      expect(row.pValue).toBe(plain.pValue);
      expect(row.drawsDegenerate).toBe(0);
    }
  });

  it('adjusted p >= unadjusted, RW <= WY maxT, monotone in the step order', async () => {
    const frame = multiOutcomePanel(6);
    const rw = await romanoWolf(frame, { ...base, outcomes, seed: 9, draws: 999, weights: 'webb' });
    const byStep = [...rw.rows].sort((a, b) => a.step - b.step);
    for (const [j, row] of byStep.entries()) {
      expect(row.pRomanoWolf).toBeGreaterThanOrEqual(row.pValue);
      expect(row.pWestfallYoung).toBeGreaterThanOrEqual(row.pRomanoWolf);
      expect(row.pWestfallYoungMinP).toBeGreaterThanOrEqual(row.pValue - 1e-12);
      if (j > 0) {
        expect(Math.abs(row.statistic)).toBeLessThanOrEqual(Math.abs(byStep[j - 1]!.statistic));
        expect(row.pRomanoWolf).toBeGreaterThanOrEqual(byStep[j - 1]!.pRomanoWolf);
      }
    }
    // the largest |t| gets the single-step value: the same max over all outcomes
    expect(byStep[0]!.pRomanoWolf).toBe(byStep[0]!.pWestfallYoung);
  });

  it('is deterministic in the seed', async () => {
    const frame = multiOutcomePanel(7);
    const a = await romanoWolf(frame, { ...base, outcomes, seed: 2, draws: 299, weights: 'webb' });
    const b = await romanoWolf(frame, { ...base, outcomes, seed: 2, draws: 299, weights: 'webb' });
    const c = await romanoWolf(frame, { ...base, outcomes, seed: 3, draws: 299, weights: 'webb' });
    expect(b.rows).toEqual(a.rows);
    expect(c.rows.map((r) => r.pRomanoWolf)).not.toEqual(a.rows.map((r) => r.pRomanoWolf));
  });

  it('outcomes with different missing rows share weights by cluster label', async () => {
    const frame = multiOutcomePanel(8);
    const zone = frame.values('zone');
    // y2 missing on every row of zone z3: its draws use the other zones' weights
    const y2 = Float64Array.from(frame.numeric('y2'), (v, r) => (String(zone[r]) === 'z3' ? Number.NaN : v));
    const f2 = frame.withColumns({ y2m: y2 });
    const rw = await romanoWolf(f2, { ...base, outcomes: ['y', 'y2m'], seed: 4, draws: 199, weights: 'webb' });
    expect(rw.nClusters).toBe(12);
    expect(rw.rows[1]!.nClusters).toBe(11);
    expect(rw.rows[1]!.nobs).toBeLessThan(rw.rows[0]!.nobs);
  });

  it('plusOne reports (# + 1) / (B + 1), as wildrwolf', async () => {
    const frame = multiOutcomePanel(6);
    const a = await romanoWolf(frame, { ...base, outcomes, seed: 9, draws: 199, weights: 'webb' });
    const b = await romanoWolf(frame, { ...base, outcomes, seed: 9, draws: 199, weights: 'webb', plusOne: true });
    expect(b.spec.plusOne).toBe(true);
    for (const [k, r] of b.rows.entries()) {
      const q = a.rows[k]!;
      expect(r.pRomanoWolf).toBeCloseTo((q.pRomanoWolf * 199 + 1) / 200, 14);
      expect(r.pValue).toBeCloseTo((q.pValue * 199 + 1) / 200, 14);
      expect(r.pWestfallYoungMinP).toBeCloseTo((q.pWestfallYoungMinP * 199 + 1) / 200, 14);
    }
  });

  it('adjustedPValues by hand on a small matrix', () => {
    // 2 outcomes, 4 draws
    const t = [3, 1];
    const tStar = Float64Array.from([0.5, -2, 3.5, 1, /* outcome 2 */ 2, 0.2, -0.1, 4]);
    const a = adjustedPValues(t, tStar, 4);
    expect([...a.unadjusted]).toEqual([1 / 4, 2 / 4]);
    // max |t*| per draw: [2, 2, 3.5, 4]; step 1 (t = 3): 2 of 4; step 2 (t = 1): own 2/4, monotone 0.5
    expect([...a.westfallYoungMaxT]).toEqual([2 / 4, 1]);
    expect([...a.romanoWolf]).toEqual([2 / 4, 2 / 4]);
    expect([...a.step]).toEqual([1, 2]);
    expect(() => adjustedPValues([Number.NaN], new Float64Array(4), 4)).toThrow(/not finite/);
  });

  it('rejects bad options by name', async () => {
    const frame = multiOutcomePanel(3);
    await expect(romanoWolf(frame, { ...base, outcomes: [], seed: 1 })).rejects.toThrow(/option outcomes/);
    await expect(romanoWolf(frame, { ...base, outcomes: ['y', 'y'], seed: 1 })).rejects.toThrow(/duplicated/);
    await expect(romanoWolf(frame, { ...base, outcomes: ['nope'], seed: 1 })).rejects.toThrow(/'nope' not found/);
    await expect(romanoWolf(frame, { ...base, outcomes: ['y'], seed: 1.5 })).rejects.toThrow(/option seed/);
  });
});
