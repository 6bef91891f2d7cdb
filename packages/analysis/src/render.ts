import { buildReport, writeReport, type Block, type Report, type Section, type WrittenReport } from '@panel-lab/report';
import type { AnalysisRecord, RunResult } from './run.js';

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
            `${run.dataset.description}: ${run.dataset.units} units, ${run.dataset.periods} periods, ${run.dataset.nobs} observations.`,
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
  const results: Record<string, unknown> = { run: { spec: run.spec, dataset: run.dataset, failures: run.failures, timings: run.timings, meta: run.meta } };
  for (const a of run.analyses) results[a.id] = a.results;
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

/** Writes report.html, report.md, figures, tables and results JSON into outDir. */
export async function writeRunReport(run: RunResult, outDir: string): Promise<WrittenReport> {
  return writeReport(renderRunReport(run), outDir);
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
