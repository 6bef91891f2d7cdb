import { readPanel, type PanelFrame } from '@panel-lab/panel';
import { generateChinaPanel, loadMpdta } from '@panel-lab/datasets';
import type { DatasetSpec } from './spec.js';

export interface LoadedDataset {
  frame: PanelFrame;
  truth: unknown;
  description: string;
}

export type DatasetResolver = (id: string) => Promise<PanelFrame>;

export async function loadDataset(spec: DatasetSpec, resolve?: DatasetResolver): Promise<LoadedDataset> {
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
      return {
        frame: await readPanel(spec.path, { unit: spec.unit, time: spec.time, ...(spec.categorical ? { categorical: spec.categorical } : {}) }),
        truth: undefined,
        description: `file ${spec.path}`,
      };
    case 'dataset': {
      if (!resolve) throw new Error(`dataset.id '${spec.id}': registered datasets are only available through the API`);
      return { frame: await resolve(spec.id), truth: undefined, description: `dataset ${spec.id}` };
    }
  }
}
