/**
 * Which regressors a collinear one depends on, so that a dropped regressor is reported as "x3
 * collinear with x1, x2" rather than vanishing from the table.
 */

export interface CollinearTerm {
  /** The regressor removed. */
  readonly term: string;
  /** The kept regressors it is a linear combination of, or ['fixed effects'] when they absorb it. */
  readonly with: readonly string[];
}

/** Relative size below which a projection coefficient counts as no dependence. */
const DEPENDENCE_TOL = 1e-6;

/**
 * For each dropped (demeaned) column, its least-squares projection on the kept columns
 * (b = (X'WX)^-1 X'W x_j with the fit's inverse); the kept columns with a non-negligible share
 * b_m * |x_m| relative to |x_j| are those it is collinear with. Cost O(n k) per dropped column.
 */
export function collinearWith(
  dropped: readonly { name: string; column: Float64Array; absorbed: boolean }[],
  kept: readonly { name: string; column: Float64Array }[],
  xtxInv: Float64Array,
  w: Float64Array | undefined,
): CollinearTerm[] {
  if (dropped.length === 0) return []; // the usual case: no pass for the kept columns' norms
  const k = kept.length;
  const norms = kept.map((c) => Math.sqrt(weightedDot(c.column, c.column, w)));
  return dropped.map((d) => {
    if (d.absorbed) return Object.freeze({ term: d.name, with: Object.freeze(['fixed effects']) });
    const xty = kept.map((c) => weightedDot(c.column, d.column, w));
    const own = Math.sqrt(weightedDot(d.column, d.column, w));
    const partners: string[] = [];
    for (let m = 0; m < k; m++) {
      let b = 0;
      for (let q = 0; q < k; q++) b += xtxInv[m * k + q]! * xty[q]!;
      if (Math.abs(b) * norms[m]! > DEPENDENCE_TOL * own) partners.push(kept[m]!.name);
    }
    // nothing left once demeaned and no kept partner: the fixed effects took it
    return Object.freeze({ term: d.name, with: Object.freeze(partners.length ? partners : ['fixed effects']) });
  });
}

function weightedDot(a: Float64Array, b: Float64Array, w: Float64Array | undefined): number {
  let s = 0;
  if (w) for (let i = 0; i < a.length; i++) s += w[i]! * a[i]! * b[i]!;
  else for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** "x3 dropped as collinear with x1, x2" / "... with the fixed effects". */
export function collinearNote(c: CollinearTerm): string {
  return `${c.term} dropped as collinear with ${c.with.length === 1 && c.with[0] === 'fixed effects' ? 'the fixed effects' : c.with.join(', ')}`;
}
