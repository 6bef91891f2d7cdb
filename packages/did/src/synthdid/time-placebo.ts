/**
 * Placebo in time (R synthdid_placebo): the same estimator on the pre-periods only, with a fake
 * adoption after the first floor(T0 (1 - fraction)) of them, and the original fit's tuning
 * (regularisation, stopping rule, which weights are estimated), and the covariates' pre-periods.
 */
import { synthdidEstimate } from './estimate.js';
import type { OutcomeMatrix, SynthdidEstimate } from './types.js';

/** treatedFraction: share of the pre-periods treated in the placebo; default the actual post share T1 / T. */
export function synthdidTimePlacebo(est: SynthdidEstimate, treatedFraction?: number): SynthdidEstimate {
  const nT = est.y.nPeriods;
  const fraction = treatedFraction ?? 1 - est.t0 / nT;
  if (!(fraction > 0 && fraction < 1)) throw new Error(`synthdid time placebo: treatedFraction must be in (0, 1), got ${fraction}`);
  const t0 = Math.floor(est.t0 * (1 - fraction));
  if (t0 < 1 || t0 >= est.t0) throw new Error(`synthdid time placebo: ${est.t0} pre-periods leave no placebo pre- or post-period at fraction ${fraction}`);
  const pre = (m: OutcomeMatrix): OutcomeMatrix => {
    const values = new Float64Array(m.nUnits * est.t0);
    for (let i = 0; i < m.nUnits; i++) values.set(m.values.subarray(i * nT, i * nT + est.t0), i * est.t0);
    return { values, nUnits: m.nUnits, nPeriods: est.t0 };
  };
  const o = est.options;
  return synthdidEstimate(
    pre(est.y),
    est.n0,
    t0,
    {
      noiseLevel: o.noiseLevel,
      zetaOmega: o.zetaOmega,
      zetaLambda: o.zetaLambda,
      omegaIntercept: o.omegaIntercept,
      lambdaIntercept: o.lambdaIntercept,
      updateOmega: o.updateOmega,
      updateLambda: o.updateLambda,
      minDecrease: o.minDecrease,
      maxIter: o.maxIter,
      sparsify: o.sparsify,
      maxIterPreSparsify: o.maxIterPreSparsify,
      ...(est.covariates ? { covariates: est.covariates.x.map(pre) } : {}),
    },
    est.estimator,
  );
}
