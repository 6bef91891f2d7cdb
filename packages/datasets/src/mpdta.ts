import { readPanel, type PanelFrame } from '@panel-lab/panel';
import { dataPath } from './csv-table.js';

/**
 * The `mpdta` example panel of the R package `did` (county teen employment, 500 US counties x
 * 2003-2007; columns year, countyreal, lpop, lemp, first.treat, treat). Unit `countyreal`, time `year`.
 */
export async function loadMpdta(): Promise<PanelFrame> {
  return readPanel(dataPath('mpdta.csv'), { unit: 'countyreal', time: 'year' });
}
