import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writePanel, type PanelFrame } from '@panel-lab/panel';
import { newId } from './data-dir.js';
import { datasetPath, readDataset, type DatasetRef } from './tasks.js';

/**
 * Registered datasets as tasks read them: Arrow IPC. Pool threads must never load the DuckDB
 * native addon (the CSV and Parquet reader): a worker thread terminated with it loaded (a cancel
 * past its grace period, a pool closing) can abort the whole process while node-addon-api tears the
 * thread down. So a CSV or Parquet upload is converted once, where it is registered (the main
 * thread, which already parsed it to validate it), and tasks get the Arrow copy, which apache-arrow
 * reads in plain JavaScript. An Arrow upload or a synthetic panel is its own copy.
 */

/** The Arrow IPC copy of a dataset file (the file itself when it already is Arrow). */
export function frameFileOf(file: string, format: DatasetRef['format']): string {
  return format === 'arrow' ? file : `${file.replace(/\.[A-Za-z]+$/, '')}.frame.arrow`;
}

/** Writes the Arrow copy of a validated frame (whole or not at all: a temporary name, then rename). */
export async function writeFrameCopy(dataDir: string, file: string, format: DatasetRef['format'], frame: PanelFrame): Promise<void> {
  if (format === 'arrow') return;
  const target = datasetPath(dataDir, frameFileOf(file, format));
  const tmp = `${target}.${newId('tmp')}`;
  await mkdir(dirname(target), { recursive: true });
  try {
    await writePanel(frame, tmp, { format: 'arrow' });
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Removes a dataset's Arrow copy (not the file itself). */
export async function removeFrameCopy(dataDir: string, file: string, format: DatasetRef['format']): Promise<void> {
  if (format !== 'arrow') await rm(datasetPath(dataDir, frameFileOf(file, format)), { force: true });
}

/**
 * The reference a task gets: the dataset's Arrow copy. A dataset registered before copies were
 * made is converted here, once (in the calling thread: never call this in a pool thread).
 */
export async function taskRef(dataDir: string, ref: DatasetRef): Promise<DatasetRef> {
  if (ref.format === 'arrow') return ref;
  const copy = frameFileOf(ref.file, ref.format);
  if (!existsSync(datasetPath(dataDir, copy))) await writeFrameCopy(dataDir, ref.file, ref.format, await readDataset(dataDir, ref));
  return { ...ref, file: copy, format: 'arrow' };
}
