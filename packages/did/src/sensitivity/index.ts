export { conditionalCiDeltaSD, conditionalCiDeltaRM } from './conditional.js';
export { breakdownOnGrid, containsZero } from './breakdown.js';
export type { GridBreakdown } from './breakdown.js';
export type { EventStudyEstimates, ConditionalOptions, ConditionalMethod, SensitivityCi } from './types.js';
export { flciDeltaSD, flciRows } from './flci.js';
export type { FlciOptions, FlciResult } from './flci.js';
export type { FoldedQuantileMethod } from './folded-normal.js';
