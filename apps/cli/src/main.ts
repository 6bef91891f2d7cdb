import { Command, CommanderError } from 'commander';
import { registerDescribe } from './commands/describe.js';
import { registerEtable } from './commands/etable.js';
import { registerGenerate } from './commands/generate.js';
import { registerReplicate } from './commands/replicate.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { AnalysesFailedError } from './failures.js';

export function buildProgram(): Command {
  const program = new Command()
    .name('panel-lab')
    .description('Policy evaluation on panel data: staggered DID, resampling and neural-network net effects.')
    .showHelpAfterError()
    .exitOverride();
  registerReplicate(program);
  registerRun(program);
  registerGenerate(program);
  registerDescribe(program);
  registerSchema(program);
  registerEtable(program);
  return program;
}

/** Runs the CLI; returns the process exit code (non-zero with a clear message on any failure). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    if (error instanceof AnalysesFailedError) {
      process.stderr.write(`panel-lab: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`panel-lab: error: ${message}\n`);
    return 1;
  }
}
