import type { Command } from 'commander';
import { runSpecJsonSchema } from '@panel-lab/analysis';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of analysis specs')
    .action(() => {
      process.stdout.write(`${JSON.stringify(runSpecJsonSchema(), null, 2)}\n`);
    });
}
