/** HonestDiD inputs from an event-study result that carries its coefficient covariance. */
import type { EventCoef } from '../regression/common.js';
import type { EventStudyEstimates } from './types.js';

export interface EventStudyWithVcov {
  readonly coefs: readonly Pick<EventCoef, 'eventTime' | 'term' | 'estimate'>[];
  readonly fit: { readonly coefNames: readonly string[]; readonly vcov: readonly (readonly number[])[] };
}

export interface EventStudySelection extends EventStudyEstimates {
  /** Event times of betahat, in order (pre, then post). */
  readonly eventTimes: number[];
}

/**
 * Pre-periods are the event times before the reference, post-periods those from 0 on; the
 * reference must be -1 (the last pre-treatment period, where the trend difference is normalised
 * to 0) and the event times consecutive, as the restrictions are defined on adjacent periods.
 */
export function estimatesFromEventStudy(es: EventStudyWithVcov, ref: number): EventStudySelection {
  if (ref !== -1) throw new Error(`sensitivity: the reference period must be -1 (the last pre-treatment period), got ${ref}`);
  const coefs = [...es.coefs].sort((a, b) => a.eventTime - b.eventTime);
  const times = coefs.map((c) => c.eventTime);
  const all = [...times, ref].sort((a, b) => a - b);
  for (let i = 1; i < all.length; i++) {
    if (all[i] !== all[i - 1]! + 1) throw new Error(`sensitivity: event times must be consecutive around the reference; got ${all.join(', ')}`);
  }
  const idx = coefs.map((c) => {
    const k = es.fit.coefNames.indexOf(c.term);
    if (k < 0) throw new Error(`sensitivity: coefficient '${c.term}' is missing from the fit's vcov`);
    return k;
  });
  const numPre = times.filter((t) => t < ref).length;
  const numPost = times.length - numPre;
  if (numPre < 1 || numPost < 1) throw new Error(`sensitivity: need at least one pre- and one post-period coefficient (got ${numPre} pre, ${numPost} post)`);
  return {
    betahat: coefs.map((c) => c.estimate),
    sigma: idx.map((a) => idx.map((b) => es.fit.vcov[a]![b]!)),
    numPrePeriods: numPre,
    numPostPeriods: numPost,
    eventTimes: times,
  };
}
