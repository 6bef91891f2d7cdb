import { designFromFrame, factorIndex, type Design, type FactorIndexOptions, type FactorIndexResult, type TfjsEngine } from '@panel-lab/ann';
import { initTfjs, type TfjsDevice } from '@panel-lab/compute-tfjs';
import { DE_INDEX_COLUMN, SEED002_CONDITIONING, SEED002_CONTROLS, SEED002_INDICATORS } from '@panel-lab/datasets';
import type { PanelFrame } from '@panel-lab/panel';
import type { AnalysisContext } from '../../handler.js';

/** Column added to the frame holding the factor-analysis index built from the five indicators (§17.1). */
export const CONSTRUCTED_INDEX = 'de_index_fa';

export interface IndexedFrame {
  readonly frame: PanelFrame;
  readonly fa: FactorIndexResult;
  /** Rows without all five indicators (no index there; dropped downstream and counted). */
  readonly missingRows: number;
}

/** Builds the composite index on complete indicator rows and adds it as a column (NaN elsewhere). */
export function withConstructedIndex(frame: PanelFrame, indicators: readonly string[] = SEED002_INDICATORS, factorOptions: FactorIndexOptions = {}): IndexedFrame {
  const cols = indicators.map((name) => frame.numeric(name));
  const nAll = frame.nrows;
  const keep: number[] = [];
  for (let i = 0; i < nAll; i++) if (cols.every((c) => Number.isFinite(c[i]!))) keep.push(i);
  const n = keep.length;
  const x = new Float64Array(n * cols.length);
  cols.forEach((c, j) => keep.forEach((src, i) => { x[j * n + i] = c[src]!; }));
  const fa = factorIndex({ x, n, names: indicators }, factorOptions);
  const index = new Float64Array(nAll).fill(NaN);
  keep.forEach((src, i) => { index[src] = fa.index[i]!; });
  return { frame: frame.withColumns({ [CONSTRUCTED_INDEX]: index }), fa, missingRows: nAll - n };
}

/** The 27 network inputs of seed 002 §1.1: the focal index, 4 conditioning variables, 22 controls. */
export function seed002Inputs(focal: string, conditioning: readonly string[], controls: readonly string[]): string[] {
  return [focal, ...conditioning, ...controls];
}

export function focalColumn(choice: 'constructed' | 'latent'): string {
  return choice === 'constructed' ? CONSTRUCTED_INDEX : DE_INDEX_COLUMN;
}

export function designFor(frame: PanelFrame, inputs: readonly string[], target: string): Design {
  return designFromFrame(frame, { inputs, target });
}

export const DEFAULT_CONDITIONING = [...SEED002_CONDITIONING];
export const DEFAULT_CONTROLS = [...SEED002_CONTROLS];

export interface NetworkEngine {
  readonly engine: TfjsEngine | undefined;
  /** What really ran, for results and captions, e.g. 'tfjs-wasm' or 'f64 reference (TypeScript)'. */
  readonly label: string;
  readonly fallbacks: readonly { from: string; reason: string }[];
}

/**
 * Maps the spec's backend to the network trainer: 'cpu' means tfjs-wasm (the fastest CPU path) unless a device
 * says otherwise ('cpu' device = the float64 TypeScript reference); 'tfjs' uses its device (default wasm);
 * 'gpujs' has no MLP trainer, so it runs on tfjs webgpu with fallback. Fallbacks are recorded.
 */
export async function networkEngine(backend: AnalysisContext['backend']): Promise<NetworkEngine> {
  if (backend.name === 'cpu' && backend.device === 'cpu') return { engine: undefined, label: 'f64 reference (TypeScript)', fallbacks: [] };
  const device: TfjsDevice = backend.name === 'gpujs' ? 'webgpu' : ((backend.device as TfjsDevice | undefined) ?? 'wasm');
  const handle = await initTfjs({ backend: device, allowFallback: backend.allowFallback });
  const fallbacks = handle.fallbacks.map((f) => ({ from: f.from, reason: f.reason }));
  return { engine: { tf: handle.tf, backend: handle.backend }, label: `tfjs-${handle.backend}`, fallbacks };
}

export const OUTCOME_LABELS: Record<string, string> = {
  co2_002_total: 'total CO2 (10^4 t)',
  co2_002_intensity: 'CO2 intensity (10^4 t per 10^8 yuan)',
  co2_002_pc: 'CO2 per capita (t per person)',
};

export const outcomeLabel = (o: string): string => OUTCOME_LABELS[o] ?? o;

/** Seed figure panel of an outcome: left / middle / right as in the seed's three-panel figures. */
export const PANEL: Record<string, string> = { co2_002_total: 'left', co2_002_intensity: 'middle', co2_002_pc: 'right' };
