/**
 * The three data passes of the reduced FE system (demean-reduced.ts), generated for the number of
 * reduced dimensions R, the number of interleaved columns k and weighted or not. V8 neither unrolls
 * the inner loops over r < R and j < k nor keeps the k running sums in registers; kernels with both
 * unrolled run about 3x faster (measured: M x on 1M rows, R = 2, k = 3, 81 ms -> 30 ms). The
 * generated source depends only on those integers.
 *
 * The passes over the grouped rows take a range of A levels, so helper threads can share them
 * (helper-threads.ts).
 *
 * Layout: rows grouped by the eliminated FE A (level g at rows start[g]..start[g+1]); idx[p·R + r] is
 * row p's level in the m-vector of reduced coefficients (offset of dimension r included); vectors of
 * the m-space and the data are row-interleaved (l·k + j).
 */
import { sharedKernel } from './helper-threads.js';

/** out += the part of M x = B'W(I - P_A)B x from A levels g0..g1-1 (a share of the levels for one thread). */
export type ApplyKernel = (x: Float64Array, out: Float64Array, idx: Int32Array, start: Int32Array, wa: Float64Array, w: Float64Array | undefined, g0: number, g1: number) => void;

/**
 * In data order: ȳ_A into ybarA (ga × k, interleaved), then b += B'W(y - ȳ_A) and Σ w (y - ȳ_A)²
 * per column into norm2. Reads the columns and codes where they are (no gathered copy).
 */
export type RhsKernel = (ys: readonly Float64Array[], a: Int32Array, rest: readonly Int32Array[], offsets: readonly number[], wa: Float64Array, w: Float64Array | undefined, ybarA: Float64Array, b: Float64Array, norm2: Float64Array) => void;

/** U (ga × k) = the weighted mean of Bx over each A level g0..g1-1, from the grouped rows. */
export type LevelMeansKernel = (x: Float64Array, U: Float64Array, idx: Int32Array, start: Int32Array, wa: Float64Array, w: Float64Array | undefined, g0: number, g1: number) => void;

/**
 * In data order: out_j = y_j - C[a] - Bx with C = ȳ_A - U (ga × k), i.e. ỹ = y - ȳ_A - (I - P_A)Bx;
 * with resid (not null), also resid += B'W ỹ.
 */
export type FinishKernel = (ys: readonly Float64Array[], outs: readonly Float64Array[], a: Int32Array, rest: readonly Int32Array[], offsets: readonly number[], w: Float64Array | undefined, C: Float64Array, x: Float64Array, resid: Float64Array | null) => void;

/** RhsKernel for rows already grouped by A (data order = grouped order): one visit of each level, twice while in cache. */
export type RhsGroupedKernel = (ys: readonly Float64Array[], idx: Int32Array, start: Int32Array, wa: Float64Array, w: Float64Array | undefined, ga: number, ybarA: Float64Array, b: Float64Array, norm2: Float64Array) => void;

/** FinishKernel for rows already grouped by A: out_j = y_j - ȳ_A - (I - P_A)Bx, one visit of each level, twice while in cache. */
export type FinishGroupedKernel = (ys: readonly Float64Array[], outs: readonly Float64Array[], idx: Int32Array, start: Int32Array, wa: Float64Array, w: Float64Array | undefined, ga: number, ybarA: Float64Array, x: Float64Array, resid: Float64Array | null) => void;

export interface ReducedKernels {
  readonly apply: ApplyKernel;
  readonly rhs: RhsKernel;
  readonly levelMeans: LevelMeansKernel;
  readonly finish: FinishKernel;
  readonly rhsGrouped: RhsGroupedKernel;
  readonly finishGrouped: FinishGroupedKernel;
}

const cache = new Map<string, ReducedKernels>();

