import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { RunResult } from '@panel-lab/analysis';
import { progressReporter } from '../progress.js';
import { EXIT_STATUS_HELP, assertNoFailures } from '../failures.js';
import { OUTPUT_CHOICES, OUTPUTS_HELP, parseIntOption, parseListOption } from '../options.js';

export interface RunCommandOptions {
  out: string;
  backend?: string;
  failFast?: boolean;
  workers?: number;
  outputs?: string[];
}

/** Default worker threads: one per core, at most 4 (each holds its own copy of the data). */
export const DEFAULT_WORKERS = Math.max(1, Math.min(4, availableParallelism()));
export const WORKERS_HELP = `analyses run at once on worker threads (default ${DEFAULT_WORKERS}: one per core, at most 4; 1 = in the main thread)`;

export interface RunAndReportOptions {
  out: string;
  backend?: string | undefined;
  /** Stop at the first failing analysis and write nothing (default: record it and run the others). */
  failFast?: boolean | undefined;
  /** Folder a relative dataset path resolves against (the spec file's). */
  baseDir?: string | undefined;
  /** Worker threads (default DEFAULT_WORKERS). */
  workers?: number | undefined;
  /** Result formats (json, csv, parquet, arrow); default the spec's `outputs`. */
  outputs?: readonly string[] | undefined;
}

/** Runs a validated spec with progress, writes the report (failed analyses included), prints the timing summary. */
export async function runAndReport(spec: unknown, options: RunAndReportOptions): Promise<{ run: RunResult; report: string }> {
  // The analysis library (estimators, tfjs, report renderer) loads when a run starts, not at start-up.
  const { runSpec, writeRunReport } = await import('@panel-lab/analysis');
  const progress = progressReporter();
  let run: RunResult;
  try {
    run = await runSpec(spec, {
      onProgress: progress.update,
      failFast: options.failFast ?? false,
      workers: options.workers ?? DEFAULT_WORKERS,
      ...(options.baseDir ? { baseDir: options.baseDir } : {}),
      ...(options.backend ? { backend: { name: options.backend as 'cpu' | 'tfjs' | 'gpujs', allowFallback: true } } : {}),
    });
  } finally {
    progress.stop();
  }
  const outDir = resolve(options.out);
  const written = await writeRunReport(run, outDir, options.outputs ? { outputs: options.outputs as ('json' | 'csv' | 'parquet' | 'arrow')[] } : {});
  process.stdout.write(`\n${timingSummary(run)}\nreport: ${written.html}\n`);
  return { run, report: written.html };
}

export function timingSummary(run: RunResult): string {
  const width = Math.max(...run.timings.map((t) => t.step.length), 5);
  const failed = new Set(run.failures.map((f) => f.id));
  const lines = run.timings.map((t) => `  ${t.step.padEnd(width)}  ${t.seconds.toFixed(2).padStart(8)} s${failed.has(t.step) ? '  FAILED' : ''}`);
  return [`timings (${run.spec.name}):`, ...lines, `  ${'total'.padEnd(width)}  ${run.meta.seconds.toFixed(2).padStart(8)} s`].join('\n');
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run an analysis spec (JSON; see `panel-lab schema`) and write its report')
    .argument('<spec>', 'path of the spec JSON file')
    .option('--out <dir>', 'output folder', 'panel-lab-output')
    .option('--backend <name>', 'compute backend for batched kernels: cpu, tfjs or gpujs')
    .option('--fail-fast', 'stop at the first failing analysis and write nothing (default: record it, run the others, exit 2)')
    .option('--workers <n>', WORKERS_HELP, parseIntOption('--workers', 1))
    .option('--outputs <formats>', OUTPUTS_HELP, parseListOption('--outputs', OUTPUT_CHOICES))
    .addHelpText('after', `\nA relative dataset path in the spec resolves against the spec file's folder.\n${EXIT_STATUS_HELP}`)
    .action(async (specPath: string, options: RunCommandOptions) => {
      let spec: unknown;
      try {
        spec = JSON.parse(await readFile(specPath, 'utf8'));
      } catch (error) {
        throw new Error(`cannot read spec '${specPath}': ${error instanceof Error ? error.message : String(error)}`);
      }
      const { run, report } = await runAndReport(spec, { ...options, baseDir: dirname(resolve(specPath)) });
      assertNoFailures(run, report);
    });
}
