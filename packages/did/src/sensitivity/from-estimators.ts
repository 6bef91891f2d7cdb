/**
 * HonestDiD inputs from the other event-study estimators that carry a joint covariance of their
 * event-time coefficients: Sun-Abraham (interaction-weighted, covariance A V A'), did2s's
 * event-study second stage (GMM covariance) and dCdH's effects and placebos (covariance from the
 * influence functions, as did_multiplegt_dyn's coef$vcov). The imputation estimator reports
 * per-horizon SEs only, without the covariance between pre-period and post-period coefficients
 * that the restrictions need: it is refused with that reason.
 */
import type { SunAbrahamResult } from '../regression/sun-abraham.js';
import type { Did2sResult } from '../robustness/did2s.js';
import type { DidMultiplegtDynResult } from '../robustness/dcdh-dyn.js';
import { estimatesFromEventStudy, type EventStudySelection } from './from-event-study.js';

/** Sun-Abraham per-period IW coefficients; the reference must be exactly [-1]. */
export function estimatesFromSunAbraham(result: SunAbrahamResult): EventStudySelection {
  if (result.spec.ref.length !== 1 || result.spec.ref[0] !== -1) {
    throw new Error(`sensitivity: Sun-Abraham ref must be [-1] (one reference period, the last pre-treatment one), got [${result.spec.ref.join(', ')}]`);
  }
  if (result.periodVcov.length !== result.coefs.length) throw new Error('sensitivity: Sun-Abraham result has no covariance of its per-period coefficients');
  const terms = result.coefs.map((c) => c.term);
  return estimatesFromEventStudy({ coefs: result.coefs, fit: { coefNames: terms, vcov: result.periodVcov } }, -1);
}

/** did2s with an event-study second stage (reference [-1]); the static second stage has no event times. */
export function estimatesFromDid2s(result: Did2sResult): EventStudySelection {
  if (result.spec.secondStage !== 'event_study') throw new Error("sensitivity: did2s needs secondStage { eventStudy } (the static second stage has no event-time coefficients)");
  const ref = result.spec.ref ?? [];
  if (ref.length !== 1 || ref[0] !== -1) throw new Error(`sensitivity: did2s event-study ref must be [-1], got [${ref.join(', ')}]`);
  if (result.collinear.length > 0) throw new Error(`sensitivity: did2s dropped collinear event-time terms (${result.collinear.join(', ')}); the event times would not be consecutive`);
  const coefs = result.coefs.map((c) => {
    if (c.eventTime === null) throw new Error(`sensitivity: did2s coefficient '${c.term}' has no event time`);
    return { term: c.term, eventTime: c.eventTime, estimate: c.estimate };
  });
  return estimatesFromEventStudy({ coefs, fit: { coefNames: result.coefs.map((c) => c.term), vcov: result.vcov } }, -1);
}

/**
 * dCdH placebos (event time -ℓ-1: Y_{F-1-ℓ} - Y_{F-1}, the period before the switch as the base) and
 * effects (event time ℓ-1), with their joint covariance; did_multiplegt_dyn's honest_did feeds
 * HonestDiD the same. Needs at least one placebo (the pre-period coefficients).
 */
export function estimatesFromDidMultiplegtDyn(result: DidMultiplegtDynResult): EventStudySelection {
  if (result.placebos.length === 0) throw new Error('sensitivity: the dCdH result has no placebos (the pre-period coefficients HonestDiD needs); estimate it with placebo >= 1');
  const k = result.vcovTerms.length;
  if (k !== result.effects.length + result.placebos.length || result.vcov.length !== k) throw new Error('sensitivity: the dCdH result carries no covariance of its effects and placebos');
  result.vcov.forEach((row, i) => row.forEach((v, j) => {
    if (!Number.isFinite(v)) throw new Error(`sensitivity: the dCdH covariance of ${result.vcovTerms[i]} and ${result.vcovTerms[j]} is not finite (${v})`);
  }));
  const coefs = [...result.placebos, ...result.effects].map((c) => {
    if (c.eventTime === null || !Number.isFinite(c.estimate)) throw new Error(`sensitivity: dCdH ${c.term} has no event time or a non-finite estimate (${c.estimate})`);
    return { term: c.term, eventTime: c.eventTime, estimate: c.estimate };
  });
  return estimatesFromEventStudy({ coefs, fit: { coefNames: result.vcovTerms, vcov: result.vcov } }, -1);
}

/** Why the estimators without a joint covariance of their event-time coefficients are refused. */
export function unsupportedSensitivitySource(kind: 'did_imputation'): never {
  if (kind !== 'did_imputation') throw new Error(`sensitivity: unknown unsupported source '${String(kind)}'`);
  const what = 'the imputation estimator reports per-horizon SEs and tests pre-trends in a separate regression, so the covariance between its pre-period and post-period coefficients is not estimated';
  throw new Error(`sensitivity: ${what}; use source event_study, callaway_santanna, sun_abraham, did2s or did_multiplegt_dyn`);
}
