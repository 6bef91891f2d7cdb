/**
 * HonestDiD inputs from a Callaway-Sant'Anna dynamic aggregation: the event-time effects and their
 * covariance from the stored influence functions (cluster sums when the result is clustered, so
 * the diagonal equals the reported SEs squared), as HonestDiD's honest_did.AGGTEobj does.
 */
import type { AggteResult } from '../cs/aggte.js';
import { payloadOf } from '../cs/influence.js';
import type { EventStudySelection } from './from-event-study.js';

export function estimatesFromAggteDynamic(result: AggteResult): EventStudySelection {
  if (result.type !== 'dynamic') throw new Error(`sensitivity: needs an aggte result of type 'dynamic', got '${result.type}'`);
  if (result.attGtSpec.basePeriod !== 'universal') throw new Error("sensitivity: use basePeriod 'universal' in attGt (the pre-period effects must share the reference period -1)");
  const { inf, clusterCodes } = payloadOf(result, 'sensitivity');
  const n = result.n;
  const keep = result.egt.map((e, k) => ({ e, k })).filter(({ e }) => e !== -1);
  const times = keep.map(({ e }) => e);
  const all = [...times, -1].sort((a, b) => a - b);
  for (let i = 1; i < all.length; i++) {
    if (all[i] !== all[i - 1]! + 1) throw new Error(`sensitivity: event times must be consecutive around -1; got ${all.join(', ')}`);
  }
  // Column sums per cluster (or per unit) of each kept influence function.
  let nc = n;
  if (clusterCodes) nc = clusterCodes.reduce((m, c) => Math.max(m, c + 1), 0);
  const sums = keep.map(({ k }) => {
    const s = new Float64Array(nc);
    for (let i = 0; i < n; i++) s[clusterCodes ? clusterCodes[i]! : i]! += inf[k * n + i]!;
    return s;
  });
  const sigma = sums.map((a) => sums.map((b) => {
    let v = 0;
    for (let c = 0; c < nc; c++) v += a[c]! * b[c]!;
    return v / (n * n);
  }));
  const numPre = times.filter((t) => t < -1).length;
  const numPost = times.length - numPre;
  if (numPre < 1 || numPost < 1) throw new Error(`sensitivity: need at least one pre- and one post-period effect (got ${numPre} pre, ${numPost} post)`);
  return { betahat: keep.map(({ k }) => result.attEgt[k]!), sigma, numPrePeriods: numPre, numPostPeriods: numPost, eventTimes: times };
}
