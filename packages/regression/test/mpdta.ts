// Loads the mpdta golden dataset (R did package) into a PanelFrame with the golden's derived columns.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { PanelFrame } from '@panel-lab/panel';
import { goldenDataPath } from '@panel-lab/testing';

export function loadCsvColumns(file: string): Record<string, number[]> {
  const parsed = Papa.parse<Record<string, number | null>>(readFileSync(goldenDataPath(file), 'utf8'), {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  });
  const cols: Record<string, number[]> = {};
  for (const name of parsed.meta.fields ?? []) cols[name] = parsed.data.map((r) => (r[name] === null ? Number.NaN : Number(r[name])));
  return cols;
}

/** treat_post = year >= first.treat & first.treat > 0; rel_year = year - first.treat, never-treated -1000. */
export function loadMpdta(): PanelFrame {
  const c = loadCsvColumns('mpdta.csv');
  const year = c.year!;
  const first = c['first.treat']!;
  const treatPost = year.map((y, i) => (first[i]! > 0 && y >= first[i]! ? 1 : 0));
  const relYear = year.map((y, i) => (first[i]! > 0 ? y - first[i]! : -1000));
  return PanelFrame.fromColumns(
    {
      year: Float64Array.from(year),
      countyreal: Float64Array.from(c.countyreal!),
      lpop: Float64Array.from(c.lpop!),
      lemp: Float64Array.from(c.lemp!),
      'first.treat': Float64Array.from(first),
      treat: Float64Array.from(c.treat!),
      treat_post: Float64Array.from(treatPost),
      rel_year: Float64Array.from(relYear),
    },
    { unit: 'countyreal', time: 'year' },
  );
}
