import { parseCsvTable } from '@panel-lab/panel';
import { tableToIPC } from 'apache-arrow';

/**
 * A report table (CSV) as an Arrow IPC file. Report tables mix numbers and labels in one column
 * (e.g. a cohort column with 'never treated'): such a column becomes categorical (strings).
 */
export function csvToArrow(csv: string): Uint8Array {
  const header = csv.slice(0, csv.indexOf('\n') >>> 0).split(',');
  const categorical: string[] = [];
  for (let attempt = 0; attempt <= header.length; attempt++) {
    try {
      return tableToIPC(parseCsvTable(csv, { categorical }), 'file');
    } catch (error) {
      const column = /column '([^']+)' is numeric but has/.exec(error instanceof Error ? error.message : '')?.[1];
      if (!column || categorical.includes(column)) throw error;
      categorical.push(column);
    }
  }
  throw new Error('csvToArrow: could not type the table columns');
}
