import { resolve } from 'node:path';
import type { Command, OptionValues } from 'commander';
import { parseIntOption } from '../options.js';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write the synthetic China city panel (and its ground truth as JSON) to CSV, Parquet or Arrow')
    .requiredOption('--out <file>', 'output file: .csv, .parquet or .arrow')
    .option('--seed <n>', 'generator seed', parseIntOption('--seed'), 20240601)
    .option('--cities <n>', 'number of cities (default: the 286 real ones)', parseIntOption('--cities'))
    .option('--years <n>', 'number of years from 2011 (default 2011-2019)', parseIntOption('--years'))
    .action(async (options: OptionValues) => {
      const t0 = performance.now();
      // Imported when the command runs, not at start-up.
      const [{ generateChinaPanel }, { writePanel }] = await Promise.all([import('@panel-lab/datasets'), import('@panel-lab/panel')]);
      const panel = generateChinaPanel({
        seed: options.seed as number,
        ...(options.cities !== undefined ? { cities: options.cities as number } : {}),
        ...(options.years !== undefined ? { years: options.years as number } : {}),
      });
      const out = resolve(options.out as string);
      await writePanel(panel.frame, out);
      process.stdout.write(
        `wrote ${panel.frame.nrows} rows x ${panel.frame.columnNames.length} columns to ${out} in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`,
      );
    });
}
