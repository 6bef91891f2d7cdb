import { createRng, mat, type ComputeContext, type Fallback, type Mat } from '@panel-lab/compute';
import { demean } from '@panel-lab/regression';
import type { TwfePrepared } from './fwl.js';
import { AssignmentSampler, type Assignment, type AssignmentSpace } from './placebo-assign.js';
import type { SeKernel } from './score-pass.js';
import { TwfeDrawEvaluator, treatmentColumns } from './twfe-draw.js';

/** Everything a worker needs to compute any chunk of placebo draws (computed once, shared read-only). */
export interface PlaceboPrepared {
  readonly twfe: TwfePrepared;
  readonly space: AssignmentSpace;
}

/**
 * How draws are computed: 'tables' = per-unit tail sums in float64 (O(treated x controls) per
 * draw, balanced panels); 'kernel' = the same tail sums gathered and summed per draw by the
 * backend's GatherSum kernel (the tail table uploaded once per call, indices per draw);
 * 'explicit-demean' = D demeaned in batches (unbalanced panels).
 */
export type PlaceboPath = 'tables' | 'kernel' | 'explicit-demean';

export interface PlaceboChunkOptions {
  readonly seed: number;
  readonly chunkIndex: number;
  readonly chunkSize: number;
  /** Total draws of the job (the last chunk may be short). */
  readonly draws: number;
  /** Compute each draw's CR1 SE (default true; O(rows x controls) per draw). */
  readonly se?: boolean;
  /** Backend for the batched kernels; without it the float64 engine runs on the CPU. */
  readonly compute?: ComputeContext;
  /** 'auto' (default): 'kernel' on a non-cpu backend, else 'tables'; unbalanced panels always 'explicit-demean'. */
  readonly path?: 'auto' | 'tables' | 'kernel';
  /** Cap on n x batch values held for D at once (kernel and explicit paths). Default 2^24. */
  readonly maxBatchValues?: number;
  /** Per-draw SE pass on balanced panels: 'auto' (default: WebAssembly SIMD where available), 'wasm-simd' or 'js'. */
  readonly seKernel?: 'auto' | SeKernel;
}

export interface ChunkMeta {
  readonly path: PlaceboPath;
  readonly backend: string;
  readonly device: string;
  readonly precision: 32 | 64;
  readonly fallbacks: readonly Fallback[];
  /** Draws per kernel call or demean batch (0 on the tables path). */
  readonly batchDraws: number;
  /** Bytes held for one batch: D columns in float64 (explicit-demean) or GatherSum indices (kernel). */
  readonly batchBytes: number;
  /** What computed the per-draw SEs: 'wasm-simd' or 'js' (balanced panels), 'explicit' (unbalanced), null without SEs. */
  readonly seKernel: SeKernel | 'explicit' | null;
  /** Why the SE kernel is not the fastest one, when it is not. */
  readonly seNote?: string;
  readonly ms: number;
}

/** One chunk of draws: JSON-safe, so a queue can ship it between workers. null = degenerate draw. */
export interface PlaceboChunk {
  readonly kind: 'placebo_chunk';
  readonly seed: number;
  readonly chunkIndex: number;
  readonly chunkSize: number;
  readonly totalDraws: number;
  readonly firstDraw: number;
  readonly beta: readonly (number | null)[];
  readonly se: readonly (number | null)[] | null;
  readonly meta: ChunkMeta;
}

function checkChunkOptions(o: PlaceboChunkOptions): number {
  if (!Number.isInteger(o.seed)) throw new Error(`option seed must be an integer, got ${o.seed}`);
  if (!Number.isInteger(o.draws) || o.draws < 1) throw new Error(`option draws must be a positive integer, got ${o.draws}`);
  if (!Number.isInteger(o.chunkSize) || o.chunkSize < 1) throw new Error(`option chunkSize must be a positive integer, got ${o.chunkSize}`);
  const chunks = Math.ceil(o.draws / o.chunkSize);
  if (!Number.isInteger(o.chunkIndex) || o.chunkIndex < 0 || o.chunkIndex >= chunks) {
    throw new Error(`option chunkIndex must be an integer in 0..${chunks - 1} for ${o.draws} draws in chunks of ${o.chunkSize}, got ${o.chunkIndex}`);
  }
  return Math.min(o.chunkSize, o.draws - o.chunkIndex * o.chunkSize);
}

/**
 * The assignments of one chunk (copies): chunk k draws from createRng(seed).stream(k), so the
 * same (seed, chunkSize) gives the same draws whichever worker, backend or order runs the chunks.
 */
