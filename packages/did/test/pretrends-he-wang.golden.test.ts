import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { linearTrend, pretrendsPower, slopeForPower, type PretrendsInput } from '../src/pretrends/index.js';

// The R package pretrends' own published example (its README: He and Wang 2017, Figure 2C). Its
// probabilities are mvtnorm GenzBretz quasi-Monte Carlo values printed to 7-8 digits, ours a seeded
// lattice: the two integration errors bound the agreement (the likelihood ratio is exact on both sides).
interface Golden {
  input: PretrendsInput;
  linear: {
    targetPower: number; slope: number; power: number; bayesFactor: number; likelihoodRatio: number;
    eventplot: { t: number[]; deltatrue: number[]; se: number[]; meanAfterPretesting: number[] };
  };
  quadratic: { coefficient: number; power: number; bayesFactor: number; likelihoodRatio: number };
}
const g = loadGolden<Golden>('pretrends_he_wang');
const byEventTime = (input: PretrendsInput, values: readonly number[], t: number) => values[input.eventTimes.indexOf(t)]!;

describe("pretrends' published example (He and Wang 2017)", () => {
  const input = g.input;

  it('slope for 50% power, power, Bayes factor, likelihood ratio and the means after pre-testing', () => {
    const slope = slopeForPower(input, g.linear.targetPower).slope;
    expect(Math.abs(slope / g.linear.slope - 1)).toBeLessThan(5e-4);
    const r = pretrendsPower(input, linearTrend(input, g.linear.slope));
    expect(Math.abs(r.power - g.linear.power)).toBeLessThan(3.5 * r.powerStandardError + 2e-4);
    expect(Math.abs(r.bayesFactor / g.linear.bayesFactor - 1)).toBeLessThan(1e-3);
    expect(Math.abs(r.likelihoodRatio / g.linear.likelihoodRatio - 1)).toBeLessThan(1e-6);
    const ep = g.linear.eventplot;
    ep.t.forEach((t, k) => {
      if (t === input.referencePeriod) return;
      expect(byEventTime(input, r.delta, t)).toBeCloseTo(ep.deltatrue[k]!, 7);
      expect(Math.sqrt(input.sigma[input.eventTimes.indexOf(t)]![input.eventTimes.indexOf(t)]!)).toBeCloseTo(ep.se[k]!, 7);
      expect(Math.abs(byEventTime(input, r.meanAfterPretest, t) - ep.meanAfterPretesting[k]!)).toBeLessThan(2e-5);
    });
  });

  it('the quadratic trend: power, Bayes factor and likelihood ratio', () => {
    const delta = input.eventTimes.map((t) => g.quadratic.coefficient * (t - input.referencePeriod) ** 2);
    const r = pretrendsPower(input, delta);
    expect(Math.abs(r.power - g.quadratic.power)).toBeLessThan(3.5 * r.powerStandardError + 2e-4);
    expect(Math.abs(r.bayesFactor / g.quadratic.bayesFactor - 1)).toBeLessThan(1e-3);
    expect(Math.abs(r.likelihoodRatio / g.quadratic.likelihoodRatio - 1)).toBeLessThan(1e-6);
  });
});
