import { createRng, permutation } from '@panel-lab/compute';

export interface TrainTestSplit {
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly by: 'rows' | 'groups';
  readonly seed: number;
}

/**
 * Seeded random split (METHODS §18.1): 90/10 by default; `groups` given → whole cities go to one side
 * (the test side gets round(share·G) groups).
 */
export function trainTestSplit(n: number, opts: { seed: number; testShare?: number; groups?: Int32Array }): TrainTestSplit {
  const share = opts.testShare ?? 0.1;
  if (!(share > 0 && share < 1)) throw new Error(`option testShare must be in (0, 1), got ${share}`);
  const rng = createRng(opts.seed);
  if (!opts.groups) {
    const perm = permutation(rng, n);
    const nTest = Math.max(1, Math.round(share * n));
    return freezeSplit(perm.slice(nTest), perm.slice(0, nTest), 'rows', opts.seed);
  }
  const groups = opts.groups;
  if (groups.length !== n) throw new Error(`groups has ${groups.length} codes, expected ${n}`);
  const g = Math.max(...groups) + 1;
  const perm = permutation(rng, g);
  const nTest = Math.max(1, Math.round(share * g));
  const isTest = new Uint8Array(g);
  for (let k = 0; k < nTest; k++) isTest[perm[k]!] = 1;
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (isTest[groups[i]!] ? test : train).push(i);
  return freezeSplit(Int32Array.from(train), Int32Array.from(test), 'groups', opts.seed);
}

function freezeSplit(train: Int32Array, test: Int32Array, by: 'rows' | 'groups', seed: number): TrainTestSplit {
  train.sort();
  test.sort();
  return Object.freeze({ train, test, by, seed });
}

/** K folds of rows, whole groups per fold when groups are given (grouped K-fold CV). Returns the fold of each row. */
export function kFolds(n: number, opts: { k: number; seed: number; groups?: Int32Array }): Int32Array {
  const { k } = opts;
  const rng = createRng(opts.seed);
  const fold = new Int32Array(n);
  if (opts.groups) {
    const g = Math.max(...opts.groups) + 1;
    if (!(Number.isInteger(k) && k >= 2 && k <= g)) throw new Error(`option k must be an integer in 2..${g} (number of groups), got ${k}`);
    const perm = permutation(rng, g);
    const gf = new Int32Array(g);
    perm.forEach((grp, r) => { gf[grp] = r % k; });
    for (let i = 0; i < n; i++) fold[i] = gf[opts.groups[i]!]!;
  } else {
    if (!(Number.isInteger(k) && k >= 2 && k <= n)) throw new Error(`option k must be an integer in 2..${n}, got ${k}`);
    permutation(rng, n).forEach((row, r) => { fold[row] = r % k; });
  }
  return fold;
}
