import { readFile } from 'node:fs/promises';
import { parseCsv, type PanelFrame } from '@panel-lab/panel';
import { dataPath } from './csv-table.js';

/**
 * The `mpdta` example panel of the R package `did` (county teen employment, 500 US counties x
 * 2003-2007; columns year, countyreal, lpop, lemp, first.treat, treat). Unit `countyreal`, time `year`.
 * Parsed in JavaScript (2,500 rows): no native reader, so it loads in any worker thread.
 */
export async function loadMpdta(): Promise<PanelFrame> {
  return parseCsv(await readFile(dataPath('mpdta.csv'), 'utf8'), { unit: 'countyreal', time: 'year' });
}
