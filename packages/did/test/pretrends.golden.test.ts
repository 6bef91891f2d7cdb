import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { eventStudy } from '../src/regression/event-study.js';
import { linearTrend, mvnRectangle, pretrendsAnalysis, pretrendsInputFromEventStudy, pretrendsPower, slopeForPower, type PretrendsInput } from '../src/pretrends/index.js';
import { readGoldenCsv } from './helpers.js';

// Roth (2022) pre-test power vs an independent R computation of the paper's formulas
// (goldens/results/pretrends_power.R: mvtnorm Miwa rectangle probabilities, Tallis truncated mean,
// uniroot). Our probabilities come from a seeded randomised lattice; they must agree with R within
// the error bound we report (3.5 standard errors across shifts).
interface AtSlope {
  slope: number; delta: number[]; power: number; probPassUnderParallel: number;
  bayesFactor: number; likelihoodRatio: number; meanAfterPretest: number[];
}
interface Block {
  input: { betahat: number[]; sigma: number[][]; eventTimes: number[]; referencePeriod: number };
  probPassUnderParallel: number;
  slopeForPower: { power: number[]; slope: number[] };
  atSlope: AtSlope[];
}
const g = loadGolden<{ BCdata: Block; cities: Block }>('pretrends_power');

function checkBlock(input: PretrendsInput, want: Block, lattice: { points?: number } = {}) {
  // slopes for the powers, then 0.01: the same rows as the R script's atSlope
  const ours = pretrendsAnalysis(input, { ...lattice, powers: want.slopeForPower.power, slopes: [want.atSlope[2]!.slope] });
  // P(pass | parallel trends) from the lattice vs Miwa (deterministic)
  expect(Math.abs(ours.probPassUnderParallel - want.probPassUnderParallel)).toBeLessThan(3e-5);
  ours.slopeForPower.forEach((r, k) => expect(Math.abs(r.slope / want.slopeForPower.slope[k]! - 1)).toBeLessThan(2e-4));
  for (const [k, at] of want.atSlope.entries()) {
    // evaluated at R's slope, so the comparison does not mix root error with QMC error
    const r = k < 2 ? pretrendsPower(input, linearTrend(input, at.slope), lattice) : ours.atSlope[k]!;
    r.delta.forEach((d, i) => expect(d).toBeCloseTo(at.delta[i]!, 14));
    expect(Math.abs(r.power - at.power)).toBeLessThan(3.5 * r.powerStandardError + 1e-9);
    expect(Math.abs(r.bayesFactor / at.bayesFactor - 1)).toBeLessThan(5e-5);
    expect(Math.abs(r.likelihoodRatio / at.likelihoodRatio - 1)).toBeLessThan(1e-10);
    r.meanAfterPretest.forEach((m, i) => expect(Math.abs(m - at.meanAfterPretest[i]!)).toBeLessThan(3.5 * r.meanAfterPretestStandardError[i]! + 1e-8));
  }
}

describe('pre-trends power (Roth 2022) vs an independent R computation (mvtnorm)', () => {
  it('BCdata (HonestDiD BCdata_EventStudy; event time = year - 2008)', () => {
    const i = g.BCdata.input;
    checkBlock({ betahat: i.betahat, sigma: i.sigma, eventTimes: i.eventTimes, referencePeriod: i.referencePeriod }, g.BCdata);
  }, 60_000);

  it('our TWFE event study on cities_panel (window [-4, 4], trimmed), end to end', () => {
    const frame = readGoldenCsv('cities_panel.csv', 'city_code', 'year');
    const es = eventStudy(frame, { outcome: 'y', treatment: { cohort: 'g' }, window: [-4, 4], endpoints: 'trim', ref: -1 });
    const input = pretrendsInputFromEventStudy(es);
    expect(input.eventTimes).toEqual(g.cities.input.eventTimes);
    input.betahat.forEach((b, k) => expect(Math.abs(b - g.cities.input.betahat[k]!)).toBeLessThan(1e-12));
    // a quarter of the default lattice keeps the test cheap; the bounds scale with the reported error
    checkBlock(input, g.cities, { points: 8192 });
  }, 60_000);
});

