import type { TreatmentSpec } from '../treatment.js';

export type BaconType =
  | 'Treated vs Untreated'
  | 'Earlier vs Later Treated'
  | 'Later vs Earlier Treated'
  | 'Later vs Always Treated'
  | 'Both Treated';

export interface BaconTwoByTwo {
  /** Cohort of the treated side of the 2x2. */
  readonly treated: number;
  /** Cohort of the comparison side; null = never treated, 'always' = treated before the panel starts. */
  readonly untreated: number | null | 'always';
  readonly type: BaconType;
  readonly estimate: number;
  readonly weight: number;
}

export interface BaconTypeSummary {
  readonly type: BaconType;
  readonly weight: number;
  /** Weight-averaged 2x2 estimate within the type. */
  readonly avgEstimate: number;
  readonly count: number;
}

export interface BaconResult {
  readonly kind: 'bacon';
  readonly spec: { readonly outcome: string; readonly treatment: TreatmentSpec; readonly controls: readonly string[] };
  readonly twoByTwos: readonly BaconTwoByTwo[];
  readonly byType: readonly BaconTypeSummary[];
  /** Sum of weight x estimate (plus the within part with controls). */
  readonly overall: number;
  /** The TWFE coefficient on the treatment dummy (with the controls, if any). */
  readonly twfe: number;
  /** overall - twfe: zero up to rounding (the decomposition identity). */
  readonly identityResidual: number;
  /** With controls: the within-timing-group share Omega and estimate; null without. */
  readonly within: { readonly omega: number; readonly estimate: number; readonly betweenEstimate: number } | null;
  readonly nUnits: number;
  readonly nPeriods: number;
  readonly meta: { readonly backend: 'cpu'; readonly precision: 64 };
}

