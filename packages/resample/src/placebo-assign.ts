import type { Rng } from '@panel-lab/compute';
import type { TwfePrepared } from './fwl.js';

export type PlaceboMode = 'A_units_true_timing' | 'B_units_random_timing' | 'C_timing_only';
export const PLACEBO_MODES: readonly PlaceboMode[] = Object.freeze(['A_units_true_timing', 'B_units_random_timing', 'C_timing_only']);

/** One pseudo-treatment: units[j] first treated at period index starts[j] (j < m); other units never. */
export interface Assignment {
  readonly units: Int32Array;
  readonly starts: Int32Array;
  readonly m: number;
}

/** What the draws permute: the truly treated units and their start indices, and the pool drawn from. */
export interface AssignmentSpace {
  readonly mode: PlaceboMode;
  readonly treatedUnits: Int32Array;
  readonly treatedStarts: Int32Array;
  readonly pool: Int32Array;
  readonly nPeriods: number;
}

export function assignmentSpace(p: TwfePrepared, mode: PlaceboMode, excludeTrueTreated: boolean): AssignmentSpace {
  if (!PLACEBO_MODES.includes(mode)) throw new Error(`option mode must be one of ${PLACEBO_MODES.join(', ')}, got '${String(mode)}'`);
  const treated: number[] = [];
  const never: number[] = [];
  p.unitStart.forEach((s, u) => (s >= 0 ? treated : never).push(u));
  if (treated.length === 0) throw new Error('option cohort: no unit is ever treated, so there is nothing to permute');
  const treatedUnits = Int32Array.from(treated);
  const treatedStarts = Int32Array.from(treated, (u) => p.unitStart[u]!);
  let pool: Int32Array;
  if (mode === 'C_timing_only') {
    if (excludeTrueTreated) throw new Error(`option excludeTrueTreated cannot be used with mode 'C_timing_only' (it permutes the truly treated units' years)`);
    pool = treatedUnits;
  } else {
    pool = Int32Array.from(excludeTrueTreated ? never : [...Array(p.nUnits).keys()]);
    if (pool.length < treated.length) {
      throw new Error(`option excludeTrueTreated: only ${pool.length} never-treated units to draw ${treated.length} pseudo-treated units from`);
    }
  }
  if (mode === 'B_units_random_timing' && p.nPeriods < 2) throw new Error(`mode 'B_units_random_timing' needs at least 2 periods`);
  return Object.freeze({ mode, treatedUnits, treatedStarts, pool, nPeriods: p.nPeriods });
}

/**
 * Draws assignments from one rng stream. Partial Fisher-Yates over a pool buffer that is left
 * shuffled between draws: each draw is still a uniform sample, and costs O(treated), not O(units).
 */
export class AssignmentSampler {
  readonly #space: AssignmentSpace;
  readonly #rng: Rng;
  readonly #buf: Int32Array;
  readonly units: Int32Array;
  readonly starts: Int32Array;
  readonly m: number;

  constructor(space: AssignmentSpace, rng: Rng) {
    this.#space = space;
    this.#rng = rng;
    this.m = space.treatedUnits.length;
    this.#buf = Int32Array.from(space.mode === 'C_timing_only' ? space.treatedStarts : space.pool);
    this.units = new Int32Array(this.m);
    this.starts = new Int32Array(this.m);
    if (space.mode === 'C_timing_only') this.units.set(space.treatedUnits);
  }

  /** The next assignment (the sampler's own buffers; copy to keep it). */
  next(): Assignment {
    const { mode, treatedStarts, nPeriods } = this.#space;
    const rng = this.#rng;
    const buf = this.#buf;
    const m = this.m;
    const last = buf.length - 1;
    if (mode === 'C_timing_only') {
      // full shuffle of the true start indices among the true treated units
      for (let i = last; i > 0; i--) {
        const r = rng.int(0, i);
        const t = buf[i]!;
        buf[i] = buf[r]!;
        buf[r] = t;
      }
      this.starts.set(buf);
      return this;
    }
    for (let j = 0; j < m; j++) {
      const r = rng.int(j, last);
      const t = buf[j]!;
      buf[j] = buf[r]!;
      buf[r] = t;
      this.units[j] = buf[j]!;
    }
    // mode A: the true start vector, in order, to units drawn in random order = a random permutation of years
    if (mode === 'A_units_true_timing') this.starts.set(treatedStarts);
    else for (let j = 0; j < m; j++) this.starts[j] = rng.int(1, nPeriods - 1); // at least one pre-period
    return this;
  }
}
