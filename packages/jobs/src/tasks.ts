import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { runSpec, writeRunReport } from '@panel-lab/analysis';
import { generateChinaPanel, loadMpdta } from '@panel-lab/datasets';
import { readPanel, type PanelFrame } from '@panel-lab/panel';
import {
  mergePlaceboChunks,
  observedEstimate,
  placeboChunk,
  placeboResult,
  preparePlacebo,
  twfeArrays,
  type PlaceboChunk,
  type PlaceboMode,
  type PlaceboPrepared,
} from '@panel-lab/resample';
import { TaskCancelledError } from './errors.js';
import type { JobDatasetSpec, PlaceboJobSpec } from './placebo-spec.js';
import type { DatasetFormat, JobProgress } from './types.js';

/** A registered dataset as a task sees it: a file under the data directory and its panel roles. */
export interface DatasetRef {
  readonly id: string;
  readonly file: string;
  readonly format: DatasetFormat;
  readonly unit: string;
  readonly time: string;
  readonly categorical: readonly string[];
}

/** A job's dataset with registered ids already resolved to files (the tenant check happens before). */
export type ResolvedDataset = Exclude<JobDatasetSpec, { source: 'dataset' }> | { source: 'dataset'; ref: DatasetRef };

/**
 * The unit of work an executor runs (a worker thread or a queue worker): JSON-safe in and out, so
 * the same tasks run in-process and on any machine that sees the same data directory.
 */
export type Task =
  | {
      readonly type: 'analysis';
      readonly spec: unknown;
      readonly datasets: Readonly<Record<string, DatasetRef>>;
      /** Job directory relative to the data directory: result.json and report/ are written there. */
      readonly outDir: string;
    }
  | { readonly type: 'placebo-chunk'; readonly dataset: ResolvedDataset; readonly options: PlaceboJobSpec; readonly chunkIndex: number }
  | {
      readonly type: 'placebo-merge';
      readonly dataset: ResolvedDataset;
      readonly options: PlaceboJobSpec;
      /** Job directory relative to the data directory: chunks/<k>.json are read, result.json written there (never through the queue). */
      readonly outDir: string;
      readonly chunks: number;
    };

/** What an analysis task returns (the result itself is on disk: it may be large). */
export interface AnalysisWritten {
  readonly kind: 'analysis_written';
  readonly analyses: readonly string[];
  readonly seconds: number;
  /** Analyses that failed (the others' results are written): where in the spec and why (absent from older workers). */
  readonly failures?: readonly { readonly where: string; readonly message: string }[];
}

/** What a placebo merge returns (the result itself is on disk: it holds every draw). */
export interface PlaceboWritten {
  readonly kind: 'placebo_written';
  readonly draws: number;
}

export type TaskResult = AnalysisWritten | PlaceboChunk | PlaceboWritten;

export interface TaskContext {
  /** Root of the data directory the task's files live under. */
  readonly dataDir: string;
  readonly onProgress?: (p: JobProgress) => void;
  readonly signal?: AbortSignal;
}

/** A file or directory under the data directory, refusing any path that leaves it. */
export function datasetPath(dataDir: string, file: string): string {
  const root = resolve(dataDir);
  const full = resolve(root, file);
  const rel = relative(root, full);
  if (rel.startsWith('..') || isAbsolute(rel) || rel === '') throw new Error(`dataset file '${file}' is outside the data directory`);
  return full;
}

export function readDataset(dataDir: string, ref: DatasetRef): Promise<PanelFrame> {
  return readPanel(datasetPath(dataDir, ref.file), { unit: ref.unit, time: ref.time, categorical: ref.categorical, format: ref.format });
}

async function loadJobDataset(dataDir: string, d: ResolvedDataset): Promise<PanelFrame> {
  switch (d.source) {
    case 'dataset':
      return readDataset(dataDir, d.ref);
    case 'example':
      return loadMpdta();
    case 'synthetic':
      return generateChinaPanel({
        seed: d.seed,
        ...(d.cities !== undefined ? { cities: d.cities } : {}),
        ...(d.years !== undefined ? { years: d.years } : {}),
      }).frame;
  }
}

// The prepared state of the last placebo job seen: the chunks of one job share it (computed once per worker).
let preparedCache: { key: string; prepared: PlaceboPrepared } | null = null;

