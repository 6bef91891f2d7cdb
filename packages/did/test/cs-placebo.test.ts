import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { createRng } from '@panel-lab/compute';
import { csPlacebo } from '../src/index.js';

/** A panel with no treatment effect: placebo ATTs should centre on 0 and the real one should not stand out. */
function nullPanel(seed: number, units = 60, periods = 6) {
  const rng = createRng(seed);
  const unit: number[] = [];
  const time: number[] = [];
  const y: number[] = [];
  const g: number[] = [];
  for (let u = 0; u < units; u++) {
    const alpha = rng.normal();
    const cohort = u < 10 ? 2003 : u < 20 ? 2004 : 0;
    for (let t = 0; t < periods; t++) {
      unit.push(u);
      time.push(2000 + t);
      y.push(alpha + 0.1 * t + rng.normal());
      g.push(cohort);
    }
  }
  return PanelFrame.fromColumns({ unit, time, y, g }, { unit: 'unit', time: 'time' });
}

describe('csPlacebo', () => {
  it('draws pseudo-cohorts, is reproducible and centred near zero under the null', () => {
    const frame = nullPanel(1);
    const a = csPlacebo(frame, { outcome: 'y', cohort: 'g', draws: 60, seed: 7, chunkSize: 25 });
    const b = csPlacebo(frame, { outcome: 'y', cohort: 'g', draws: 60, seed: 7, chunkSize: 25 });
    expect(a.draws).toEqual(b.draws);
    expect(a.summary.valid).toBe(60);
    // mean of 60 null draws within 4 standard errors of 0
    expect(Math.abs(a.summary.mean)).toBeLessThan((4 * a.summary.sd) / Math.sqrt(60));
    expect(a.summary.pTwoSided).toBeGreaterThan(0.01);
    const c = csPlacebo(frame, { outcome: 'y', cohort: 'g', draws: 60, seed: 8, chunkSize: 25 });
    expect(c.draws).not.toEqual(a.draws);
  });

  it('flags a real effect as extreme against its placebo distribution', () => {
    const base = nullPanel(2);
    const y = base.numeric('y').slice();
    const g = base.numeric('g');
    const t = base.numeric('time');
    for (let i = 0; i < y.length; i++) if (g[i]! > 0 && t[i]! >= g[i]!) y[i]! -= 1.5;
    const frame = base.withColumns({ y });
    const res = csPlacebo(frame, { outcome: 'y', cohort: 'g', draws: 99, seed: 3 });
    expect(res.estimate.att).toBeLessThan(-1);
    expect(res.summary.pTwoSided).toBeLessThanOrEqual(0.02);
  });

  it('keeps the treated set in timing-only mode and rejects bad options', () => {
    const frame = nullPanel(4);
    const res = csPlacebo(frame, { outcome: 'y', cohort: 'g', draws: 20, seed: 1, mode: 'C_timing_only' });
    expect(res.summary.valid + res.summary.degenerate).toBe(20);
    expect(res.failures.count).toBe(res.summary.degenerate);
    expect(res.meta.path).toBe('sums');
    expect(res.meta.fullDraws).toBe(0);
    expect(() => csPlacebo(frame, { outcome: 'y', cohort: 'g', draws: 1, seed: 1 })).toThrow(/draws/);
  });
});

describe('csTimingShift', () => {
  it('finds no effect at fake dates under the null and a real one when the fake date overlaps the effect', async () => {
    const { csTimingShift } = await import('../src/index.js');
    const base = nullPanel(5, 80, 8);
    const res = csTimingShift(base, { outcome: 'y', cohort: 'g', shifts: [-1, -2] });
    expect(res.rows.map((r) => r.shift)).toEqual([-1, -2]);
    for (const r of res.rows) expect(Math.abs(r.estimate! / r.std_error!)).toBeLessThan(4);
    const y = base.numeric('y').slice();
    const g = base.numeric('g');
    const t = base.numeric('time');
    for (let i = 0; i < y.length; i++) if (g[i]! > 0 && t[i]! >= g[i]!) y[i]! -= 2;
    const shifted = csTimingShift(base.withColumns({ y }), { outcome: 'y', cohort: 'g', shifts: [-1] });
    expect(shifted.rows[0]!.estimate!).toBeLessThan(-0.5);
    expect(() => csTimingShift(base, { outcome: 'y', cohort: 'g', shifts: [0] })).toThrow(/shift/);
  });
});
