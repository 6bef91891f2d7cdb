import { buildReport, writeReport, type Block, type Report, type Section, type WrittenReport } from '@panel-lab/report';
import type { AnalysisRecord, RunResult } from './run.js';
import { analysisResultFile, runResultFile } from './results/files.js';
import type { OutputFormat } from './results/formats.js';
import { writeDataTables } from './results/outputs.js';

/** Turns a run into the report: one section per analysis, plus the run's provenance in the header. */
export function renderRunReport(run: RunResult): Report {
  const sections: Section[] = [
    {
      id: 'section-data',
      title: 'Data',
      blocks: [
        {
          kind: 'text',
          paragraphs: [
            run.dataset.crossSection ? `${run.dataset.description}: a cross-section of ${run.dataset.nobs} observations (no time column).` : `${run.dataset.description}: ${run.dataset.units} units, ${run.dataset.periods} periods, ${run.dataset.nobs} observations.`,
            ...run.dataset.transforms.map(describeTransform),
          ],
        },
      ],
    },
    ...run.analyses.map((a) => ({
      id: `section-${a.id}`,
      title: a.title,
      ...(a.intro ? { intro: a.intro } : {}),
      blocks: analysisBlocks(a),
    })),
  ];
  // versioned results files (schema: src/results/schema.ts, schema/results.schema.json)
  const results: Record<string, unknown> = { run: runResultFile(run) };
  for (const a of run.analyses) results[a.id] = analysisResultFile(run, a);
  return buildReport({
    title: run.spec.title ?? run.spec.name,
    subtitle: run.dataset.description,
    sections,
    meta: {
      spec: run.spec.name,
      seed: run.spec.seed,
      backend: run.spec.backend.name,
      node: run.meta.node,
      generated_at: run.meta.finishedAt,
      seconds: Number(run.meta.seconds.toFixed(2)),
      ...(run.failures.length ? { failed: `${run.failures.length} of ${run.analyses.length} analyses: ${run.failures.map((f) => f.where).join(', ')}` } : {}),
    },
    results,
  });
}

/** A failed analysis shows where and why in place of its results. */
function analysisBlocks(a: AnalysisRecord): Block[] {
  if (!a.failure) return a.blocks;
  return [{ kind: 'failure', id: `${a.id}.failed`, where: `${a.failure.where} (${a.estimator})`, message: a.failure.message }];
}

/**
 * Writes report.html, report.md, figures, tables and the results JSON into outDir, and each
 * analysis's data tables under data/ (CSV, plus Parquet / Arrow when `outputs` names them; default
 * the spec's outputs).
 */
export async function writeRunReport(run: RunResult, outDir: string, options: { outputs?: readonly OutputFormat[] } = {}): Promise<WrittenReport> {
  const written = await writeReport(renderRunReport(run), outDir);
  const data = await writeDataTables(run, outDir, options.outputs ?? run.spec.outputs);
  return Object.freeze({ ...written, files: Object.freeze([...written.files, ...data]) });
}

/** One sentence per transform: what it changed or dropped (the full report is in results/run.json). */
function describeTransform(t: { op: string; report: unknown }): string {
  const report = t.report as { columns?: { column: string; filled?: number; stillMissing?: number }[]; droppedRows?: number; droppedUnits?: number };
  if (t.op === 'interpolate' && report.columns) {
    const filled = report.columns.filter((c) => (c.filled ?? 0) > 0);
    const total = filled.reduce((s, c) => s + (c.filled ?? 0), 0);
    return `Interpolated ${total} interior gaps within city (linear in time, no extrapolation)${filled.length ? `: ${filled.map((c) => `${c.column} ${c.filled}`).join(', ')}` : ''}.`;
  }
  return `Transform \`${t.op}\`: ${JSON.stringify(t.report)}`;
}
