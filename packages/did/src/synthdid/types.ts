/** Shared types of the synthetic difference-in-differences estimators (Arkhangelsky et al. 2021). */

/** Outcomes as a row-major units x periods matrix; control units first, pre-periods first. */
export interface OutcomeMatrix {
  readonly values: Float64Array;
  readonly nUnits: number;
  readonly nPeriods: number;
}

export type SynthdidEstimator = 'synthdid' | 'sc' | 'did';

/** Options of synthdid_estimate (defaults: the R package's). */
export interface SynthdidOptions {
  /** Noise level sigma; default: sd of first differences of the control pre-period outcomes. */
  noiseLevel?: number;
  /** zeta.omega = etaOmega * noiseLevel; default (N1 T1)^(1/4) (1e-6 for sc). */
  etaOmega?: number;
  /** zeta.lambda = etaLambda * noiseLevel; default 1e-6. */
  etaLambda?: number;
  /** Overrides of the regularisation (deprecated in R but kept for replays). */
  zetaOmega?: number;
  zetaLambda?: number;
  omegaIntercept?: boolean;
  lambdaIntercept?: boolean;
  /** Fixed or starting weights. */
  omega?: ArrayLike<number>;
  lambda?: ArrayLike<number>;
  updateOmega?: boolean;
  updateLambda?: boolean;
  /** Stop once an iteration lowers the objective by <= minDecrease^2; default 1e-5 * noiseLevel. */
  minDecrease?: number;
  /** Default 10000. */
  maxIter?: number;
  /** Second Frank-Wolfe round from the sparsified first-round solution (default true). */
  sparsify?: boolean;
  /** Iterations of the first round when sparsifying (default 100). */
  maxIterPreSparsify?: number;
  /**
   * Time-varying covariates (R's X): one units x periods matrix per covariate, rows in the outcome
   * matrix's order. With any, beta is fitted jointly with the weights (no sparsify round, maxIter
   * joint iterations) and the estimate uses Y - sum_k beta_k X_k.
   */
  covariates?: readonly OutcomeMatrix[];
}

/** The covariate part of a covariate-adjusted fit. */
export interface SynthdidCovariateFit {
  /** The covariate matrices (rows in the outcome matrix's order). */
  x: readonly OutcomeMatrix[];
  beta: Float64Array;
  /** Joint Frank-Wolfe + gradient iterations. */
  iterations: number;
}

/** The options as resolved for one estimate; resampling re-solves with exactly these. */
export interface SynthdidTuning {
  noiseLevel: number;
  zetaOmega: number;
  zetaLambda: number;
  omegaIntercept: boolean;
  lambdaIntercept: boolean;
  updateOmega: boolean;
  updateLambda: boolean;
  minDecrease: number;
  maxIter: number;
  sparsify: boolean;
  maxIterPreSparsify: number;
}

export interface SynthdidEstimate {
  estimator: SynthdidEstimator;
  /** The average treatment effect on the treated block. */
  estimate: number;
  /** Unit weights of the controls (rows 0..N0-1), summing to 1. */
  omega: Float64Array;
  /** Time weights of the pre-periods, summing to 1 (all zero for sc). */
  lambda: Float64Array;
  /** Effect per post-period: treated minus omega-weighted controls, minus its lambda-weighted pre-period level. */
  effectCurve: Float64Array;
  n0: number;
  n1: number;
  t0: number;
  t1: number;
  options: SynthdidTuning;
  iterationsOmega: number;
  iterationsLambda: number;
  /** The outcome matrix the estimate was computed on (kept for the standard errors and the plot). */
  y: OutcomeMatrix;
  /** Present when covariates were given: beta and the covariates (the plot and curve use Y - X beta). */
  covariates?: SynthdidCovariateFit;
}

export type SynthdidSeMethod = 'placebo' | 'bootstrap' | 'jackknife';

export interface SynthdidSeOptions {
  method: SynthdidSeMethod;
  /** Draws for placebo and bootstrap (default 200, as R). */
  replications?: number;
  /** Required for placebo and bootstrap. */
  seed?: number;
  /** Draws solved together per batch (memory: batch x N0 x T0 doubles x 2); default 256, fewer above 256 MiB. */
  batchSize?: number;
}

export interface SynthdidSe {
  method: SynthdidSeMethod;
  /** NaN where the package returns NA (see reason). */
  se: number;
  replicates: Float64Array;
  replications: number;
  seed: number | null;
  /** Why the SE is undefined (one treated unit for bootstrap/jackknife, one nonzero omega for the jackknife). */
  reason?: string;
}