async function preparedFor(dataDir: string, dataset: ResolvedDataset, o: PlaceboJobSpec): Promise<PlaceboPrepared> {
  const key = JSON.stringify({ dataDir, dataset, o: { ...o, draws: 0, chunkSize: 0, seed: 0 } });
  if (preparedCache?.key === key) return preparedCache.prepared;
  const frame = await loadJobDataset(dataDir, dataset);
  const arrays = twfeArrays(frame, {
    outcome: o.outcome,
    cohort: o.cohort,
    controls: o.controls,
    ...(o.cluster ? { cluster: o.cluster } : {}),
  });
  const prepared = preparePlacebo(arrays, { mode: o.mode as PlaceboMode, excludeTrueTreated: o.excludeTrueTreated });
  preparedCache = { key, prepared };
  return prepared;
}

/** Runs one task; the single entry point of every executor. */
export async function executeTask(task: Task, ctx: TaskContext): Promise<TaskResult> {
  if (ctx.signal?.aborted) throw new TaskCancelledError();
  switch (task.type) {
    case 'analysis': {
      const run = await runSpec(task.spec, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onProgress: (u) => ctx.onProgress?.({ fraction: u.overall, step: `${u.analysis}: ${u.step}`, ...(u.done !== undefined ? { done: u.done } : {}), ...(u.total !== undefined ? { total: u.total } : {}) }),
        resolveDataset: async (id) => {
          const ref = task.datasets[id];
          if (!ref) throw new Error(`dataset.id '${id}': no such dataset`);
          return readDataset(ctx.dataDir, ref);
        },
      });
      // rendering (SVG figures, HTML) happens here, off the API's event loop
      const out = datasetPath(ctx.dataDir, task.outDir);
      ctx.onProgress?.({ fraction: 0.97, step: 'writing report' });
      await rm(join(out, 'report'), { recursive: true, force: true });
      await writeRunReport(run, join(out, 'report'));
      await writeFile(join(out, 'result.json.tmp'), JSON.stringify(run));
      await rename(join(out, 'result.json.tmp'), join(out, 'result.json'));
      return { kind: 'analysis_written', analyses: run.analyses.map((a) => a.id), seconds: run.meta.seconds, failures: run.failures.map((f) => ({ where: f.where, message: f.message })) };
    }
    case 'placebo-chunk': {
      const prepared = await preparedFor(ctx.dataDir, task.dataset, task.options);
      const o = task.options;
      return placeboChunk(prepared, { seed: o.seed, chunkIndex: task.chunkIndex, chunkSize: o.chunkSize, draws: o.draws, se: o.se });
    }
    case 'placebo-merge': {
      const prepared = await preparedFor(ctx.dataDir, task.dataset, task.options);
      const out = datasetPath(ctx.dataDir, task.outDir);
      const chunks: PlaceboChunk[] = [];
      for (let k = 0; k < task.chunks; k++) chunks.push(JSON.parse(await readFile(join(out, 'chunks', `${k}.json`), 'utf8')) as PlaceboChunk);
      mergePlaceboChunks(chunks); // throws naming a missing or duplicated chunk
      const estimate = observedEstimate(prepared.twfe, prepared.space);
      const result = placeboResult(prepared, estimate, chunks, {
        outcome: task.options.outcome,
        cohort: task.options.cohort,
        mode: task.options.mode as PlaceboMode,
        excludeTrueTreated: task.options.excludeTrueTreated,
      });
      await writeFile(join(out, 'result.json.tmp'), JSON.stringify(result));
      await rename(join(out, 'result.json.tmp'), join(out, 'result.json'));
      return { kind: 'placebo_written', draws: result.draws.beta.length };
    }
  }
}

/** Error as plain data (crosses threads and queues); spec errors keep their field paths. */
export function serializeError(error: unknown): { name: string; message: string; issues?: { path: string; message: string }[] } {
  if (error instanceof Error) {
    const issues = (error as { issues?: unknown }).issues;
    return {
      name: error.name,
      message: error.message,
      ...(Array.isArray(issues) ? { issues: issues.map((i: { path?: unknown; message?: unknown }) => ({ path: String(i.path ?? ''), message: String(i.message ?? '') })) } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}
