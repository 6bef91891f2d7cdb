import { readFileSync } from 'node:fs';
import { createRng, mat, type KernelAttrs, type KernelInputs, type KernelName, type Mat } from '@panel-lab/compute';
import { goldenDataPath } from '@panel-lab/testing';

/** One conformance case: a kernel, its inputs and attributes, and a name saying what it probes. */
export interface KernelCase<K extends KernelName = KernelName> {
  readonly kernel: K;
  readonly name: string;
  readonly inputs: KernelInputs<K>;
  readonly attrs: KernelAttrs<K>;
}

function randomMat(seed: number, rows: number, cols: number, offset = 0): Mat {
  const rng = createRng(seed);
  const d = new Float64Array(rows * cols);
  for (let k = 0; k < d.length; k++) d[k] = offset + rng.normal();
  return mat(rows, cols, d);
}

function codes(seed: number, n: number, levels: number): Int32Array {
  const rng = createRng(seed);
  const c = new Int32Array(n);
  for (let i = 0; i < n; i++) c[i] = i < levels ? i : rng.int(0, levels - 1); // every level used
  return c;
}

/** Unit and time codes of a balanced units x periods panel (unit-major rows). */
function panelCodes(units: number, periods: number): [Int32Array, Int32Array] {
  const u = new Int32Array(units * periods);
  const t = new Int32Array(units * periods);
  for (let i = 0; i < units * periods; i++) {
    u[i] = Math.floor(i / periods);
    t[i] = i % periods;
  }
  return [u, t];
}

/** Keeps rows where keep[i]: codes and a Mat's rows. */
function takeRows(m: Mat, keep: Int32Array): Mat {
  const out = new Float64Array(keep.length * m.cols);
  for (let j = 0; j < m.cols; j++) for (let r = 0; r < keep.length; r++) out[j * keep.length + r] = m.data[j * m.rows + keep[r]!]!;
  return mat(keep.length, m.cols, out);
}

/** Two halves of units seen mostly in two halves of the periods: alternating projections converge slowly. */
function slowMixingPanel(): KernelInputs<'Demean'> {
  const rng = createRng(21);
  const u: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < 40; i++) {
    for (let s = 0; s < 20; s++) {
      const early = i < 20;
      if (early ? s < 10 || rng.uniform() < 0.05 : s >= 10 || rng.uniform() < 0.05) {
        u.push(i);
        t.push(s);
      }
    }
  }
  return { x: randomMat(22, u.length, 2), feCodes: [Int32Array.from(u), Int32Array.from(t)] };
}

const DEMEAN_ATTRS = { tol: 1e-10, maxIter: 10_000 } as const;

