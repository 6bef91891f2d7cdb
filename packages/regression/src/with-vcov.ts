/** Changing the variance estimator returns a new result; nothing is refitted or mutated. */
import type { PanelFrame } from '@panel-lab/panel';
import { attachState, computeVcov, getState } from './fit-state.js';
import { diagSqrt, toNested } from './feols.js';
import type { FeolsDof, FeolsResult } from './result.js';
import type { ComputedVcov } from './fit-state.js';
import { makeSsc, type Ssc } from './ssc.js';
import { normalizeVcov, vcovLabel, type VcovSpec } from './vcov-registry.js';

/**
 * A copy of `result` with another vcov (and/or ssc). Cluster variables not used at fit time are
 * read from `opts.data`, which must be the frame the model was fitted on (results hold no data).
 */
export function withVcov(result: FeolsResult, vcov: VcovSpec, ssc?: Partial<Ssc>, opts: { data?: PanelFrame } = {}): FeolsResult {
  const state = getState(result);
  const spec = normalizeVcov(vcov, state.feNames);
  const s = makeSsc(ssc ?? result.ssc);
  const v = computeVcov(state, spec, s, opts.data);
  const k = state.k;
  const next: FeolsResult = Object.freeze({
    ...result,
    vcovSpec: spec,
    vcovLabel: vcovLabel(spec),
    ssc: s,
    se: Object.freeze(diagSqrt(v.vcov, k)),
    vcov: toNested(v.vcov, k),
    nClusters: v.nClusters,
    dof: dofWith(result.dof, v),
  });
  attachState(next, state);
  return next;
}

/** The result's dof with the new vcov's K, t df and (when it has them) per-coefficient df. */
export function dofWith(dof: FeolsDof, v: ComputedVcov): FeolsDof {
  const { coef: _old, ...rest } = dof;
  return Object.freeze({ ...rest, kVcov: v.kVcov, t: v.tDf, ...(v.dfCoef ? { coef: v.dfCoef } : {}) });
}