describe('pretrends equivalences', () => {
  const i = g.BCdata.input;
  const input: PretrendsInput = { betahat: i.betahat, sigma: i.sigma, eventTimes: i.eventTimes, referencePeriod: i.referencePeriod };
  it('under parallel trends: Bayes factor and likelihood ratio 1, no bias after pre-testing', () => {
    const r = pretrendsPower(input, linearTrend(input, 0), { points: 4096 });
    expect(r.bayesFactor).toBe(1);
    expect(r.likelihoodRatio).toBe(1);
    r.meanAfterPretest.forEach((m, k) => expect(Math.abs(m)).toBeLessThan(3.5 * r.meanAfterPretestStandardError[k]! + 1e-10));
  });
  it('power is symmetric in the sign of the slope and the bias flips sign', () => {
    const up = pretrendsPower(input, linearTrend(input, 0.01), { points: 4096 });
    const down = pretrendsPower(input, linearTrend(input, -0.01), { points: 4096 });
    expect(Math.abs(up.power - down.power)).toBeLessThan(3.5 * (up.powerStandardError + down.powerStandardError));
    up.post.forEach((p, k) => expect(Math.abs(p.biasAfterPretest + down.post[k]!.biasAfterPretest)).toBeLessThan(3.5 * 2 * up.meanAfterPretestStandardError[input.eventTimes.indexOf(p.eventTime)]! + 1e-9));
  });
});

describe('mvnRectangle', () => {
  it('reproduces the bivariate and univariate cases and reports a shrinking error', () => {
    // univariate: exact
    const u = mvnRectangle([0.3], [[4]], [-1], [2]);
    const phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
    expect(u.probability).toBeCloseTo(phi((2 - 0.3) / 2) - phi((-1 - 0.3) / 2), 12);
    // independent coordinates: the product of univariate probabilities; truncated mean of a symmetric box is the centre
    const ind = mvnRectangle([0, 0, 0], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [-1, -1, -1], [1, 1, 1]);
    expect(Math.abs(ind.probability - (phi(1) - phi(-1)) ** 3)).toBeLessThan(1e-9);
    ind.truncatedMean!.forEach((m, i) => expect(Math.abs(m)).toBeLessThan(3.5 * ind.truncatedMeanStandardError![i]! + 1e-9));
    const coarse = mvnRectangle([0, 0.2], [[1, 0.5], [0.5, 1]], [-1.96, -1.96], [1.96, 1.96], { points: 512 });
    const fine = mvnRectangle([0, 0.2], [[1, 0.5], [0.5, 1]], [-1.96, -1.96], [1.96, 1.96], { points: 32768 });
    expect(fine.standardError).toBeLessThan(coarse.standardError);
    expect(Math.abs(fine.probability - coarse.probability)).toBeLessThan(3.5 * coarse.standardError + 1e-12);
  });

  it('gives the same integral with Genz-Bretz variable reordering (within the error bounds)', () => {
    const S = [[1, 0.6, 0.2], [0.6, 2, 0.4], [0.2, 0.4, 0.5]];
    const plain = mvnRectangle([0.5, -0.2, 0.1], S, [-1, -3, -0.5], [1.5, 1, 0.8]);
    const ordered = mvnRectangle([0.5, -0.2, 0.1], S, [-1, -3, -0.5], [1.5, 1, 0.8], { reorder: true });
    expect(Math.abs(plain.probability - ordered.probability)).toBeLessThan(plain.errorBound + ordered.errorBound);
    plain.truncatedMean!.forEach((m, i) => expect(Math.abs(m - ordered.truncatedMean![i]!)).toBeLessThan(3.5 * (plain.truncatedMeanStandardError![i]! + ordered.truncatedMeanStandardError![i]!) + 1e-10));
  });

  it('is deterministic for a seed and rejects bad input by name', () => {
    const a = mvnRectangle([0, 0], [[1, 0.3], [0.3, 1]], [-1, -1], [1, 1], { seed: 7 });
    const b = mvnRectangle([0, 0], [[1, 0.3], [0.3, 1]], [-1, -1], [1, 1], { seed: 7 });
    expect(a).toEqual(b);
    expect(() => mvnRectangle([0, 0], [[1, 2], [2, 1]], [-1, -1], [1, 1])).toThrow(/not positive definite/);
    expect(() => mvnRectangle([0], [[1]], [1], [0])).toThrow(/lower\[0\] < upper\[0\]/);
    const input: PretrendsInput = { betahat: [0, 1], sigma: [[1, 0], [0, 1]], eventTimes: [-2, 0], referencePeriod: -1 };
    expect(() => slopeForPower(input, 0.01)).toThrow(/target power must lie/);
    expect(() => pretrendsPower({ ...input, eventTimes: [-1, 0] }, [0, 0])).toThrow(/reference period -1 must not be/);
  });
});

// Abramowitz-Stegun-free erf via the complementary relation with a high-accuracy series is overkill;
// use the normal cdf the library itself relies on.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
function erf(x: number): number {
  return 2 * normalCdf(x * Math.SQRT2, 0, 1) - 1;
}
