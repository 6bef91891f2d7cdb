/**
 * Multiple-testing adjustments from a K x B matrix of bootstrap t-statistics drawn under the null
 * with shared weights (tStar[k * B + b]) and the observed t-statistics. Pure; O(K B log B).
 */
export interface AdjustedPValues {
  /** Share of |t*_bk| >= |t_k|, per outcome. */
  readonly unadjusted: Float64Array;
  /** Romano–Wolf (2005, 2016) stepdown on |t|: at step j the max over the hypotheses not yet rejected; made monotone. */
  readonly romanoWolf: Float64Array;
  /** Westfall–Young (1993) single-step maxT: the max over all hypotheses. */
  readonly westfallYoungMaxT: Float64Array;
  /** Westfall–Young stepdown minP: the draws' marginal p-values, min over the hypotheses not yet rejected; monotone. */
  readonly westfallYoungMinP: Float64Array;
  /** 1-based step of each outcome in the Romano–Wolf order (largest |t| first). */
  readonly step: Int32Array;
}

/** One tested estimate with its unadjusted and family-wise adjusted p-values (every multiple-testing row). */
export interface AdjustedTestRow {
  readonly outcome: string;
  readonly estimate: number;
  /** The SE of statistic = estimate / se: CR1 for the wild bootstrap, the draws' IQR SE for a multiplier bootstrap. */
  readonly se: number;
  readonly statistic: number;
  /** Bootstrap p-value of this estimate alone: share of |t*_b| >= |t|. */
  readonly pValue: number;
  /** Romano–Wolf stepdown (maxT over the hypotheses not yet rejected), monotone in the step order. */
  readonly pRomanoWolf: number;
  /** Westfall–Young single-step maxT: share of draws whose max_k |t*_bk| >= |t|. */
  readonly pWestfallYoung: number;
  /** Westfall–Young stepdown minP over the draws' marginal bootstrap p-values. */
  readonly pWestfallYoungMinP: number;
  /** 1-based position in its family's Romano–Wolf step order (largest |t| first). */
  readonly step: number;
}

export type AdjustedFields = Pick<AdjustedTestRow, 'pValue' | 'pRomanoWolf' | 'pWestfallYoung' | 'pWestfallYoungMinP' | 'step'>;

/**
 * Hypothesis j's p-values from adjustedPValues over B draws, as the rows report them. plusOne false:
 * #/B; true: (# + 1)/(B + 1), as R wildrwolf (monotone, so the step order and monotonicity hold).
 */
export function adjustedFields(adj: AdjustedPValues, j: number, B: number, plusOne: boolean): AdjustedFields {
  const report = (p: number) => (plusOne ? (p * B + 1) / (B + 1) : p);
  return {
    pValue: report(adj.unadjusted[j]!),
    pRomanoWolf: report(adj.romanoWolf[j]!),
    pWestfallYoung: report(adj.westfallYoungMaxT[j]!),
    pWestfallYoungMinP: report(adj.westfallYoungMinP[j]!),
    step: adj.step[j]!,
  };
}

/** The same relative tie margin as wildClusterBootstrap, so a draw equal to the observed t counts. */
const TIE = 1e-12;

export function adjustedPValues(tObs: readonly number[], tStar: Float64Array, B: number): AdjustedPValues {
  const K = tObs.length;
  if (tStar.length !== K * B) throw new Error(`adjustedPValues: tStar has ${tStar.length} values, expected ${K} x ${B}`);
  for (const [k, t] of tObs.entries()) if (!Number.isFinite(t)) throw new Error(`adjustedPValues: the observed t-statistic of outcome ${k + 1} is not finite (${t})`);
  const absT = tObs.map(Math.abs);
  const unadjusted = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let hits = 0;
    const cut = absT[k]! * (1 - TIE);
    for (let b = 0; b < B; b++) if (Math.abs(tStar[k * B + b]!) >= cut) hits++;
    unadjusted[k] = hits / B;
  }

  // Romano–Wolf / Westfall–Young maxT: order by |t| descending, suffix max over the order per draw
  const order = Array.from({ length: K }, (_, k) => k).sort((a, b) => absT[b]! - absT[a]! || a - b);
  const step = new Int32Array(K);
  order.forEach((k, j) => (step[k] = j + 1));
  const suffixMax = new Float64Array(B).fill(Number.NEGATIVE_INFINITY);
  const romanoWolf = new Float64Array(K);
  const westfallYoungMaxT = new Float64Array(K);
  const rawRw = new Float64Array(K);
  for (let j = K - 1; j >= 0; j--) {
    const k = order[j]!;
    for (let b = 0; b < B; b++) {
      const a = Math.abs(tStar[k * B + b]!);
      if (a > suffixMax[b]!) suffixMax[b] = a;
    }
    let hits = 0;
    const cut = absT[k]! * (1 - TIE);
    for (let b = 0; b < B; b++) if (suffixMax[b]! >= cut) hits++;
    rawRw[j] = hits / B;
  }
  // after the loop suffixMax is the max over all hypotheses: the single-step maxT
  for (let k = 0; k < K; k++) {
    let hits = 0;
    const cut = absT[k]! * (1 - TIE);
    for (let b = 0; b < B; b++) if (suffixMax[b]! >= cut) hits++;
    westfallYoungMaxT[k] = hits / B;
  }
  let running = 0;
  for (let j = 0; j < K; j++) {
    running = Math.max(running, rawRw[j]!);
    romanoWolf[order[j]!] = running;
  }

  // Westfall–Young minP: marginal p*_bk = share of draws b' with |t*_b'k| >= |t*_bk|, from a sort per outcome
  const pStar = new Float64Array(K * B);
  const idx = new Int32Array(B);
  for (let k = 0; k < K; k++) {
    const abs = Float64Array.from({ length: B }, (_, b) => Math.abs(tStar[k * B + b]!));
    for (let b = 0; b < B; b++) idx[b] = b;
    idx.sort((a, b) => abs[b]! - abs[a]!);
    // walking from the largest |t*|: ties share the count of all draws at least as large
    for (let i = 0; i < B; ) {
      let e = i;
      while (e + 1 < B && abs[idx[e + 1]!]! >= abs[idx[i]!]! * (1 - TIE)) e++;
      for (let q = i; q <= e; q++) pStar[k * B + idx[q]!] = (e + 1) / B;
      i = e + 1;
    }
  }
  const orderP = Array.from({ length: K }, (_, k) => k).sort((a, b) => unadjusted[a]! - unadjusted[b]! || absT[b]! - absT[a]! || a - b);
  const suffixMin = new Float64Array(B).fill(Number.POSITIVE_INFINITY);
  const rawMinP = new Float64Array(K);
  for (let j = K - 1; j >= 0; j--) {
    const k = orderP[j]!;
    for (let b = 0; b < B; b++) {
      const p = pStar[k * B + b]!;
      if (p < suffixMin[b]!) suffixMin[b] = p;
    }
    let hits = 0;
    const cut = unadjusted[k]! * (1 + TIE);
    for (let b = 0; b < B; b++) if (suffixMin[b]! <= cut) hits++;
    rawMinP[j] = hits / B;
  }
  const westfallYoungMinP = new Float64Array(K);
  running = 0;
  for (let j = 0; j < K; j++) {
    running = Math.max(running, rawMinP[j]!);
    westfallYoungMinP[orderP[j]!] = running;
  }
  return { unadjusted, romanoWolf, westfallYoungMaxT, westfallYoungMinP, step };
}