/** Kernels for R reduced dimensions, k interleaved columns, weighted or not (cached). */
export function reducedKernels(R: number, k: number, weighted: boolean): ReducedKernels {
  if (!Number.isInteger(R) || R < 1 || R > 64) throw new RangeError(`reducedKernels: R must be an integer in 1..64, got ${R}`);
  if (!Number.isInteger(k) || k < 1 || k > 64) throw new RangeError(`reducedKernels: k must be an integer in 1..64, got ${k}`);
  const key = `${R}:${k}:${weighted ? 1 : 0}`;
  let found = cache.get(key);
  if (!found) {
    found = { apply: applySource(R, k, weighted), rhs: rhsSource(R, k, weighted), levelMeans: levelMeansSource(R, k, weighted), finish: finishSource(R, k, weighted), rhsGrouped: rhsGroupedSource(R, k, weighted), finishGrouped: finishGroupedSource(R, k, weighted) };
    cache.set(key, found);
  }
  return found;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const lines = (n: number, f: (i: number) => string) => range(n).map(f).join('\n');

/** const a0 = idx[e] * k; ... (row p's R positions in an interleaved m-vector). */
function addresses(R: number, k: number): string {
  return lines(R, (r) => `const a${r} = idx[e + ${r}] * ${k};`);
}
/** x[a0 + j] + x[a1 + j] + ... (Bx of the row, column j). */
function fit(R: number, j: number): string {
  return range(R)
    .map((r) => `x[a${r} + ${j}]`)
    .join(' + ');
}

function applySource(R: number, k: number, weighted: boolean): ApplyKernel {
  const wi = weighted ? 'const wi = w[p];' : '';
  const wmul = weighted ? 'wi * ' : '';
  const body = `
for (let g = g0; g < g1; g++) {
  const p0 = start[g], p1 = start[g + 1];
  ${lines(k, (j) => `let s${j} = 0;`)}
  for (let p = p0, e = p0 * ${R}; p < p1; p++, e += ${R}) {
    ${addresses(R, k)}
    ${wi}
    ${lines(k, (j) => `s${j} += ${wmul}(${fit(R, j)});`)}
  }
  const inv = 1 / wa[g];
  ${lines(k, (j) => `s${j} *= inv;`)}
  for (let p = p0, e = p0 * ${R}; p < p1; p++, e += ${R}) {
    ${addresses(R, k)}
    ${wi}
    ${lines(k, (j) => `const f${j} = ${wmul}(${fit(R, j)} - s${j});`)}
    ${lines(R, (r) => lines(k, (j) => `out[a${r} + ${j}] += f${j};`))}
  }
}`;
  return sharedKernel<ApplyKernel>(['x', 'out', 'idx', 'start', 'wa', 'w', 'g0', 'g1'], body);
}

/** Locals for the data-order kernels: columns y0.., codes c0.. and their offsets o0... */
function dataLocals(R: number, k: number, outs: boolean): string {
  return [
    lines(k, (j) => `const y${j} = ys[${j}];`),
    outs ? lines(k, (j) => `const z${j} = outs[${j}];`) : '',
    lines(R, (r) => `const c${r} = rest[${r}], o${r} = offsets[${r}];`),
    'const n = a.length;',
  ].join('\n');
}
/** const a0 = (o0 + c0[i]) * k; ... (row i's R positions, data order). */
function dataAddresses(R: number, k: number): string {
  return lines(R, (r) => `const a${r} = (o${r} + c${r}[i]) * ${k};`);
}

function rhsSource(R: number, k: number, weighted: boolean): RhsKernel {
  const wi = weighted ? 'const wi = w[i];' : '';
  const wmul = weighted ? 'wi * ' : '';
  const body = `
${dataLocals(R, k, false)}
ybarA.fill(0);
for (let i = 0; i < n; i++) {
  const g = a[i] * ${k};
  ${wi}
  ${lines(k, (j) => `ybarA[g + ${j}] += ${wmul}y${j}[i];`)}
}
for (let g = 0; g < wa.length; g++) {
  const inv = 1 / wa[g];
  ${lines(k, (j) => `ybarA[g * ${k} + ${j}] *= inv;`)}
}
${lines(k, (j) => `let q${j} = 0;`)}
for (let i = 0; i < n; i++) {
  const g = a[i] * ${k};
  ${dataAddresses(R, k)}
  ${wi}
  ${lines(k, (j) => `const v${j} = y${j}[i] - ybarA[g + ${j}]; const f${j} = ${wmul}v${j}; q${j} += f${j} * v${j};`)}
  ${lines(R, (r) => lines(k, (j) => `b[a${r} + ${j}] += f${j};`))}
}
${lines(k, (j) => `norm2[${j}] = q${j};`)}`;
  return new Function('ys', 'a', 'rest', 'offsets', 'wa', 'w', 'ybarA', 'b', 'norm2', body) as RhsKernel;
}

function levelMeansSource(R: number, k: number, weighted: boolean): LevelMeansKernel {
  const wi = weighted ? 'const wi = w[p];' : '';
  const wmul = weighted ? 'wi * ' : '';
  const body = `
for (let g = g0; g < g1; g++) {
  const p0 = start[g], p1 = start[g + 1];
  ${lines(k, (j) => `let s${j} = 0;`)}
  for (let p = p0, e = p0 * ${R}; p < p1; p++, e += ${R}) {
    ${addresses(R, k)}
    ${wi}
    ${lines(k, (j) => `s${j} += ${wmul}(${fit(R, j)});`)}
  }
  const inv = 1 / wa[g];
  ${lines(k, (j) => `U[g * ${k} + ${j}] = s${j} * inv;`)}
}`;
  return sharedKernel<LevelMeansKernel>(['x', 'U', 'idx', 'start', 'wa', 'w', 'g0', 'g1'], body);
}

function finishSource(R: number, k: number, weighted: boolean): FinishKernel {
  const wi = weighted ? 'const wi = w[i];' : '';
  const wmul = weighted ? 'wi * ' : '';
  const body = `
${dataLocals(R, k, true)}
for (let i = 0; i < n; i++) {
  const g = a[i] * ${k};
  ${dataAddresses(R, k)}
  ${lines(k, (j) => `const v${j} = y${j}[i] - C[g + ${j}] - (${fit(R, j)}); z${j}[i] = v${j};`)}
  if (resid !== null) {
    ${wi}
    ${lines(R, (r) => lines(k, (j) => `resid[a${r} + ${j}] += ${wmul}v${j};`))}
  }
}`;
  return new Function('ys', 'outs', 'a', 'rest', 'offsets', 'w', 'C', 'x', 'resid', body) as FinishKernel;
}

function rhsGroupedSource(R: number, k: number, weighted: boolean): RhsGroupedKernel {
  const wi = weighted ? 'const wi = w[p];' : '';
  const wmul = weighted ? 'wi * ' : '';
  const body = `
${lines(k, (j) => `const y${j} = ys[${j}];`)}
${lines(k, (j) => `let q${j} = 0;`)}
for (let g = 0; g < ga; g++) {
  const p0 = start[g], p1 = start[g + 1];
  ${lines(k, (j) => `let s${j} = 0;`)}
  for (let p = p0; p < p1; p++) {
    ${wi}
    ${lines(k, (j) => `s${j} += ${wmul}y${j}[p];`)}
  }
  const inv = 1 / wa[g];
  ${lines(k, (j) => `s${j} *= inv; ybarA[g * ${k} + ${j}] = s${j};`)}
  for (let p = p0, e = p0 * ${R}; p < p1; p++, e += ${R}) {
    ${addresses(R, k)}
    ${wi}
    ${lines(k, (j) => `const v${j} = y${j}[p] - s${j}; const f${j} = ${wmul}v${j}; q${j} += f${j} * v${j};`)}
    ${lines(R, (r) => lines(k, (j) => `b[a${r} + ${j}] += f${j};`))}
  }
}
${lines(k, (j) => `norm2[${j}] = q${j};`)}`;
  return new Function('ys', 'idx', 'start', 'wa', 'w', 'ga', 'ybarA', 'b', 'norm2', body) as RhsGroupedKernel;
}

function finishGroupedSource(R: number, k: number, weighted: boolean): FinishGroupedKernel {
  const wi = weighted ? 'const wi = w[p];' : '';
  const wmul = weighted ? 'wi * ' : '';
  const body = `
${lines(k, (j) => `const y${j} = ys[${j}], z${j} = outs[${j}];`)}
for (let g = 0; g < ga; g++) {
  const p0 = start[g], p1 = start[g + 1];
  ${lines(k, (j) => `let s${j} = 0;`)}
  for (let p = p0, e = p0 * ${R}; p < p1; p++, e += ${R}) {
    ${addresses(R, k)}
    ${wi}
    ${lines(k, (j) => `s${j} += ${wmul}(${fit(R, j)});`)}
  }
  const inv = 1 / wa[g];
  ${lines(k, (j) => `const c${j} = ybarA[g * ${k} + ${j}] - s${j} * inv;`)}
  for (let p = p0, e = p0 * ${R}; p < p1; p++, e += ${R}) {
    ${addresses(R, k)}
    ${lines(k, (j) => `const v${j} = y${j}[p] - c${j} - (${fit(R, j)}); z${j}[p] = v${j};`)}
    if (resid !== null) {
      ${wi}
      ${lines(R, (r) => lines(k, (j) => `resid[a${r} + ${j}] += ${wmul}v${j};`))}
    }
  }
}`;
  return new Function('ys', 'outs', 'idx', 'start', 'wa', 'w', 'ga', 'ybarA', 'x', 'resid', body) as FinishGroupedKernel;
}
