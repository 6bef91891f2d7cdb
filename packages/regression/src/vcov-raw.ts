/** What a variance kernel returns, apart from the registry so the kernels can name it without a cycle. */
export interface VcovRaw {
  readonly vcov: Float64Array;
  readonly nClusters?: readonly number[];
  readonly gMin?: number;
  /** Per-coefficient reference df (Satterthwaite), overriding the common t df for each term. */
  readonly dfCoef?: readonly number[];
  /** Common t df decided by the estimator itself (entries with ownSsc). */
  readonly tDf?: number;
}
