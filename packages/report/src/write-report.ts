import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './blocks.js';
import { toJson } from './json.js';

export interface WrittenReport {
  readonly html: string;
  readonly markdown: string;
  readonly files: readonly string[];
}

/**
 * Writes report.html, report.md, figures/<id>.svg (+ <id>.vl.json, the Vega-Lite spec with data),
 * tables/<id>.csv, results/<id>.json and report.json (index + meta). Returns the paths written.
 */
export async function writeReport(report: Report, outDir: string): Promise<WrittenReport> {
  const files: string[] = [];
  const put = async (rel: string, text: string): Promise<void> => {
    const path = join(outDir, rel);
    await writeFile(path, text, 'utf8');
    files.push(path);
  };
  await Promise.all(['figures', 'tables', 'results'].map((d) => mkdir(join(outDir, d), { recursive: true })));
  await put('report.html', report.html);
  await put('report.md', report.markdown);
  for (const f of report.figures) {
    await put(`figures/${f.id}.svg`, f.svg);
    if (f.spec) await put(`figures/${f.id}.vl.json`, toJson(f.spec));
  }
  for (const t of report.tables) {
    if (t.csv !== null) await put(`tables/${t.id}.csv`, t.csv);
  }
  for (const [id, value] of Object.entries(report.results)) await put(`results/${id}.json`, toJson(value));
  const index = {
    title: report.title,
    meta: report.meta,
    figures: report.figures.map((f) => ({ id: f.id, number: f.number, caption: f.caption, file: `figures/${f.id}.svg` })),
    tables: report.tables.map((t) => ({ id: t.id, number: t.number, title: t.title, file: t.csv === null ? null : `tables/${t.id}.csv` })),
    results: Object.keys(report.results).map((id) => `results/${id}.json`),
  };
  await put('report.json', toJson(index));
  return Object.freeze({ html: join(outDir, 'report.html'), markdown: join(outDir, 'report.md'), files: Object.freeze(files) });
}
