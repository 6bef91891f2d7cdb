import type { PanelFrame } from '@panel-lab/panel';
import { adjustWithinFamilies, type WildMultipleTestingResult, type WildMultipleTestingRow, type WildMultipleTestingSettings } from './multiple-testing-families.js';

export interface MultipleTestingOptions extends WildMultipleTestingSettings {
  /** The outcomes, each regressed on the same coefficient, controls, FE and cluster. At least one. */
  readonly outcomes: readonly string[];
  readonly coefficient: string;
  readonly controls?: readonly string[];
}

/** Per outcome: CR1 SE and the t(G-1) statistic of beta = 0, the wild bootstrap and adjusted p-values. */
export type MultipleTestingRow = Omit<WildMultipleTestingRow, 'coefficient' | 'family'>;

/** wildMultipleTesting's result without the families (there is one), the coefficient in the spec. */
export interface MultipleTestingResult extends Omit<WildMultipleTestingResult, 'kind' | 'spec' | 'rows' | 'families'> {
  readonly kind: 'multiple_testing';
  readonly spec: Readonly<{ coefficient: string } & WildMultipleTestingResult['spec']>;
  readonly rows: readonly MultipleTestingRow[];
}

/**
 * Romano–Wolf and Westfall–Young adjusted p-values of one coefficient across several outcomes, by
 * the wild cluster restricted bootstrap (as R wildrwolf / Stata rwolf2 with the null imposed).
 * Every draw uses one weight vector over the union of the clusters, shared by all outcomes, so the
 * outcomes' joint dependence is kept. Per outcome and block of draws the bootstrap t-statistics
 * come from wild-stats.ts's matrix products: cost O(outcomes x draws x G x r) (or G^2 dense), and
 * memory O(outcomes x draws) for the t* matrix the stepdown needs. It is wildMultipleTesting with
 * one hypothesis per outcome, all in one family.
 */
export async function romanoWolf(frame: PanelFrame, options: MultipleTestingOptions): Promise<MultipleTestingResult> {
  const t0 = performance.now();
  const outcomes = options.outcomes;
  if (!Array.isArray(outcomes) || outcomes.length === 0) throw new Error('option outcomes: give at least one outcome column');
  if (new Set(outcomes).size !== outcomes.length) throw new Error(`option outcomes: duplicated outcome in [${outcomes.join(', ')}]`);
  const hypotheses = outcomes.map((outcome) => ({ outcome, coefficient: options.coefficient, ...(options.controls ? { controls: options.controls } : {}) }));
  const general = await adjustWithinFamilies(frame, hypotheses, options, t0);
  return Object.freeze({
    kind: 'multiple_testing',
    spec: Object.freeze({ coefficient: options.coefficient, ...general.spec }),
    rows: Object.freeze(general.rows.map(({ coefficient: _coefficient, family: _family, ...row }) => Object.freeze(row))),
    enumerated: general.enumerated,
    nClusters: general.nClusters,
    meta: general.meta,
  });
}