/** Small, seeded cases for every kernel (tiny on purpose: lavapipe is slow). */
export function conformanceCases(): KernelCase[] {
  const [u, t] = panelCodes(12, 5);
  // Unbalanced: drop every 7th row; a third FE with 4 levels.
  const keep = Int32Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 7 !== 3);
  const xb = randomMat(1, 60, 3);
  // A column far from zero: float32 kernels must centre it first (sum of squares in f32 would fail).
  xb.data.subarray(120, 180).forEach((v, i, a) => (a[i] = 1e4 + v));
  const xu = takeRows(xb, keep);
  const uu = Int32Array.from(keep, (i) => u[i]!);
  const tu = Int32Array.from(keep, (i) => t[i]!);
  const third = codes(9, keep.length, 4);
  const w = Float64Array.from({ length: keep.length }, (_, i) => 0.5 + ((i * 37) % 11) / 10);
  const slow = slowMixingPanel();
  const a = randomMat(2, 50, 3);
  const b = randomMat(3, 50, 4, 0.5);
  const x60 = randomMat(4, 60, 3);
  const seg = codes(5, 60, 7);
  seg.forEach((v, i, arr) => (arr[i] = v === 6 ? 5 : v)); // segment 6 stays empty
  const inf = randomMat(6, 40, 3);
  const cl = codes(7, 40, 8);
  const gx = randomMat(8, 30, 3);
  const gIndex = Int32Array.from({ length: 45 }, (_, r) => (r * 7) % 30);
  const cases: KernelCase[] = [
    { kernel: 'Demean', name: 'balanced two-way, column at 1e4', inputs: { x: xb, feCodes: [u, t] }, attrs: DEMEAN_ATTRS },
    { kernel: 'Demean', name: 'unbalanced two-way (alternating projections)', inputs: { x: xu, feCodes: [uu, tu] }, attrs: DEMEAN_ATTRS },
    { kernel: 'Demean', name: 'unbalanced three FEs, weighted', inputs: { x: xu, feCodes: [uu, tu, third], weights: w }, attrs: DEMEAN_ATTRS },
    { kernel: 'Demean', name: 'slowly mixing panel, Irons-Tuck', inputs: slow, attrs: DEMEAN_ATTRS },
    { kernel: 'Demean', name: 'slowly mixing panel, no acceleration', inputs: slow, attrs: { ...DEMEAN_ATTRS, accel: 'none' } },
    { kernel: 'CrossProd', name: "a'b", inputs: { a, b }, attrs: {} },
    { kernel: 'CrossProd', name: "a'a", inputs: { a }, attrs: {} },
    { kernel: 'SegmentSum', name: '7 segments, one empty', inputs: { x: x60, segments: seg, nSegments: 7 }, attrs: {} },
    { kernel: 'Gather', name: '45 rows with repeats', inputs: { x: gx, index: gIndex }, attrs: {} },
    { kernel: 'GatherSum', name: '9 groups of 5 rows, with repeats', inputs: { x: gx, index: gIndex, groupSize: 5 }, attrs: {} },
    { kernel: 'GatherSum', name: 'one row per group (= Gather)', inputs: { x: gx, index: gIndex, groupSize: 1 }, attrs: {} },
  ];
  for (const weights of ['rademacher', 'mammen', 'webb'] as const) {
    cases.push({
      kernel: 'MultiplierBootstrap',
      name: `${weights}, 8 clusters, chunks of 25`,
      inputs: { inf, clusterCodes: cl, nClusters: 8 },
      attrs: { draws: 64, seed: 11, weights, chunkSize: 25 },
    });
  }
  cases.push({
    kernel: 'MultiplierBootstrap',
    name: 'mammen, a worker share from draw 50 (firstDraw)',
    inputs: { inf, clusterCodes: cl, nClusters: 8 },
    attrs: { draws: 30, seed: 11, weights: 'mammen', chunkSize: 25, firstDraw: 50 },
  });
  cases.push({
    kernel: 'MultiplierBootstrap',
    name: 'rademacher, each row its own cluster',
    inputs: { inf },
    attrs: { draws: 32, seed: 12, weights: 'rademacher' },
  });
  cases.push(...accumulationCases(2 ** 20));
  return cases;
}

/**
 * f32 accumulation over many rows (issue 21): a column far from zero makes a'a a sum of n positive
 * terms, where a plain f32 running sum loses about n * 2^-24; 2^20 rows also passes the 65,535
 * workgroups-per-dimension limit of a 16 x 16 tiled dispatch. The GPU run uses 10^7 rows.
 */
export function accumulationCases(rows: number): KernelCase[] {
  const a = randomMat(31, rows, 2);
  a.data.subarray(0, rows).forEach((v, i, arr) => (arr[i] = 3 + v));
  const segments = Int32Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 1 : 0));
  return [
    { kernel: 'CrossProd', name: `a'a over ${rows} rows, a column at mean 3 (f32 accumulation)`, inputs: { a }, attrs: {} },
    { kernel: 'SegmentSum', name: `${rows} rows into 2 segments (f32 accumulation)`, inputs: { x: a, segments, nSegments: 2 }, attrs: {} },
  ];
}

/** mpdta (did package): lemp, treat_post, county codes, year codes — the TWFE golden of fixest. */
export function loadMpdta(): { lemp: Float64Array; treatPost: Float64Array; county: Int32Array; year: Int32Array } {
  const lines = readFileSync(goldenDataPath('mpdta.csv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split(',').map((h) => h.replaceAll('"', ''));
  const col = (name: string) => {
    const k = header.indexOf(name);
    if (k < 0) throw new Error(`mpdta.csv: column '${name}' not found`);
    return k;
  };
  const [iy, ic, il, ig] = [col('year'), col('countyreal'), col('lemp'), col('first.treat')];
  const rows = lines.slice(1).map((l) => l.split(','));
  const countyLevels = new Map<number, number>();
  const yearLevels = new Map<number, number>();
  const n = rows.length;
  const out = { lemp: new Float64Array(n), treatPost: new Float64Array(n), county: new Int32Array(n), year: new Int32Array(n) };
  rows.forEach((r, i) => {
    const year = Number(r[iy]);
    const county = Number(r[ic]);
    const g = Number(r[ig]);
    out.lemp[i] = Number(r[il]);
    out.treatPost[i] = g > 0 && year >= g ? 1 : 0;
    if (!countyLevels.has(county)) countyLevels.set(county, countyLevels.size);
    if (!yearLevels.has(year)) yearLevels.set(year, yearLevels.size);
    out.county[i] = countyLevels.get(county)!;
    out.year[i] = yearLevels.get(year)!;
  });
  return out;
}
