/** Inputs and outputs of the Rambachan-Roth sensitivity analysis. */

/** An event study as HonestDiD reads it: pre-period coefficients, then post-period ones (reference omitted). */
export interface EventStudyEstimates {
  readonly betahat: readonly number[];
  /** Covariance of betahat, (numPre + numPost) square. */
  readonly sigma: readonly (readonly number[])[];
  readonly numPrePeriods: number;
  readonly numPostPeriods: number;
}

export type ConditionalMethod = 'Conditional' | 'C-LF' | 'C-F';

export interface ConditionalOptions {
  /** Weights on the post-period coefficients defining theta = l'tau_post (default: first post period). */
  readonly lVec?: readonly number[];
  readonly alpha?: number;
  /**
   * 'Conditional' (ARP test), 'C-LF' (conditional-least-favourable hybrid, default as in HonestDiD for
   * Delta^RM) or 'C-F' (conditional-FLCI hybrid; Delta^SD without sign / monotonicity restrictions).
   */
  readonly method?: ConditionalMethod;
  /** First-stage size of the LF / FLCI hybrid (default alpha / 10). */
  readonly hybridKappa?: number;
  /** Number of theta grid points of the test inversion (default 1000 as in HonestDiD). */
  readonly gridPoints?: number;
  readonly gridLb?: number;
  readonly gridUb?: number;
  /** Seed of the least-favourable critical value's 1000 draws (R's generator; default 0 as the package). */
  readonly seed?: number;
  /** Intersect Delta with a sign restriction on the post-period bias (HonestDiD's DeltaSDPB/NB, DeltaRMPB/NB). */
  readonly biasDirection?: 'positive' | 'negative';
  /** Intersect Delta with monotone delta (HonestDiD's DeltaSDI/D, DeltaRMI/D). */
  readonly monotonicityDirection?: 'increasing' | 'decreasing';
}

export interface SensitivityCi {
  /** The restriction's parameter: M for Delta^SD, Mbar for Delta^RM / Delta^SDRM. */
  readonly parameter: number;
  /** Smallest / largest accepted grid point; null when no grid point is accepted. */
  readonly lb: number | null;
  readonly ub: number | null;
  readonly method: ConditionalMethod | 'FLCI';
  readonly delta: 'DeltaSD' | 'DeltaRM' | 'DeltaSDRM';
  /** An end of the grid was accepted: the true CI is wider than reported (HonestDiD warns the same). */
  readonly openAtGridEnd: boolean;
  /** Number of grid points whose eta LP failed (counted as not rejected, as in the R package). */
  readonly lpFailures: number;
}
