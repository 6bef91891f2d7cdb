import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runSpec, writeRunReport, type RunResult } from '@panel-lab/analysis';
import { progressReporter } from '../progress.js';

export interface RunCommandOptions {
  out: string;
  backend?: string;
}

/** Runs a validated spec with progress, writes the report, prints the timing summary. */
export async function runAndReport(spec: unknown, options: { out: string; backend?: string | undefined }): Promise<RunResult> {
  const progress = progressReporter();
  let run: RunResult;
  try {
    run = await runSpec(spec, {
      onProgress: progress.update,
      ...(options.backend ? { backend: { name: options.backend as 'cpu' | 'tfjs' | 'gpujs', allowFallback: true } } : {}),
    });
  } finally {
    progress.stop();
  }
  const outDir = resolve(options.out);
  const written = await writeRunReport(run, outDir);
  process.stdout.write(`\n${timingSummary(run)}\nreport: ${written.html}\n`);
  return run;
}

export function timingSummary(run: RunResult): string {
  const width = Math.max(...run.timings.map((t) => t.step.length), 5);
  const lines = run.timings.map((t) => `  ${t.step.padEnd(width)}  ${t.seconds.toFixed(2).padStart(8)} s`);
  return [`timings (${run.spec.name}):`, ...lines, `  ${'total'.padEnd(width)}  ${run.meta.seconds.toFixed(2).padStart(8)} s`].join('\n');
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run an analysis spec (JSON; see `panel-lab schema`) and write its report')
    .argument('<spec>', 'path of the spec JSON file')
    .option('--out <dir>', 'output folder', 'panel-lab-output')
    .option('--backend <name>', 'compute backend for batched kernels: cpu, tfjs or gpujs')
    .action(async (specPath: string, options: RunCommandOptions) => {
      let spec: unknown;
      try {
        spec = JSON.parse(await readFile(specPath, 'utf8'));
      } catch (error) {
        throw new Error(`cannot read spec '${specPath}': ${error instanceof Error ? error.message : String(error)}`);
      }
      await runAndReport(spec, options);
    });
}
