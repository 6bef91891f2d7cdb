import type { Command } from 'commander';
import type { PanelFrame } from '@panel-lab/panel';

export interface DescribeOptions {
  unit?: string;
  time?: string;
  format: 'text' | 'markdown';
}

/** Loads a bundled example by name or a data file by path. */
export async function loadData(source: string, options: { unit?: string; time?: string }): Promise<PanelFrame> {
  // Imported when the command runs, not at start-up (`panel-lab --help` loads no data library).
  if (source === 'mpdta') return (await import('@panel-lab/datasets')).loadMpdta();
  if (!options.unit || !options.time) {
    throw new Error(`reading '${source}' needs --unit and --time (the unit and time column names)`);
  }
  const { readPanel } = await import('@panel-lab/panel');
  return readPanel(source, { unit: options.unit, time: options.time });
}

export async function describeData(source: string, options: DescribeOptions): Promise<string> {
  const frame = await loadData(source, options);
  const { describePanel, formatDescriptiveTable } = await import('@panel-lab/panel');
  return formatDescriptiveTable(describePanel(frame), options.format);
}

export function registerDescribe(program: Command): void {
  program
    .command('describe')
    .description('print panel facts (units, periods, balance, gaps) and the descriptive-statistics table of a dataset')
    .argument('<data>', "a CSV/Parquet/Arrow file, or a bundled example: 'mpdta'")
    .option('--unit <column>', 'unit (panel id) column')
    .option('--time <column>', 'time column')
    .option('--format <format>', 'text or markdown', 'text')
    .action(async (source: string, options: DescribeOptions) => {
      process.stdout.write(`${await describeData(source, options)}\n`);
    });
}
