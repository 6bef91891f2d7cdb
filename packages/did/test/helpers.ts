import { readFileSync } from 'node:fs';
import { PanelFrame, type ColumnInput } from '@panel-lab/panel';
import { goldenDataPath } from '@panel-lab/testing';

/** Reads a golden CSV (quoted header, numbers or quoted strings, "NA" = missing) into a PanelFrame. */
export function readGoldenCsv(file: string, unit: string, time: string): PanelFrame {
  const lines = readFileSync(goldenDataPath(file), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',').map((h) => h.replace(/^"|"$/g, ''));
  const cols: (string | number | null)[][] = header.map(() => []);
  for (const line of lines.slice(1)) {
    line.split(',').forEach((raw, j) => {
      const v = raw.trim();
      if (v === 'NA' || v === '') cols[j]!.push(null);
      else if (v.startsWith('"')) cols[j]!.push(v.replace(/^"|"$/g, ''));
      else cols[j]!.push(Number(v));
    });
  }
  const columns: Record<string, ColumnInput> = {};
  header.forEach((h, j) => {
    const c = cols[j]!;
    columns[h] = c.some((v) => typeof v === 'string') ? (c.map((v) => (v === null ? null : String(v))) as string[]) : (c as (number | null)[]);
  });
  return PanelFrame.fromColumns(columns, { unit, time });
}
