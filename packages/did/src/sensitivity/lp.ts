/**
 * Linear (and convex quadratic) programs through HiGHS compiled to WebAssembly (npm `highs`).
 * The runtime loads once (async); every solve afterwards is synchronous, which keeps the
 * thousands of small LPs of a test inversion cheap.
 */
import highsModule, { type Highs } from 'highs';

// highs ships CommonJS typings: under NodeNext the default import types as the module object,
// while at run time the ESM build's default export is the loader itself.
type Loader = typeof highsModule.default;
const loadHighs: Loader = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as Loader;

export interface LpProblem {
  /** Objective coefficients (minimised unless `maximize`). */
  readonly cost: readonly number[];
  /** Dense constraint rows; row i reads rowLower[i] <= rows[i] . x <= rowUpper[i]. */
  readonly rows: readonly (readonly number[])[];
  readonly rowLower: readonly number[];
  readonly rowUpper: readonly number[];
  /** Default: free variables. */
  readonly colLower?: readonly number[];
  readonly colUpper?: readonly number[];
  readonly maximize?: boolean;
  /** Dense symmetric Hessian Q for a convex QP: objective 1/2 x'Qx + c'x. */
  readonly hessian?: readonly (readonly number[])[];
}

export interface LpSolution {
  readonly status: 'optimal' | 'infeasible' | 'unbounded' | 'other';
  readonly statusCode: number;
  readonly objective: number;
  readonly x: Float64Array;
  /** HiGHS row duals (for a minimisation, <= 0 on a binding upper row bound). */
  readonly rowDual: Float64Array;
}

/** A model kept alive across solves that differ only in row bounds or costs (warm-started simplex). */
export interface ReusableLp {
  solve(change?: { readonly rowLower?: readonly number[]; readonly rowUpper?: readonly number[]; readonly cost?: readonly number[] }): LpSolution;
  dispose(): void;
}

export interface LpSolver {
  solve(problem: LpProblem): LpSolution;
  reusable(problem: LpProblem): ReusableLp;
  readonly infinity: number;
  readonly version: string;
}

let runtime: Promise<Highs> | null = null;

/** Loads HiGHS once per process. */
export async function lpSolver(): Promise<LpSolver> {
  runtime ??= loadHighs();
  const highs: Highs = await runtime;
  return {
    infinity: highs.infinity,
    version: `HiGHS ${highs.version.string}`,
    solve: (problem) => {
      const lp = reusableWith(highs, problem);
      try {
        return lp.solve();
      } finally {
        lp.dispose();
      }
    },
    reusable: (problem) => reusableWith(highs, problem),
  };
}

function reusableWith(highs: Highs, p: LpProblem): ReusableLp {
  const n = p.cost.length;
  const m = p.rows.length;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of p.rows) {
    if (row.length !== n) throw new Error(`sensitivity LP: row has ${row.length} entries, expected ${n}`);
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    starts.push(indices.length);
  }
  const inf = highs.infinity;
  const clamp = (v: number): number => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const hessian = p.hessian ? denseToTriangular(p.hessian) : undefined;
  const model = highs.createModel({
    numCols: n,
    numRows: m,
    sense: p.maximize ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: [...p.cost],
    colLower: (p.colLower ?? new Array<number>(n).fill(-Infinity)).map(clamp),
    colUpper: (p.colUpper ?? new Array<number>(n).fill(Infinity)).map(clamp),
    rowLower: p.rowLower.map(clamp),
    rowUpper: p.rowUpper.map(clamp),
    matrix: { format: 'csr', numRows: m, numCols: n, starts, indices, values },
    ...(hessian ? { hessian } : {}),
  });
  model.options.set('output_flag', false);
  const all = (k: number) => ({ kind: 'range' as const, from: 0, to: k - 1 });
  let solves = 0;
  return {
    solve(change) {
      if (change?.rowLower || change?.rowUpper) {
        model.changeRowsBounds(all(m), (change.rowLower ?? p.rowLower).map(clamp), (change.rowUpper ?? p.rowUpper).map(clamp));
      }
      if (change?.cost) model.changeColsCost(all(n), [...change.cost]);
      try {
        model.run();
      } catch (first) {
        // A warm start can leave HiGHS's QP solver in a failed state: retry once from scratch.
        model.clearSolver();
        try {
          model.run();
        } catch (second) {
          throw new Error(`sensitivity: HiGHS failed twice (${String(first)}; ${String(second)})`);
        }
      }
      let code = model.getModelStatus() as number;
      const s = highs.constants.modelStatus;
      if (code !== s.optimal && solves > 0) {
        // Warm starts (notably of the QP solver) can end in a spurious status: confirm from scratch.
        model.clearSolver();
        model.run();
        code = model.getModelStatus() as number;
      }
      solves++;
      const status = code === s.optimal ? 'optimal' : code === s.infeasible ? 'infeasible' : code === (s as unknown as { unbounded: number }).unbounded ? 'unbounded' : 'other';
      const sol = model.getSolution();
      return { status, statusCode: code, objective: model.getObjectiveValue(), x: Float64Array.from(sol.colValue), rowDual: Float64Array.from(sol.rowDual) };
    },
    dispose: () => model.dispose(),
  };
}

function denseToTriangular(q: readonly (readonly number[])[]) {
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < q.length; j++) {
    for (let i = j; i < q.length; i++) {
      const v = q[i]![j]!;
      if (v !== 0) {
        indices.push(i);
        values.push(v);
      }
    }
    starts.push(indices.length);
  }
  return { format: 'triangular' as const, dimension: q.length, starts, indices, values };
}
