import type { Command } from 'commander';
import { describeData } from './describe.js';

export function registerReplicate(program: Command): void {
  program
    .command('replicate')
    .description('run the main job: the seeds\' analysis on the bundled data, writing its report')
    .option('--out <dir>', 'output folder', 'panel-lab-output')
    .action(async () => {
      // Grows with each estimator: for now the bundled example panel's facts and descriptive table.
      process.stdout.write('Bundled example panel: mpdta (R package did; county teen employment, 2003-2007)\n\n');
      process.stdout.write(`${await describeData('mpdta', { format: 'text' })}\n`);
    });
}
