// Pre-trends power (Roth 2022; issue 20, item 2): the paper's table in one pass (P(pass | parallel
// trends), the linear-trend slopes with 50% and 80% power by root finding, and at each slope the power,
// Bayes factor, likelihood ratio and the bias after the pre-test). Its "resampling" is the seeded
// randomised lattice (Genz) for the rectangle probabilities and truncated means: cost points x shifts x
// pre-periods per evaluation, times the root's evaluations. R pretrends is not in the peers library;
// r/pretrends-mvtnorm.R computes the same formulas with mvtnorm's GenzBretz lattice given as many
// points (maxpts = our points x shifts), so the estimates agree within the lattices' error, not exactly.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MVN_DEFAULTS, pretrendsAnalysis, type PretrendsInput } from '@panel-lab/did';
import { loadGolden } from '@panel-lab/testing';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { rPeerUnavailable } from '../r-peer.js';
import { withCpuSeconds } from '../cpu-time.js';

type Input = Pick<PretrendsInput, 'betahat' | 'sigma' | 'eventTimes' | 'referencePeriod'>;

/** HonestDiD's BCdata event study (4 pre, 4 post periods), as the pretrends golden holds it. */
function bcdata(): Input {
  const g = loadGolden<{ BCdata: { input: Input } }>('pretrends_power');
  const i = g.BCdata.input;
  return { betahat: i.betahat, sigma: i.sigma, eventTimes: i.eventTimes, referencePeriod: i.referencePeriod };
}

/** A synthetic event study with `pre` pre-periods and 4 post: AR(1) correlation 0.5, se 0.02, zero estimates. */
function synthetic(pre: number): Input {
  const eventTimes = [...Array.from({ length: pre }, (_, k) => k - pre - 1), 0, 1, 2, 3];
  const n = eventTimes.length;
  const sigma = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 0.02 * 0.02 * 0.5 ** Math.abs(i - j)));
  return { betahat: eventTimes.map((t) => (t < -1 ? 0.002 * (t + 1) : 0.01)), sigma, eventTimes, referencePeriod: -1 };
}

interface Variant {
  readonly data: 'BCdata' | number;
  readonly points: number;
}

function variants(scale: Scale): Variant[] {
  // CI: a coarse lattice keeps it under a second
  if (scale === 'quick') return [{ data: 'BCdata', points: 1024 }];
  if (scale === 'seed') {
    // lattice growth on BCdata (4,096 vs 32,768 points per shift, the default), dimension growth (4 vs 8 pre-periods)
    return [
      { data: 'BCdata', points: 4096 },
      { data: 'BCdata', points: MVN_DEFAULTS.points },
      { data: 8, points: 4096 },
    ];
  }
  return [{ data: 8, points: MVN_DEFAULTS.points }];
}

const POWERS = [0.5, 0.8];

export const suite: BenchSuite = {
  name: 'pretrends-power',
  description:
    'Roth (2022) pre-test power: P(pass | parallel), the linear-trend slopes for 50% and 80% power (root finding), and power, Bayes factor, likelihood ratio and post-pretest bias at each; ' +
    `seeded Genz lattice (${MVN_DEFAULTS.shifts} shifts). R peer: the same formulas with mvtnorm GenzBretz (maxpts = points x shifts, abseps = 0) and uniroot, in r/pretrends-mvtnorm.R, since R pretrends is not in the peers library. No GPU machine was used.`,
  // one timed run per case on each side (R too: warmup=0 reps=1): a run at the default lattice is tens of seconds
  repeat: { warmup: 0, runs: 1 },
  cases(scale: Scale): BenchCase[] {
    return variants(scale).map((v): BenchCase => {
      const label = v.data === 'BCdata' ? 'BCdata (4 pre, 4 post)' : `synthetic AR(1) (${v.data} pre, 4 post)`;
      const maxpts = v.points * MVN_DEFAULTS.shifts;
      return {
        name: `pretrends power table, ${label}, ${v.points} lattice points x ${MVN_DEFAULTS.shifts} shifts`,
        params: { data: v.data === 'BCdata' ? 'BCdata' : `synthetic ${v.data} pre`, points: v.points, shifts: MVN_DEFAULTS.shifts },
        setup: () => {
          const input = v.data === 'BCdata' ? bcdata() : synthetic(v.data);
          let file: string | null = null;
          if (!rPeerUnavailable()) {
            file = join(mkdtempSync(join(tmpdir(), 'panel-lab-rpeer-')), 'pretrends-input.json');
            writeFileSync(file, JSON.stringify(input));
          }
          return { input, file };
        },
        rPeer: {
          pkg: 'mvtnorm',
          script: 'pretrends-mvtnorm.R',
          args: (p: unknown) => ({ file: (p as { file: string }).file, powers: POWERS.join(','), algorithm: 'genz', maxpts, warmup: 0, reps: 1, seed: 1 }),
          estimate: (extra: Record<string, unknown>) => extra.estimates as Record<string, number>,
        },
        run: async (prepared) => {
          const { input } = prepared as { input: PretrendsInput };
          const { value: r, cpuSeconds } = await withCpuSeconds(() => pretrendsAnalysis(input, { powers: POWERS, points: v.points }));
          const estimates: Record<string, number> = { prob_pass_parallel: r.probPassUnderParallel };
          POWERS.forEach((p, k) => {
            const tag = `p${String(Math.round(100 * p)).padStart(2, '0')}`;
            estimates[`slope_${tag}`] = r.slopeForPower[k]!.slope;
            estimates[`bayes_factor_${tag}`] = r.atSlope[k]!.bayesFactor;
            estimates[`bias_first_post_${tag}`] = r.atSlope[k]!.post[0]!.biasAfterPretest;
          });
          const evaluations = r.slopeForPower.reduce((acc, s) => acc + s.iterations, 0);
          return {
            estimates,
            cpu_s: cpuSeconds,
            root_evaluations: evaluations,
            power_se_at_p80: r.atSlope[1]!.powerStandardError,
            note: `slope 80% power ${estimates.slope_p80!.toExponential(4)} (${evaluations} root evaluations), bias after pretest ${estimates.bias_first_post_p80!.toExponential(4)}; load avg ${loadavg()[0]!.toFixed(1)}`,
          };
        },
      };
    });
  },
};
