export { TOLERANCES, maxAbsDiff, maxRelDiff, tolerance } from './tolerances.js';
export type { Precision, Quantity } from './tolerances.js';
export { GOLDENS_DIR, goldenDataPath, loadGolden, readGoldenData } from './goldens.js';
export { adjustedRowMismatches } from './multiple-testing.js';
export type { AdjustedGoldenRow, AdjustedRowLike } from './multiple-testing.js';
export { committedWasmBytes } from './committed-wasm.js';
export type { CommittedWasm, WabtInit } from './committed-wasm.js';
