import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeColumnTable } from '@panel-lab/panel';
import type { AnalysisRecord, RunResult } from '../run.js';
import type { ModelSummary } from './models.js';
import type { DataTable, DataValue } from './tables.js';

import type { OutputFormat } from './formats.js';

/** The long coefficients table of an analysis's models: one row per model and term. */
export function coefficientsTable(models: readonly ModelSummary[]): DataTable {
  const rows = models.flatMap((m) => m.coefficients.map((c) => ({ m, c })));
  const col = <T extends DataValue>(f: (r: (typeof rows)[number]) => T): T[] => rows.map(f);
  return {
    description: 'one coefficient of one fitted model',
    columns: {
      model: col((r) => r.m.name),
      dependent: col((r) => r.m.dependent),
      method: col((r) => r.m.method),
      term: col((r) => r.c.term),
      estimate: col((r) => r.c.estimate),
      std_error: col((r) => r.c.std_error),
      statistic: col((r) => r.c.statistic),
      p_value: col((r) => r.c.p_value),
      conf_low: col((r) => r.c.conf_low),
      conf_high: col((r) => r.c.conf_high),
      se_type: col((r) => r.m.seType),
      nobs: col((r) => r.m.nobs),
    },
  };
}

/** Every data table of an analysis, coefficients first, by file-safe name. */
export function analysisTables(record: AnalysisRecord): [string, DataTable][] {
  const out: [string, DataTable][] = [];
  if (record.models?.length) out.push(['coefficients', coefficientsTable(record.models)]);
  for (const [name, table] of Object.entries(record.tables ?? {})) out.push([name, table]);
  return out;
}

/**
 * Writes each analysis's data tables (coefficients, per-draw tables, pairs, scores, index values) as
 * data/<analysis id>.<table>.csv, and .parquet / .arrow when asked. Returns the paths written.
 */
export async function writeDataTables(run: RunResult, outDir: string, formats: readonly OutputFormat[]): Promise<string[]> {
  const files: string[] = [];
  const wanted = formats.filter((f): f is 'csv' | 'parquet' | 'arrow' => f !== 'json');
  if (!wanted.length) return files;
  await mkdir(join(outDir, 'data'), { recursive: true });
  for (const record of run.analyses) {
    for (const [name, table] of analysisTables(record)) {
      const base = join(outDir, 'data', `${record.id}.${safeName(name)}`);
      for (const format of wanted) {
        const path = `${base}.${format}`;
        if (format === 'csv') await writeFile(path, columnsCsv(table.columns));
        else await writeColumnTable(table.columns, path, format);
        files.push(path);
      }
    }
  }
  return files;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** RFC 4180 CSV, numbers at full precision, null as empty. */
export function columnsCsv(columns: Readonly<Record<string, readonly DataValue[]>>): string {
  const names = Object.keys(columns);
  const n = names.length ? columns[names[0]!]!.length : 0;
  const cell = (v: DataValue): string => {
    if (v === null) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [names.map((x) => cell(x)).join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((x) => cell(columns[x]![i] ?? null)).join(','));
  return lines.join('\n') + '\n';
}
