import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { lpDid } from '../../src/index.js';
import { simulatePanel } from '../simulate.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Noise-free panel: y = unit level + period level + effect(g, t - g) once treated; cohort 0 = never. */
function exactPanel(cohortOf: (u: number) => number, units: number, periods: number, effect: (g: number, e: number) => number): PanelFrame {
  const id: number[] = [], time: number[] = [], g: number[] = [], y: number[] = [];
  for (let u = 0; u < units; u++) {
    const gu = cohortOf(u);
    for (let t = 1; t <= periods; t++) {
      id.push(u + 1);
      time.push(t);
      g.push(gu);
      y.push(Math.sin(u + 1) * 3 + 0.2 * t * t + (gu > 0 && t >= gu ? effect(gu, t - gu) : 0));
    }
  }
  return PanelFrame.fromColumns({ id, time, g, y }, { unit: 'id', time: 'time' });
}

describe('lpDid equivalences', () => {
  it('single treated cohort, no reweighting: each horizon is the 2x2 difference of mean long differences', () => {
    const frame = simulatePanel({ units: 300, periods: 8, cohorts: [5], seed: 11 });
    const res = lpDid(frame, { outcome: 'y', treatment: { cohort: 'g' }, pre: 4, post: 3 });
    const y = frame.numeric('y'), g = frame.numeric('g'), id = frame.numeric('id'), time = frame.numeric('time');
    const at = (u: number, t: number) => y[(u - 1) * 8 + t - 1]!;
    const units = Array.from(new Set(id));
    const treated = units.filter((u) => g[(u - 1) * 8] === 5);
    const never = units.filter((u) => g[(u - 1) * 8] === 0);
    expect(time[9]).toBe(2);
    for (const h of res.horizons) {
      if (h.reference) continue;
      const k = h.horizon as number;
      const dT = treated.map((u) => at(u, 5 + k) - at(u, 4));
      const dC = never.map((u) => at(u, 5 + k) - at(u, 4));
      expect(h.estimate).toBeCloseTo(mean(dT) - mean(dC), 12);
      expect(h.nTreated).toBe(treated.length);
    }
    const post = [0, 1, 2, 3];
    const pooled = (us: number[]) => mean(us.map((u) => mean(post.map((k) => at(u, 5 + k))) - at(u, 4)));
    expect(res.pooledPost.estimate).toBeCloseTo(pooled(treated) - pooled(never), 12);
  });

  it('homogeneous effects: plain and reweighted LP-DiD recover the true dynamic effect exactly', () => {
    const frame = exactPanel((u) => [0, 3, 4, 6, 0, 5][u % 6]!, 60, 9, (_g, e) => 1 + 0.25 * e);
    for (const reweight of [false, true]) {
      const res = lpDid(frame, { outcome: 'y', treatment: { cohort: 'g' }, pre: 2, post: 3, reweight });
      for (const h of res.horizons) {
        const k = h.horizon as number;
        expect(h.estimate).toBeCloseTo(k < 0 ? 0 : 1 + 0.25 * k, 10);
      }
      expect(res.pooledPost.estimate).toBeCloseTo(1 + 0.25 * 1.5, 10);
      expect(res.pooledPre!.estimate).toBeCloseTo(0, 10);
    }
  });

  it('heterogeneous cohort effects: reweighting gives the treated-count-weighted ATT, plain OLS does not', () => {
    // cohorts 3 (10 units), 4 (20), 6 (10), never (20): effect differs by cohort
    const cohortOf = (u: number) => (u < 10 ? 3 : u < 30 ? 4 : u < 40 ? 6 : 0);
    const effect = (g: number) => (g === 3 ? 1 : g === 4 ? 3 : 7);
    const frame = exactPanel(cohortOf, 60, 8, (g) => effect(g));
    const rw = lpDid(frame, { outcome: 'y', treatment: { cohort: 'g' }, post: 2, reweight: true });
    const plain = lpDid(frame, { outcome: 'y', treatment: { cohort: 'g' }, post: 2 });
    const h0 = rw.horizons.find((h) => h.horizon === 0)!;
    expect(h0.estimate).toBeCloseTo((10 * 1 + 20 * 3 + 10 * 7) / 40, 10);
    expect(h0.nTreated).toBe(40);
    expect(Math.abs(plain.horizons.find((h) => h.horizon === 0)!.estimate - h0.estimate)).toBeGreaterThan(1e-3);
    // h = 2: cohort 6 still has clean controls at t + 2 = 8 (never treated), all three cohorts enter
    expect(rw.horizons.find((h) => h.horizon === 2)!.estimate).toBeCloseTo(140 / 40, 10);
  });

  it('refuses a treatment that switches off, and bad windows, by name', () => {
    const frame = simulatePanel({ units: 20, periods: 5, cohorts: [3], seed: 1 });
    const d = frame.numeric('time').map((t, r) => (frame.numeric('g')[r]! > 0 && t === 3 ? 1 : 0));
    const flip = frame.withColumns({ d });
    expect(() => lpDid(flip, { outcome: 'y', treatment: { treatment: 'd' }, post: 1 })).toThrow(/treatment column 'd' is not absorbing/);
    expect(() => lpDid(frame, { outcome: 'y', treatment: { cohort: 'g' }, post: -1 })).toThrow(/option post/);
    expect(() => lpDid(frame, { outcome: 'y', treatment: { cohort: 'g' }, post: 9 })).toThrow(/option post = 9/);
    expect(() => lpDid(frame, { outcome: 'nope', treatment: { cohort: 'g' } })).toThrow(/outcome column 'nope'/);
  });
});