export function placeboAssignments(prepared: PlaceboPrepared, o: Pick<PlaceboChunkOptions, 'seed' | 'chunkIndex' | 'chunkSize' | 'draws'>): Assignment[] {
  const count = checkChunkOptions(o as PlaceboChunkOptions);
  const sampler = new AssignmentSampler(prepared.space, createRng(o.seed).stream(o.chunkIndex));
  return Array.from({ length: count }, () => {
    const a = sampler.next();
    return { units: Int32Array.from(a.units), starts: Int32Array.from(a.starts), m: a.m };
  });
}

const toJson = (v: number): number | null => (Number.isFinite(v) ? v : null);


/** Computes one chunk of placebo draws. */
export async function placeboChunk(prepared: PlaceboPrepared, o: PlaceboChunkOptions): Promise<PlaceboChunk> {
  const t0 = performance.now();
  const count = checkChunkOptions(o);
  const withSe = o.se ?? true;
  const p = prepared.twfe;
  const ctx = o.compute;
  const onCpu = !ctx || ctx.meta.backend === 'cpu';
  const askedPath = o.path ?? 'auto';
  if (askedPath !== 'auto' && askedPath !== 'tables' && askedPath !== 'kernel') throw new Error(`option path must be auto, tables or kernel, got '${String(askedPath)}'`);
  if (askedPath === 'kernel' && !ctx) throw new Error(`option path 'kernel' needs option compute (a ComputeContext)`);
  const fallbacks: Fallback[] = [...(ctx?.meta.fallbacks ?? [])];
  let path: PlaceboPath;
  if (!p.balanced) {
    path = 'explicit-demean';
    if (ctx && !onCpu) fallbacks.push(Object.freeze({ from: ctx.meta.backend, reason: 'unbalanced panel: pseudo-treatments demeaned and evaluated in float64 on the cpu' }));
  } else if (askedPath === 'kernel' || (askedPath === 'auto' && !onCpu)) path = 'kernel';
  else path = 'tables';

  const sampler = new AssignmentSampler(prepared.space, createRng(o.seed).stream(o.chunkIndex));
  const seKernel = o.seKernel ?? 'auto';
  if (seKernel !== 'auto' && seKernel !== 'wasm-simd' && seKernel !== 'js') throw new Error(`option seKernel must be auto, wasm-simd or js, got '${String(seKernel)}'`);
  const evaluator = new TwfeDrawEvaluator(p, { seKernel });
  const beta = new Array<number | null>(count);
  const se = withSe ? new Array<number | null>(count) : null;
  const record = (b: number, stat: { beta: number; se: number }) => {
    beta[b] = toJson(stat.beta);
    if (se) se[b] = toJson(stat.se);
  };
  const m = prepared.space.treatedUnits.length;
  const perDraw = path === 'kernel' ? Math.max(1, m) : p.n; // values held per draw of a batch
  const batch = path === 'tables' ? 0 : Math.max(1, Math.min(count, Math.floor((o.maxBatchValues ?? 2 ** 24) / perDraw)));

  if (path === 'tables') {
    evaluator.evaluateEach(count, () => sampler.next(), withSe).forEach((stat, b) => record(b, stat));
  } else if (path === 'kernel') {
    const index = new Int32Array(m * batch);
    const S = p.nPeriods + 1;
    for (let first = 0; first < count; first += batch) {
      const size = Math.min(batch, count - first);
      const asg: Assignment[] = [];
      for (let b = 0; b < size; b++) {
        const a = sampler.next();
        for (let j = 0; j < m; j++) index[b * m + j] = a.units[j]! * S + a.starts[j]!; // the tail record of (unit, start)
        asg.push({ units: Int32Array.from(a.units), starts: Int32Array.from(a.starts), m: a.m });
      }
      const out = await ctx!.run('GatherSum', { x: tailTable(p), index: index.subarray(0, m * size), groupSize: m }, {});
      const K = p.z.length;
      const cross = asg.map((_, b) => ({ a: out.data[b]!, c: Float64Array.from({ length: K }, (_, k) => out.data[(1 + k) * size + b]!) }));
      evaluator.evaluateMany(asg, withSe, cross).forEach((stat, b) => record(first + b, stat));
    }
  } else {
    const buffer = new Float64Array(p.n * batch);
    for (let first = 0; first < count; first += batch) {
      const size = Math.min(batch, count - first);
      const asg: Assignment[] = [];
      for (let b = 0; b < size; b++) {
        const a = sampler.next();
        asg.push({ units: Int32Array.from(a.units), starts: Int32Array.from(a.starts), m: a.m });
      }
      const d = treatmentColumns(p, asg, buffer.subarray(0, p.n * size));
      const cols = Array.from({ length: size }, (_, b) => d.subarray(b * p.n, (b + 1) * p.n));
      const dm = demean({ columns: cols, fe: p.fe, structure: p.feStructure });
      for (let b = 0; b < size; b++) record(first + b, evaluator.evaluateDemeaned(dm.columns[b]!, withSe));
    }
  }
  const kernelMeta = path === 'kernel' && ctx ? ctx.meta : undefined;
  const se4 = withSe && path !== 'explicit-demean' ? evaluator.scorePass() : undefined;
  return Object.freeze({
    kind: 'placebo_chunk',
    seed: o.seed,
    chunkIndex: o.chunkIndex,
    chunkSize: o.chunkSize,
    totalDraws: o.draws,
    firstDraw: o.chunkIndex * o.chunkSize,
    beta: Object.freeze(beta),
    se: se ? Object.freeze(se) : null,
    meta: Object.freeze({
      path,
      backend: kernelMeta?.backend ?? 'cpu',
      device: kernelMeta?.device ?? 'cpu',
      precision: kernelMeta?.precision ?? 64,
      fallbacks: Object.freeze(fallbacks),
      batchDraws: batch,
      batchBytes: path === 'kernel' ? 4 * m * batch : 8 * p.n * batch,
      seKernel: !withSe ? null : se4 ? se4.pass.kernel : 'explicit',
      ...(se4?.note ? { seNote: se4.note } : {}),
      ms: performance.now() - t0,
    }),
  });
}

