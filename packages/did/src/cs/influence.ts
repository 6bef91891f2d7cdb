/**
 * The influence-function payload shared by att_gt and aggte results. Typed arrays are kept beside
 * the result (a WeakMap keyed by the frozen result), so the result itself stays JSON-safe while
 * aggregations and the bootstrap can still do linear algebra on them.
 */
export interface InfluencePayload {
  /** n x K column-major: column k is the influence function of parameter k. */
  readonly inf: Float64Array;
  readonly infCols: number;
  /** Per unit: cohort (Infinity = never treated), normalised weights, cluster code. */
  readonly unitCohort: Float64Array;
  readonly unitWeights: Float64Array;
  readonly clusterCodes: Int32Array | null;
  /**
   * What each influence row is in the source frame, so results on several outcomes of one frame can
   * share bootstrap weights by unit or cluster (jointMultiplierDraws): the unit index (panels,
   * unbalanced panels) or the row index (repeated cross-sections), and the cluster column's codes
   * before recoding (null without a cluster column).
   */
  readonly ids: Int32Array;
  readonly idKind: 'unit' | 'row';
  readonly clusterIds: Int32Array | null;
}

export interface InfluenceMatrix {
  readonly n: number;
}

export interface BootstrapInfo {
  readonly draws: number;
  readonly seed: number;
  readonly weights: 'rademacher' | 'mammen' | 'webb';
  readonly clusters: number;
  /** Backend that ran the MultiplierBootstrap kernel. */
  readonly backend: string;
  /** Monte-Carlo 99% interval of the uniform critical value (order statistics of the max-t draws). */
  readonly critValMcInterval: readonly [number, number];
  readonly cband: boolean;
}

const PAYLOAD = new WeakMap<object, InfluencePayload>();

/** Attaches the payload to a result object (kept out of JSON). */
export function hidden(result: object, payload: InfluencePayload): void {
  PAYLOAD.set(result, payload);
}

/** The payload of a result made by attGt or aggte; throws for anything else. */
export function payloadOf(result: object, what: string): InfluencePayload {
  const p = PAYLOAD.get(result);
  if (!p) throw new Error(`${what}: the result carries no influence functions (was it made by attGt/aggte, not parsed from JSON?)`);
  return p;
}

/** sqrt(sum_c S_c^2)/n per column, S_c the cluster sums (c = unit without codes); NaN when ~0. */
export function influenceSe(inf: Float64Array, n: number, K: number, codes: Int32Array | null): number[] {
  const se: number[] = [];
  let nc = 0;
  if (codes) for (const c of codes) nc = Math.max(nc, c + 1);
  const sums = codes ? new Float64Array(nc) : null;
  for (let k = 0; k < K; k++) {
    let ss = 0;
    if (!sums) {
      for (let i = 0; i < n; i++) ss += inf[k * n + i]! ** 2;
    } else {
      sums.fill(0);
      for (let i = 0; i < n; i++) sums[codes![i]!]! += inf[k * n + i]!;
      for (const s of sums) ss += s * s;
    }
    const s = Math.sqrt(ss) / n;
    se.push(s <= Math.sqrt(Number.EPSILON) * 10 || !Number.isFinite(s) ? Number.NaN : s);
  }
  return se;
}
