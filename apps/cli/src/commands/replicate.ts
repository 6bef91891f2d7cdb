import { join, resolve } from 'node:path';
import type { Command, OptionValues } from 'commander';
import type { SeedId } from '@panel-lab/analysis';
import { parseIntOption } from '../options.js';
import { runAndReport, WORKERS_HELP } from './run.js';
import { EXIT_STATUS_HELP, assertNoFailures } from '../failures.js';

function parseSeed(value: string, previous: SeedId[] = []): SeedId[] {
  const seed = value.padStart(3, '0');
  if (seed !== '000' && seed !== '002') throw new Error(`--seed must be 000 or 002, got '${value}'`);
  return [...previous, seed];
}

export function registerReplicate(program: Command): void {
  program
    .command('replicate')
    .description("the main job: both seeds' analyses on the synthetic China city panel, written as one report")
    .option('--seed <id>', 'replicate only seed 000 or seed 002 (repeatable)', parseSeed)
    .option('--out <dir>', 'output folder', 'panel-lab-output')
    .option('--backend <name>', 'compute backend for batched kernels: cpu, tfjs or gpujs')
    .option('--cities <n>', 'number of cities in the synthetic panel (default: the 286 real ones)', parseIntOption('--cities', 2))
    .option('--years <n>', 'number of years from 2011 (default 9: 2011-2019)', parseIntOption('--years', 3))
    .option('--data-seed <n>', 'generator seed of the synthetic panel', parseIntOption('--data-seed'))
    .option('--run-seed <n>', 'seed of every random step (placebo draws, bootstraps, networks)', parseIntOption('--run-seed'))
    .option('--placebo-draws <n>', 'placebo draws (default 1000; --quick 99)', parseIntOption('--placebo-draws', 1))
    .option('--bootstrap-draws <n>', "Callaway-Sant'Anna multiplier-bootstrap draws (default 999; --quick 99)", parseIntOption('--bootstrap-draws', 0))
    .option('--ann-replicates <n>', 'networks per seed-002 bootstrap ensemble (default 100; --quick 4)', parseIntOption('--ann-replicates', 2))
    .option('--quick', 'smoke-test sizes: few draws and small networks (well under a minute)', false)
    .option('--fail-fast', 'stop at the first failing analysis and write nothing (default: record it, run the others, exit 2)')
    .option('--workers <n>', WORKERS_HELP, parseIntOption('--workers', 1))
    .addHelpText('after', EXIT_STATUS_HELP)
    .action(async (options: OptionValues) => {
      // Imported when the command runs, not at start-up.
      const [{ replicationSpec }, { findChromium, screenshotReport }] = await Promise.all([import('@panel-lab/analysis'), import('@panel-lab/report')]);
      const spec = replicationSpec({
        ...(options.seed ? { seeds: options.seed as SeedId[] } : {}),
        ...(options.cities !== undefined ? { cities: options.cities as number } : {}),
        ...(options.years !== undefined ? { years: options.years as number } : {}),
        ...(options.dataSeed !== undefined ? { dataSeed: options.dataSeed as number } : {}),
        ...(options.runSeed !== undefined ? { seed: options.runSeed as number } : {}),
        ...(options.placeboDraws !== undefined ? { placeboDraws: options.placeboDraws as number } : {}),
        ...(options.bootstrapDraws !== undefined ? { bootstrapDraws: options.bootstrapDraws as number } : {}),
        ...(options.annReplicates !== undefined ? { annReplicates: options.annReplicates as number } : {}),
        quick: options.quick as boolean,
      });
      const out = resolve(options.out as string);
      const { run, report } = await runAndReport(spec, { out, backend: options.backend as string | undefined, failFast: options.failFast === true, workers: options.workers as number | undefined });
      const chromium = findChromium();
      if (chromium) {
        await screenshotReport(join(out, 'report.html'), join(out, 'report-first-screen.png'));
        process.stdout.write(`first-screen screenshot: ${join(out, 'report-first-screen.png')}\n`);
      }
      assertNoFailures(run, report);
    });
}