const tableCache = new WeakMap<TwfePrepared, Mat>();

/**
 * The tail records as the rows of one (units x (T+1)) x (1 + K) matrix, row u*(T+1)+s = [sum of e,
 * sums of Z~] over unit u's periods >= s: the GatherSum table of the kernel path.
 */
function tailTable(p: TwfePrepared): Mat {
  let m = tableCache.get(p);
  if (!m) {
    const rows = p.nUnits * (p.nPeriods + 1);
    const cols = 1 + p.z.length;
    const R = p.tailStride;
    const data = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      data[r] = p.tail[r * R]!;
      for (let k = 1; k < cols; k++) data[k * rows + r] = p.tail[r * R + 1 + k]!;
    }
    m = mat(rows, cols, data);
    tableCache.set(p, m);
  }
  return m;
}

/** The draws of a complete set of chunks, in draw order. */
export interface MergedDraws {
  readonly seed: number;
  readonly chunkSize: number;
  readonly draws: number;
  readonly beta: readonly (number | null)[];
  readonly se: readonly (number | null)[] | null;
  readonly chunks: readonly ChunkMeta[];
}

/**
 * Merges chunks computed anywhere, in any order: they must share seed, chunk size and total, and
 * cover every chunk index exactly once. The result equals a single-process run.
 */
export function mergePlaceboChunks(chunks: readonly PlaceboChunk[]): MergedDraws {
  if (chunks.length === 0) throw new Error('mergePlaceboChunks: no chunks given');
  const first = chunks[0]!;
  const expected = Math.ceil(first.totalDraws / first.chunkSize);
  const sorted = [...chunks].sort((a, b) => a.chunkIndex - b.chunkIndex);
  sorted.forEach((c, k) => {
    if (c.seed !== first.seed || c.chunkSize !== first.chunkSize || c.totalDraws !== first.totalDraws) {
      throw new Error(`mergePlaceboChunks: chunk ${c.chunkIndex} has seed/chunkSize/draws ${c.seed}/${c.chunkSize}/${c.totalDraws}, chunk ${first.chunkIndex} has ${first.seed}/${first.chunkSize}/${first.totalDraws}`);
    }
    if (c.chunkIndex !== k) throw new Error(`mergePlaceboChunks: chunk ${k} is ${c.chunkIndex < k ? 'duplicated' : 'missing'}`);
    if ((c.se === null) !== (first.se === null)) throw new Error(`mergePlaceboChunks: chunk ${c.chunkIndex} ${c.se ? 'has' : 'lacks'} SEs, chunk ${first.chunkIndex} does not`);
  });
  if (sorted.length !== expected) throw new Error(`mergePlaceboChunks: ${sorted.length} chunks given, ${expected} expected (chunk ${sorted.length} is missing)`);
  return Object.freeze({
    seed: first.seed,
    chunkSize: first.chunkSize,
    draws: first.totalDraws,
    beta: Object.freeze(sorted.flatMap((c) => c.beta)),
    se: first.se ? Object.freeze(sorted.flatMap((c) => c.se!)) : null,
    chunks: Object.freeze(sorted.map((c) => c.meta)),
  });
}
