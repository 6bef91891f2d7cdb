export { TOLERANCES, maxAbsDiff, maxRelDiff, tolerance } from './tolerances.js';
export type { Precision, Quantity } from './tolerances.js';
export { GOLDENS_DIR, goldenDataPath, loadGolden, readGoldenData } from './goldens.js';
