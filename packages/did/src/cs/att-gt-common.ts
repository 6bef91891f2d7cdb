/**
 * What the panel and the repeated-cross-section att_gt share: option checks, did's loop over
 * (g, t) cells with their base periods, and the result (SEs, pre-test, frozen payload).
 */
import { qnorm } from '../internal/stats.js';
import type { AttGtDrops, AttGtOptions, GroupTimeResult } from './att-gt-types.js';
import { hidden, influenceSe } from './influence.js';
import { waldPretest } from './pretest.js';

export const NEVER = Number.POSITIVE_INFINITY;

export function validateOptions(cg: string, em: string, bp: string, ant: number, alpha: number): void {
  if (cg !== 'nevertreated' && cg !== 'notyettreated') throw new Error(`attGt: option controlGroup must be 'nevertreated' or 'notyettreated', got '${cg}'`);
  if (em !== 'dr' && em !== 'ipw' && em !== 'reg') throw new Error(`attGt: option estMethod must be 'dr', 'ipw' or 'reg', got '${em}'`);
  if (bp !== 'varying' && bp !== 'universal') throw new Error(`attGt: option basePeriod must be 'varying' or 'universal', got '${bp}'`);
  if (!Number.isInteger(ant) || ant < 0) throw new Error(`attGt: option anticipation must be a non-negative integer, got ${ant}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`attGt: option alpha must be in (0, 1), got ${alpha}`);
}

/** One ATT(g,t): period index t, its base period, post-treatment flag, and the universal base's zero cell. */
export interface CellPlan {
  readonly g: number;
  readonly tIdx: number;
  readonly pret: number;
  readonly post: boolean;
  readonly zero: boolean;
}

/** did's loop over cohorts and periods (varying or universal base period, anticipation). */
export function planCells(glist: readonly number[], periods: readonly number[], basePeriod: string, anticipation: number, warnings: string[]): CellPlan[] {
  const nT = periods.length;
  const cells: CellPlan[] = [];
  const tStart = basePeriod === 'universal' ? 0 : 1;
  const lastPre = (g: number): number => {
    let j = -1;
    for (let k = 0; k < nT; k++) if (periods[k]! + anticipation < g) j = k;
    return j;
  };
  for (const g of glist) {
    for (let tIdx = tStart; tIdx < nT; tIdx++) {
      const post = g <= periods[tIdx]!;
      let pret = basePeriod === 'universal' ? lastPre(g) : tIdx - 1;
      if (post || basePeriod === 'universal') {
        pret = lastPre(g);
        if (pret < 0) {
          warnings.push(`cohort ${g} has no pre-treatment period; its remaining cells are dropped`);
          break;
        }
      }
      cells.push({ g, tIdx, pret, post, zero: basePeriod === 'universal' && pret === tIdx });
    }
  }
  return cells;
}

/** Is a unit of cohort c a comparison for cohort g at the cell's later period (did's .C)? */
export function isComparison(c: number, g: number, later: number, controlGroup: string, anticipation: number): boolean {
  return c === NEVER || (controlGroup === 'notyettreated' && c !== g && c > later + anticipation);
}

/** Dense 0..G-1 codes. */
export function recode(codes: Int32Array): Int32Array {
  const map = new Map<number, number>();
  return codes.map((c) => {
    let v = map.get(c);
    if (v === undefined) map.set(c, (v = map.size));
    return v;
  });
}

/** [start, end) row ranges of equal cohort in a cohort-sorted unit order. */
export function cohortBlocks(G: Float64Array): [number, number][] {
  const blocks: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= G.length; i++) {
    if (i === G.length || G[i] !== G[start]) {
      blocks.push([start, i]);
      start = i;
    }
  }
  return blocks;
}

/** The cells' outputs, in cell order. */
export interface CellOutputs {
  readonly group: number[];
  readonly time: number[];
  readonly baseTime: number[];
  readonly att: number[];
  readonly post: boolean[];
  readonly nTreated: number[];
  readonly nControl: number[];
}

export function emptyOutputs(): CellOutputs {
  return { group: [], time: [], baseTime: [], att: [], post: [], nTreated: [], nControl: [] };
}

/**
 * SEs, pre-test and the frozen result. inf is n x K column-major over the influence-function rows,
 * which must be sorted by cohort (G) so the pre-test can skip the zero blocks.
 */
export function finishAttGt(a: {
  readonly spec: GroupTimeResult['spec'];
  readonly sampling: GroupTimeResult['sampling'];
  readonly out: CellOutputs;
  readonly inf: Float64Array;
  readonly n: number;
  readonly G: Float64Array;
  readonly W: Float64Array;
  readonly clusterCodes: Int32Array | null;
  readonly ids: Int32Array;
  readonly idKind: 'unit' | 'row';
  readonly clusterIds: Int32Array | null;
  readonly periods: readonly number[];
  readonly cohorts: readonly number[];
  readonly drops: AttGtDrops;
  readonly warnings: readonly string[];
}): GroupTimeResult {
  const { out, inf, n, clusterCodes } = a;
  const K = out.att.length;
  const se = influenceSe(inf, n, K, clusterCodes);
  const pretest = waldPretest(out.att, out.group, out.time, se, inf, n, clusterCodes, cohortBlocks(a.G));
  const result = {
    kind: 'att_gt' as const,
    spec: Object.freeze({ ...a.spec, covariates: Object.freeze([...a.spec.covariates]) }),
    sampling: a.sampling,
    group: Object.freeze(out.group),
    time: Object.freeze(out.time),
    baseTime: Object.freeze(out.baseTime),
    att: Object.freeze(out.att),
    se: Object.freeze(se),
    post: Object.freeze(out.post),
    nTreated: Object.freeze(out.nTreated),
    nControl: Object.freeze(out.nControl),
    critVal: qnorm(1 - a.spec.alpha / 2),
    pretest,
    n,
    periods: Object.freeze([...a.periods]),
    cohorts: Object.freeze([...a.cohorts]),
    drops: Object.freeze({ ...a.drops }),
    warnings: Object.freeze([...a.warnings]),
    bootstrap: null,
    meta: Object.freeze({ backend: 'cpu', precision: 64 as const }),
  };
  hidden(result, { inf, infCols: K, unitCohort: a.G, unitWeights: a.W, clusterCodes, ids: a.ids, idKind: a.idKind, clusterIds: a.clusterIds });
  return Object.freeze(result) as GroupTimeResult;
}

/** Options with their defaults, checked. */
export function resolveOptions(options: AttGtOptions) {
  const controlGroup = options.controlGroup ?? 'nevertreated';
  const estMethod = options.estMethod ?? 'dr';
  const basePeriod = options.basePeriod ?? 'varying';
  const anticipation = options.anticipation ?? 0;
  const alpha = options.alpha ?? 0.05;
  const covariates = options.covariates ?? [];
  const panel = options.panel ?? true;
  const allowUnbalancedPanel = options.allowUnbalancedPanel ?? false;
  validateOptions(controlGroup, estMethod, basePeriod, anticipation, alpha);
  if (typeof panel !== 'boolean') throw new Error(`attGt: option panel must be true or false, got ${String(panel)}`);
  if (typeof allowUnbalancedPanel !== 'boolean') throw new Error(`attGt: option allowUnbalancedPanel must be true or false, got ${String(allowUnbalancedPanel)}`);
  return { controlGroup, estMethod, basePeriod, anticipation, alpha, covariates, panel, allowUnbalancedPanel };
}

export type Resolved = ReturnType<typeof resolveOptions>;

/** The echo of the request, with defaults filled in. */
export function specOf(options: AttGtOptions, r: Resolved): GroupTimeResult['spec'] {
  return {
    outcome: options.outcome,
    treatment: options.treatment,
    covariates: r.covariates,
    controlGroup: r.controlGroup,
    estMethod: r.estMethod,
    basePeriod: r.basePeriod,
    anticipation: r.anticipation,
    weights: options.weights ?? null,
    cluster: options.cluster ?? null,
    alpha: r.alpha,
    panel: r.panel,
    allowUnbalancedPanel: r.allowUnbalancedPanel,
  };
}
