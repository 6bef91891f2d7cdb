import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { matchNearest } from '../../src/robustness/matching.js';
import { propensityScore } from '../../src/robustness/propensity.js';

function frame(rows: { d: number; x: number }[]): PanelFrame {
  return PanelFrame.fromRows(rows.map((r, i) => ({ id: i, t: 1, ...r })), { unit: 'id', time: 't' });
}

describe('propensityScore: separation is detected and reported', () => {
  it('complete separation (x > 0 exactly predicts treatment)', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ x: i - 19.5, d: i >= 20 ? 1 : 0 }));
    const ps = propensityScore(frame(rows), { treatment: 'd', covariates: ['x'] });
    expect(ps.separation.kind).toBe('complete');
    expect(ps.converged).toBe(false);
    expect(ps.separation.rows.length).toBeGreaterThan(30);
  });

  it('quasi-complete separation (a dummy that is 1 only for treated units)', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ x: i < 10 ? 1 : 0, d: i < 10 || i % 3 === 0 ? 1 : 0 }));
    const ps = propensityScore(frame(rows), { treatment: 'd', covariates: ['x'] });
    expect(ps.separation.kind).toBe('quasi-complete');
    expect([...ps.separation.rows].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('names a missing covariate and a non-binary treatment', () => {
    const f = frame([{ d: 1, x: 1 }, { d: 0, x: 2 }]);
    expect(() => propensityScore(f, { treatment: 'd', covariates: ['z'] })).toThrow(/covariate 'z' not found/);
    expect(() => propensityScore(frame([{ d: 2, x: 1 }, { d: 0, x: 2 }]), { treatment: 'd', covariates: ['x'] })).toThrow(/must be 0\/1, got 2 at row 0/);
  });
});

describe('matchNearest options', () => {
  // treated scores high, controls spread out; logit on x gives monotone scores
  const rows = Array.from({ length: 80 }, (_, i) => ({ x: Math.sin(i) * 2 + (i % 4 === 0 ? 1.5 : 0), d: i % 4 === 0 ? 1 : 0 }));
  const ps = propensityScore(frame(rows), { treatment: 'd', covariates: ['x'] });

  it('with replacement a control can serve several treated units; weights count the uses', () => {
    const m = matchNearest(ps, { replace: true });
    expect(m.nMatchedTreated).toBe(20);
    const controlWeight = m.weights.reduce((s, w, i) => s + (ps.treated[i] === 0 ? w : 0), 0);
    expect(controlWeight).toBe(20);
    expect(m.nDistinctControls).toBeLessThanOrEqual(20);
  });

  it('without replacement every control is used at most once', () => {
    const m = matchNearest(ps, { replace: false, order: 'random', seed: 3 });
    expect(new Set(m.pairs.map((p) => p.controlRow)).size).toBe(m.pairs.length);
    expect(matchNearest(ps, { replace: false, order: 'random', seed: 3 }).pairs).toEqual(m.pairs);
  });

  it('a caliper and common support drop treated units and count them', () => {
    const m = matchNearest(ps, { caliper: { width: 0.001, scale: 'distance' }, commonSupport: true });
    expect(m.nMatchedTreated + m.unmatched.caliper + m.unmatched.commonSupport + m.unmatched.noControlLeft).toBe(20);
    expect(m.unmatched.caliper).toBeGreaterThan(0);
    for (const p of m.pairs) expect(p.distance).toBeLessThanOrEqual(0.001);
  });
});
