/** Placebo in time against R synthdid_placebo on california_prop99 (goldens/results/synthdid_time_placebo.json). */
import { describe, expect, it } from 'vitest';
import { loadGolden, maxAbsDiff } from '@panel-lab/testing';
import { didEstimate, synthdidEstimate, synthdidTimePlacebo } from '../../src/synthdid/index.js';
import { californiaBlock } from './synthdid-data.js';

type Fit = { estimate: number; T0: number; omega: number[]; lambda: number[] };
const golden = loadGolden<{ california_prop99: { synthdid: Fit; did: Fit } }>('synthdid_time_placebo');

describe('synthdid placebo in time (california_prop99)', () => {
  const b = californiaBlock();
  it.each([
    ['synthdid', synthdidEstimate],
    ['did', didEstimate],
  ] as const)('%s: estimate and weights to 1e-8', (kind, fit) => {
    const p = synthdidTimePlacebo(fit(b.y, b.n0, b.t0));
    const r = golden.california_prop99[kind];
    expect(p.t0).toBe(r.T0);
    expect(Math.abs(p.estimate - r.estimate)).toBeLessThan(1e-8);
    expect(maxAbsDiff(p.omega, r.omega)).toBeLessThan(1e-8);
    expect(maxAbsDiff(p.lambda, r.lambda)).toBeLessThan(1e-8);
  });
  it('rejects a fraction that leaves no placebo period', () => {
    expect(() => synthdidTimePlacebo(didEstimate(b.y, b.n0, b.t0), 0.99)).toThrow(/no placebo/);
  });
});
