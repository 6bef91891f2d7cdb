import type { Command } from 'commander';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of analysis specs (or, with --results, of the results files a run writes)')
    .option('--results', 'the schema of results/<id>.json and results/run.json instead')
    .action(async (options: { results?: boolean }) => {
      // Imported when the command runs, not at start-up.
      const { resultsJsonSchema, runSpecJsonSchema } = await import('@panel-lab/analysis');
      process.stdout.write(`${JSON.stringify(options.results ? resultsJsonSchema() : runSpecJsonSchema(), null, 2)}\n`);
    });
}
