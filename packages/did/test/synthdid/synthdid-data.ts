import { readGoldenData } from '@panel-lab/testing';
import { blockMatrix, type BlockPanel } from '../../src/synthdid/index.js';

/** Splits a golden CSV (numbers and quoted strings) into columns by header name. */
export function csvColumns(file: string): Record<string, (string | number)[]> {
  const lines = readGoldenData(file).trim().split(/\r?\n/);
  const header = lines[0]!.split(',').map((h) => h.replace(/^"|"$/g, ''));
  const cols: Record<string, (string | number)[]> = Object.fromEntries(header.map((h) => [h, []]));
  for (const line of lines.slice(1)) {
    line.split(',').forEach((raw, j) => cols[header[j]!]!.push(raw.startsWith('"') ? raw.replace(/^"|"$/g, '') : Number(raw)));
  }
  return cols;
}

export function californiaBlock(): BlockPanel {
  const c = csvColumns('california_prop99.csv');
  return blockMatrix(c.State as string[], c.Year as number[], c.PacksPerCapita as number[], c.treated as number[], {
    unit: 'State',
    time: 'Year',
    outcome: 'PacksPerCapita',
    treatment: 'treated',
  });
}

/** mpdta rows with first.treat in {0, 2006}; treated = 1{first.treat == 2006 & year >= 2006} (the golden's subset). */
export function mpdtaBlock2006(): BlockPanel {
  const c = csvColumns('mpdta.csv');
  const keep: number[] = [];
  (c['first.treat'] as number[]).forEach((g, i) => {
    if (g === 0 || g === 2006) keep.push(i);
  });
  const col = (name: string): number[] => keep.map((i) => c[name]![i] as number);
  const ft = col('first.treat');
  const year = col('year');
  return blockMatrix(col('countyreal'), year, col('lemp'), ft.map((g, k) => (g === 2006 && year[k]! >= 2006 ? 1 : 0)), {
    unit: 'countyreal',
    time: 'year',
    outcome: 'lemp',
    treatment: 'treated',
  });
}
