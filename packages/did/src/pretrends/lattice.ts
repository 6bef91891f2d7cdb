/**
 * Randomly shifted rank-1 (Richtmyer) lattice for quasi-Monte-Carlo integration over [0,1]^d.
 * Point q of shift k is frac(q * sqrt(p_j) + shift_kj), folded by the baker's (tent) transform
 * |2x - 1|, which periodises the integrand and lifts the lattice's error to O(N^-2 log^d N) for
 * smooth integrands. The shifts come from a seeded generator, so every result is reproducible,
 * and their spread across the K shifts gives an honest standard error (Genz & Bretz 2009, s. 4.2.2).
 */

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113];

/** splitmix32-style seeded uniform generator (deterministic across platforms). */
export function seededUniform(seed: number): () => number {
  let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return (z + 0.5) / 4294967296;
  };
}

export interface ShiftedLattice {
  readonly dim: number;
  readonly points: number;
  /** shifts[k][j], one row per randomisation. */
  readonly shifts: readonly Float64Array[];
  readonly generator: Float64Array;
}

export function shiftedLattice(dim: number, points: number, shiftCount: number, seed: number): ShiftedLattice {
  if (dim > PRIMES.length) throw new Error(`pretrends: at most ${PRIMES.length} pre-periods are supported by the lattice rule, got ${dim}`);
  if (!Number.isInteger(points) || points < 1) throw new Error(`pretrends: option points must be a positive integer, got ${points}`);
  if (!Number.isInteger(shiftCount) || shiftCount < 2) throw new Error(`pretrends: option shifts must be an integer >= 2 (the error estimate needs two), got ${shiftCount}`);
  const rand = seededUniform(seed);
  const shifts = Array.from({ length: shiftCount }, () => Float64Array.from({ length: dim }, () => rand()));
  const generator = Float64Array.from({ length: dim }, (_, j) => Math.sqrt(PRIMES[j]!));
  return { dim, points, shifts, generator };
}

/** Coordinate j of lattice point q (1-based) under shift k, after the tent transform. */
export function latticeCoordinate(l: ShiftedLattice, k: number, q: number, j: number): number {
  const x = q * l.generator[j]! + l.shifts[k]![j]!;
  const f = x - Math.floor(x);
  return Math.abs(2 * f - 1);
}
