import type { Command } from 'commander';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of analysis specs')
    .action(async () => {
      // Imported when the command runs, not at start-up.
      const { runSpecJsonSchema } = await import('@panel-lab/analysis');
      process.stdout.write(`${JSON.stringify(runSpecJsonSchema(), null, 2)}\n`);
    });
}
