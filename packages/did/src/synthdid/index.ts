export { synthdidEstimate, scEstimate, didEstimate, effectCurve, defaultNoiseLevel } from './estimate.js';
export { synthdidSe, sumNormalize } from './vcov.js';
export { panelMatrices, blockMatrix } from './panel-matrices.js';
export type { BlockPanel, BlockColumns, CovariateColumn } from './panel-matrices.js';
export type {
  OutcomeMatrix,
  SynthdidEstimator,
  SynthdidOptions,
  SynthdidTuning,
  SynthdidEstimate,
  SynthdidSeMethod,
  SynthdidSeOptions,
  SynthdidSe,
  SynthdidCovariateFit,
} from './types.js';
export { synthdidStaggered, synthdidStaggeredArrays } from './staggered.js';
export { staggeredAggregateSe } from './staggered-se.js';
export type { AggregateCohort } from './staggered-se.js';
export type { StaggeredOptions, StaggeredResult, CohortEstimate } from './staggered.js';
export { synthdidTimePlacebo } from './time-placebo.js';
