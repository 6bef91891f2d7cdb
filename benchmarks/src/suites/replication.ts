// End-to-end main job: both seeds' analyses on the synthetic panel, as `panel-lab replicate` runs them
// (without writing the report). quick = the --quick smoke sizes; seed = the default draws and networks.
import { replicationSpec, runSpec } from '@panel-lab/analysis';
import type { BenchCase, BenchSuite, Scale } from '../harness.js';

function replicationCase(quick: boolean): BenchCase {
  return {
    name: quick ? 'replicate --quick (both seeds)' : 'replicate (both seeds, default draws)',
    params: { cities: 286, years: 9, rows: 286 * 9, quick },
    backend: 'cpu',
    run: async () => {
      const run = await runSpec(replicationSpec({ quick }));
      return { analyses: run.analyses.length, seconds_by_analysis: Object.fromEntries(run.timings.map((t) => [t.step, Number(t.seconds.toFixed(3))])) };
    },
  };
}

export const suite: BenchSuite = {
  name: 'replication',
  description: 'End-to-end replication of both seeds on the 286 x 9 synthetic China city panel (analyses only; the report is written separately).',
  cases(scale: Scale): BenchCase[] {
    return [replicationCase(scale === 'quick')];
  },
};
