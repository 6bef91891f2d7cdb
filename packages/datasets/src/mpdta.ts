import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { PanelFrame } from '@panel-lab/panel';
import { dataPath } from './csv-table.js';

/**
 * The `mpdta` example panel of the R package `did` (county teen employment, 500 US counties x
 * 2003-2007; columns year, countyreal, lpop, lemp, first.treat, treat). Unit `countyreal`, time `year`.
 */
export async function loadMpdta(): Promise<PanelFrame> {
  const text = readFileSync(dataPath('mpdta.csv'), 'utf8');
  const parsed = Papa.parse<Record<string, number>>(text, { header: true, skipEmptyLines: true, dynamicTyping: true });
  const first = parsed.errors[0];
  if (first) throw new Error(`mpdta.csv: CSV parse error at row ${first.row ?? '?'}: ${first.message}`);
  return PanelFrame.fromRows(parsed.data, { unit: 'countyreal', time: 'year' });
}
