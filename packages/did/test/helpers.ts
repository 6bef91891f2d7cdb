import { PanelFrame, type ColumnInput } from '@panel-lab/panel';
import { readGoldenData } from '@panel-lab/testing';

/**
 * Reads a golden CSV into a PanelFrame: numbers, quoted strings, NA = missing, TRUE/FALSE = 1/0,
 * Inf/-Inf as numbers. `constant` adds a column holding one value (a time column for cross-sections).
 */
export function readGoldenCsv(file: string, unit: string, time: string, constant?: Record<string, number>): PanelFrame {
  const lines = readGoldenData(file).trim().split(/\r?\n/);
  const header = lines[0]!.split(',').map((h) => h.replace(/^"|"$/g, ''));
  const cols: (string | number | null)[][] = header.map(() => []);
  for (const line of lines.slice(1)) {
    line.split(',').forEach((raw, j) => {
      const v = raw.trim();
      if (v === 'NA' || v === '') cols[j]!.push(null);
      else if (v.startsWith('"')) cols[j]!.push(v.replace(/^"|"$/g, ''));
      else if (v === 'TRUE' || v === 'FALSE') cols[j]!.push(v === 'TRUE' ? 1 : 0);
      else if (v === 'Inf' || v === '-Inf') cols[j]!.push(v === 'Inf' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
      else cols[j]!.push(Number(v));
    });
  }
  const columns: Record<string, ColumnInput> = {};
  header.forEach((h, j) => {
    const c = cols[j]!;
    columns[h] = c.some((v) => typeof v === 'string') ? (c.map((v) => (v === null ? null : String(v))) as string[]) : (c as (number | null)[]);
  });
  const n = lines.length - 1;
  for (const [name, value] of Object.entries(constant ?? {})) columns[name] = new Float64Array(n).fill(value);
  return PanelFrame.fromColumns(columns, { unit, time });
}
