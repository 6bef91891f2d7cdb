/** The public types of att_gt, apart from the estimator so that its helpers can share them without a cycle. */
import type { TreatmentSpec } from '../treatment.js';
import type { PreTest } from './pretest.js';
import type { EstMethod } from './two-by-two.js';
import type { BootstrapInfo, InfluenceMatrix } from './influence.js';

export type ControlGroup = 'nevertreated' | 'notyettreated';
export type BasePeriod = 'varying' | 'universal';

export interface AttGtOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  /** Covariates (taken at the earlier period of each 2x2, as did does). Default none. */
  readonly covariates?: readonly string[];
  readonly controlGroup?: ControlGroup;
  readonly estMethod?: EstMethod;
  readonly basePeriod?: BasePeriod;
  /** Anticipation periods (delta). Default 0. */
  readonly anticipation?: number;
  /** Time-invariant sampling weights column. */
  readonly weights?: string;
  /** Time-invariant cluster column (analytic SEs and the bootstrap sum influence functions by cluster). */
  readonly cluster?: string;
  readonly alpha?: number;
  /**
   * false: repeated cross-sections (did's panel = FALSE): every row is its own observation, the 2x2s
   * use DRDID's repeated-cross-section estimators and the influence function has one row per row.
   * Default true.
   */
  readonly panel?: boolean;
  /**
   * With panel data, keep units not observed in every period (did's allow_unbalanced_panel): the 2x2s
   * then use the repeated-cross-section estimators on the rows of the two periods, and each unit's
   * influence is the sum over its rows. A balanced panel is estimated as one. Default false: units
   * without a complete row in every period are dropped (the panel is balanced first), as did does.
   */
  readonly allowUnbalancedPanel?: boolean;
}

/** Units or cells removed before estimation, always counted (nothing silently dropped). */
export interface AttGtDrops {
  /** Units without a row in every period, or with a missing outcome/covariate/weight. */
  readonly unitsIncomplete: number;
  /** Units treated in the first period or before (no pre-period). */
  readonly unitsAlwaysTreated: number;
  /** Units whose first treatment comes after the last period: treated as never treated. */
  readonly unitsTreatedAfterSample: number;
  /** notyettreated without never-treated units: the last cohort serves as control and periods from its adoption are dropped. */
  readonly periodsDroppedNoNeverTreated: number;
  /** ATT(g,t) cells that could not be estimated (NA), with the reason in warnings. */
  readonly cellsNa: number;
  /** Rows with a missing outcome/covariate/weight/cluster (repeated cross-sections, unbalanced panels; else 0). */
  readonly rowsIncomplete: number;
}

/** Which estimators ran: did's flags panel / true_repeated_cross_sections in words. */
export type AttGtSampling = 'panel' | 'unbalanced_panel' | 'repeated_cross_section';

/** did's MP object: every ATT(g,t) with its influence function (n units x cells). */
export interface GroupTimeResult extends InfluenceMatrix {
  readonly kind: 'att_gt';
  readonly spec: Required<Omit<AttGtOptions, 'weights' | 'cluster' | 'covariates'>> & {
    readonly covariates: readonly string[];
    readonly weights: string | null;
    readonly cluster: string | null;
  };
  readonly sampling: AttGtSampling;
  readonly group: readonly number[];
  readonly time: readonly number[];
  readonly baseTime: readonly number[];
  readonly att: readonly number[];
  /** Analytic (or, after withMultiplierBootstrap, bootstrap) standard errors; NaN when degenerate. */
  readonly se: readonly number[];
  readonly post: readonly boolean[];
  /** Units (panel) or rows (repeated cross-sections, unbalanced panels) of the treated cohort and comparison group. */
  readonly nTreated: readonly number[];
  readonly nControl: readonly number[];
  readonly critVal: number;
  readonly pretest: PreTest | null;
  /** Rows of the influence function: units (panel, unbalanced panel) or observations (repeated cross-sections). */
  readonly n: number;
  readonly periods: readonly number[];
  readonly cohorts: readonly number[];
  readonly drops: AttGtDrops;
  readonly warnings: readonly string[];
  readonly bootstrap: BootstrapInfo | null;
  readonly meta: { readonly backend: string; readonly precision: 64 };
}
