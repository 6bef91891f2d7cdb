import { stat } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { checkNonFinite, crossSectionFrame, readPanel, readTable, type PanelFrame } from '@panel-lab/panel';
import { generateChinaPanel, loadMpdta } from '@panel-lab/datasets';
import type { DatasetSpec } from './spec.js';

export interface LoadedDataset {
  frame: PanelFrame;
  truth: unknown;
  description: string;
}

export type DatasetResolver = (id: string) => Promise<PanelFrame>;

export interface LoadOptions {
  /** Resolves `{ source: 'dataset', id }` (the API's registered datasets). */
  resolve?: DatasetResolver | undefined;
  /** Folder a relative `path` resolves against (the spec file's folder); default the working directory. */
  baseDir?: string | undefined;
}

export async function loadDataset(spec: DatasetSpec, { resolve, baseDir }: LoadOptions = {}): Promise<LoadedDataset> {
  switch (spec.source) {
    case 'synthetic': {
      const panel = generateChinaPanel({
        seed: spec.seed,
        ...(spec.cities !== undefined ? { cities: spec.cities } : {}),
        ...(spec.years !== undefined ? { years: spec.years } : {}),
      });
      return { frame: panel.frame, truth: panel.truth, description: `synthetic China city panel (generator seed ${spec.seed})` };
    }
    case 'example':
      return { frame: await loadMpdta(), truth: undefined, description: 'mpdta (R package did: county teen employment, 2003-2007)' };
    case 'file':
      return { frame: await readDatasetFile(spec, baseDir), truth: undefined, description: `file ${spec.path}` };
    case 'dataset': {
      if (!resolve) throw new Error(`dataset.id '${spec.id}': registered datasets are only available through the API`);
      return { frame: await resolve(spec.id), truth: undefined, description: `dataset ${spec.id}` };
    }
  }
}

/** Reads `dataset.path` (relative to baseDir); errors name the spec field and the path tried. */
async function readDatasetFile(spec: Extract<DatasetSpec, { source: 'file' }>, baseDir: string | undefined): Promise<PanelFrame> {
  const path = isAbsolute(spec.path) ? spec.path : resolvePath(baseDir ?? process.cwd(), spec.path);
  const found = await stat(path).catch(() => null);
  if (!found?.isFile()) {
    const relativeTo = isAbsolute(spec.path) ? '' : ` (a relative path resolves against ${baseDir ? "the spec file's folder" : 'the working directory'})`;
    throw new Error(`dataset.path '${spec.path}': ${found ? 'not a file' : 'no such file'}: tried ${path}${relativeTo}`);
  }
  try {
    const categorical = spec.categorical ? { categorical: spec.categorical } : {};
    const nonFinite = spec.nonFinite ?? 'error';
    if (spec.time === undefined) {
      const frame = crossSectionFrame(await readTable(path, categorical), spec.unit);
      checkNonFinite(frame, nonFinite);
      return frame;
    }
    return await readPanel(path, { unit: spec.unit!, time: spec.time, ...categorical, nonFinite });
  } catch (error) {
    throw new Error(`${datasetFieldOf(error, spec)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The spec field a read error is about: the unit, time or a categorical column when the error names one, else the file. */
function datasetFieldOf(error: unknown, spec: Extract<DatasetSpec, { source: 'file' }>): string {
  const column = (error as { column?: unknown }).column;
  if (column === spec.unit) return `dataset.unit '${spec.unit}' (file '${spec.path}')`;
  if (spec.time === undefined && typeof column === 'string' && column.startsWith('.')) return `dataset.path '${spec.path}' (a cross-section: no dataset.time)`;
  if (column === spec.time) return `dataset.time '${spec.time}' (file '${spec.path}')`;
  const k = typeof column === 'string' ? (spec.categorical ?? []).indexOf(column) : -1;
  if (k >= 0) return `dataset.categorical[${k}] '${column as string}' (file '${spec.path}')`;
  return `dataset.path '${spec.path}'`;
}
