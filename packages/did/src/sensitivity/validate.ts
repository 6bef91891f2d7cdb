import type { EventStudyEstimates } from './types.js';

/** Clear errors for malformed event-study inputs (names follow the spec fields). */
export function checkEstimates(es: EventStudyEstimates): void {
  const n = es.numPrePeriods + es.numPostPeriods;
  if (!Number.isInteger(es.numPrePeriods) || es.numPrePeriods < 1) throw new Error(`sensitivity: numPrePeriods must be an integer >= 1, got ${es.numPrePeriods}`);
  if (!Number.isInteger(es.numPostPeriods) || es.numPostPeriods < 1) throw new Error(`sensitivity: numPostPeriods must be an integer >= 1, got ${es.numPostPeriods}`);
  if (es.betahat.length !== n) throw new Error(`sensitivity: betahat has ${es.betahat.length} entries, expected numPrePeriods + numPostPeriods = ${n}`);
  if (es.sigma.length !== n || es.sigma.some((r) => r.length !== n)) throw new Error(`sensitivity: sigma must be ${n} x ${n}`);
  if (es.betahat.some((v) => !Number.isFinite(v))) throw new Error('sensitivity: betahat has non-finite entries');
  for (let i = 0; i < n; i++) {
    if (!(es.sigma[i]![i]! > 0)) throw new Error(`sensitivity: sigma[${i}][${i}] must be a positive variance, got ${es.sigma[i]![i]}`);
    for (let j = 0; j < n; j++) {
      const a = es.sigma[i]![j]!;
      const b = es.sigma[j]![i]!;
      if (!Number.isFinite(a)) throw new Error(`sensitivity: sigma[${i}][${j}] is not finite`);
      if (Math.abs(a - b) > 1e-10 * Math.max(1, Math.abs(a))) throw new Error(`sensitivity: sigma is not symmetric at [${i}][${j}]`);
    }
  }
}

export function resolveLVec(es: EventStudyEstimates, lVec?: readonly number[]): number[] {
  const l = lVec ? [...lVec] : Array.from({ length: es.numPostPeriods }, (_, i) => (i === 0 ? 1 : 0));
  if (l.length !== es.numPostPeriods) throw new Error(`sensitivity: lVec has ${l.length} entries, expected numPostPeriods = ${es.numPostPeriods}`);
  if (l.some((v) => !Number.isFinite(v))) throw new Error('sensitivity: lVec has non-finite entries');
  return l;
}
