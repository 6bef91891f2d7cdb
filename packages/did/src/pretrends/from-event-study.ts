/** Pre-trends inputs from an event-study result that carries its coefficient covariance. */
import type { EventCoef } from '../regression/common.js';
import type { PretrendsInput } from './pretrends.js';

export interface EventStudyForPretrends {
  readonly coefs: readonly Pick<EventCoef, 'eventTime' | 'term' | 'estimate'>[];
  readonly spec: { readonly ref: number };
  readonly fit: { readonly coefNames: readonly string[]; readonly vcov: readonly (readonly number[])[] };
}

/** Coefficients sorted by event time with the matching block of the fit's vcov; reference = spec.ref. */
export function pretrendsInputFromEventStudy(es: EventStudyForPretrends): PretrendsInput {
  const coefs = [...es.coefs].sort((a, b) => a.eventTime - b.eventTime);
  const idx = coefs.map((c) => {
    const k = es.fit.coefNames.indexOf(c.term);
    if (k < 0) throw new Error(`pretrends: coefficient '${c.term}' is missing from the fit's vcov`);
    return k;
  });
  return {
    betahat: coefs.map((c) => c.estimate),
    sigma: idx.map((a) => idx.map((b) => es.fit.vcov[a]![b]!)),
    eventTimes: coefs.map((c) => c.eventTime),
    referencePeriod: es.spec.ref,
  };
}
