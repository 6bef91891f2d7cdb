/**
 * Reuse of the fixed-effect side of a fit across fits on one sample: several outcomes, the tables of
 * a study, a loop over specifications. Two layers, both invisible in results:
 * - per frame (immutable) and FE specification: the sample's dense FE codes, sizes and weights,
 *   found again when a later fit keeps the same rows, so they are the same arrays;
 * - per those arrays (weak keys): the FixedEffectsStructure, on which demean caches its solvers
 *   (reduced-system factor, two-way Schur factor, nesting test), so a later fit factors nothing.
 * Memory: everything is weakly held by the frame or by the code arrays; per frame and FE
 * specification at most SAMPLES_PER_KEY row sets are remembered.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { prepareFixedEffects, type FixedEffectsStructure } from './demean.js';

export interface SampleFixedEffects {
  readonly fe: Int32Array[];
  readonly sizes: number[];
  readonly weights: Float64Array | undefined;
}

interface SampleEntry extends SampleFixedEffects {
  /** Estimation rows (null: every row). */
  readonly rows: Int32Array | null;
}

const SAMPLES_PER_KEY = 4;
const samples = new WeakMap<PanelFrame, Map<string, SampleEntry[]>>();

/**
 * The sample's FE codes (and weights taken from a frame column) for `key` (FE specification and
 * weights column), from an earlier fit with the same rows when there is one, else built and kept.
 * `rows` is compared by content: a row set is rebuilt on each fit.
 */
export function sampleFixedEffects(data: PanelFrame, key: string, rows: Int32Array | null, build: () => SampleFixedEffects): SampleFixedEffects {
  let byKey = samples.get(data);
  if (!byKey) samples.set(data, (byKey = new Map()));
  const list = byKey.get(key) ?? [];
  const at = list.findIndex((e) => sameRows(e.rows, rows));
  if (at >= 0) {
    const hit = list[at]!;
    if (at > 0) byKey.set(key, [hit, ...list.slice(0, at), ...list.slice(at + 1)]); // most recent first
    return hit;
  }
  const made = build();
  byKey.set(key, [{ ...made, rows }, ...list].slice(0, SAMPLES_PER_KEY));
  return made;
}

function sameRows(a: Int32Array | null, b: Int32Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Structures per first code array, told apart by the identity of every code array and the weights. */
const structures = new WeakMap<Int32Array, { fe: readonly Int32Array[]; w: Float64Array | undefined; st: FixedEffectsStructure }[]>();

/** Preparations done and reused, for tests (timing-free evidence of reuse). */
export const feStructureCacheStats = { built: 0, reused: 0 };

/**
 * prepareFixedEffects, once per set of code arrays and weights. Only for arrays nobody writes to:
 * a frame's codes and the sample arrays of sampleFixedEffects (a caller's buffer may be refilled).
 */
export function cachedFixedEffects(fe: readonly Int32Array[], w: Float64Array | undefined, sizes: readonly number[]): FixedEffectsStructure {
  if (fe.length === 0) return prepareFixedEffects(fe, w, sizes);
  const list = structures.get(fe[0]!) ?? [];
  const hit = list.find((e) => e.w === w && e.fe.length === fe.length && e.fe.every((c, q) => c === fe[q]));
  if (hit) {
    feStructureCacheStats.reused++;
    return hit.st;
  }
  const st = prepareFixedEffects(fe, w, sizes);
  feStructureCacheStats.built++;
  // bounded: distinct FE sets and weights sharing a first code array on one frame (kept while it lives)
  structures.set(fe[0]!, [{ fe: [...fe], w, st }, ...list].slice(0, SAMPLES_PER_KEY * 2));
  return st;
}
