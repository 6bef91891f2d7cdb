/** A row of an R multiple-testing golden, as the goldens/results scripts write it. */
export interface AdjustedGoldenRow {
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
  readonly p_value: number;
  readonly p_romano_wolf: number;
  readonly p_westfall_young: number;
  readonly p_westfall_young_minp: number;
  /** The first draws' t*, where the script kept them. */
  readonly t_star_first?: readonly number[];
}

/** The fields of one of our multiple-testing rows that the goldens hold. */
export interface AdjustedRowLike {
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
  readonly pValue: number;
  readonly pRomanoWolf: number;
  readonly pWestfallYoung: number;
  readonly pWestfallYoungMinP: number;
  readonly tStar?: readonly (number | null)[];
}

/**
 * How a multiple-testing row differs from its R golden row beyond the goldens' tolerances: the
 * estimate to 1e-9 and the SE to 1e-8 (relative), t to 1e-7, each kept t* to 1e-7 (relative), the
 * four p-values to 5e-13 (vitest's toBeCloseTo(p, 12)). Empty when the row matches.
 */
export function adjustedRowMismatches(row: AdjustedRowLike, golden: AdjustedGoldenRow): string[] {
  const out: string[] = [];
  const check = (what: string, ok: boolean, got: unknown, want: number) => {
    if (!ok) out.push(`${what}: got ${String(got)}, R ${want}`);
  };
  check('estimate', Math.abs(row.estimate - golden.estimate) < 1e-9 * Math.max(1, Math.abs(golden.estimate)), row.estimate, golden.estimate);
  check('se', Math.abs(row.se / golden.se - 1) < 1e-8, row.se, golden.se);
  check('statistic', Math.abs(row.statistic - golden.statistic) < 1e-7, row.statistic, golden.statistic);
  golden.t_star_first?.forEach((t, b) => {
    const got = row.tStar?.[b];
    check(`t* of draw ${b + 1}`, typeof got === 'number' && Math.abs(got - t) < 1e-7 * Math.max(1, Math.abs(t)), got, t);
  });
  const P_TOL = 5e-13;
  check('pValue', Math.abs(row.pValue - golden.p_value) < P_TOL, row.pValue, golden.p_value);
  check('pRomanoWolf', Math.abs(row.pRomanoWolf - golden.p_romano_wolf) < P_TOL, row.pRomanoWolf, golden.p_romano_wolf);
  check('pWestfallYoung', Math.abs(row.pWestfallYoung - golden.p_westfall_young) < P_TOL, row.pWestfallYoung, golden.p_westfall_young);
  check('pWestfallYoungMinP', Math.abs(row.pWestfallYoungMinP - golden.p_westfall_young_minp) < P_TOL, row.pWestfallYoungMinP, golden.p_westfall_young_minp);
  return out;
}
