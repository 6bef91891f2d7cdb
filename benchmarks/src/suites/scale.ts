// The whole main job at 1x, 10x and 100x the seed panel's rows, each in its own process (wall time,
// peak RSS, per-analysis seconds). Sizes: 286 x 9 (the seeds), 1,430 x 18 (5x cities, 2x years) and
// 14,300 x 18 (50x cities, 2x years): 2,574, 25,740 and 257,400 rows. quick = --quick draws and
// networks (CI: the 10x case, memory ceiling enforced); seed = 1x with default draws; large = 10x and
// 100x with default draws. Budgets (issue 15) are recorded as ceilings: memory fails --check, time is
// recorded and compared in the README, never asserted.
import type { BenchCase, BenchSuite, Scale } from '../harness.js';
import { measureReplicate, type ReplicateSize } from '../scale/replicate-process.js';

const GiB = 2 ** 30;
const SIZES = {
  '1x': { cities: 286, years: 9 },
  '10x': { cities: 1430, years: 18 },
  '100x': { cities: 14300, years: 18 },
} as const;

/** Budgets of issue 15 (CI-class machine, CPU backend, default draws); quick runs share the memory ceiling. */
const BUDGET = {
  '1x': { seconds: 60, rssBytes: 1.5 * GiB },
  '10x': { seconds: 300, rssBytes: 3 * GiB },
  '100x': { seconds: 1200, rssBytes: 8 * GiB },
} as const;

function scaleCase(factor: keyof typeof SIZES, quick: boolean): BenchCase {
  const size: ReplicateSize = { ...SIZES[factor], quick };
  const budget = BUDGET[factor];
  return {
    name: `replicate ${factor}${quick ? ' --quick' : ''} (${size.cities} x ${size.years})`,
    params: { factor, cities: size.cities, years: size.years, rows: size.cities * size.years, quick },
    backend: 'cpu',
    run: async () => {
      const m = await measureReplicate(size);
      return {
        ...m,
        ceilings: { peak_rss_bytes: { value: m.peak_rss_bytes, ceiling: budget.rssBytes } },
        budget_seconds: budget.seconds,
        within_time_budget: quick ? null : m.wall_s <= budget.seconds,
      };
    },
  };
}

export const suite: BenchSuite = {
  name: 'scale',
  description: 'The whole main job (`panel-lab replicate`, both seeds, report included) at 1x, 10x and 100x the seed panel rows, each in its own process: wall time, peak RSS, seconds per analysis.',
  repeat: { warmup: 0, runs: 1 },
  cases(scale: Scale): BenchCase[] {
    if (scale === 'quick') return [scaleCase('1x', true), scaleCase('10x', true)];
    if (scale === 'seed') return [scaleCase('1x', false)];
    return [scaleCase('10x', false), scaleCase('100x', false)];
  },
};
