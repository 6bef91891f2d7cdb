export { synthdidEstimate, scEstimate, didEstimate, effectCurve, defaultNoiseLevel } from './estimate.js';
export { synthdidSe, sumNormalize } from './vcov.js';
export { panelMatrices, blockMatrix } from './panel-matrices.js';
export type { BlockPanel, BlockColumns } from './panel-matrices.js';
export type {
  OutcomeMatrix,
  SynthdidEstimator,
  SynthdidOptions,
  SynthdidTuning,
  SynthdidEstimate,
  SynthdidSeMethod,
  SynthdidSeOptions,
  SynthdidSe,
} from './types.js';
export { synthdidStaggered, synthdidStaggeredArrays } from './staggered.js';
export type { StaggeredOptions, StaggeredResult, CohortEstimate } from './staggered.js';
export { synthdidTimePlacebo } from './time-placebo.js';
