export { createRng, permutation, sampleWithReplacement, sampleWithoutReplacement } from './rng.js';
export type { Rng } from './rng.js';
