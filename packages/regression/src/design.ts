/**
 * From a ModelSpec and a PanelFrame to numeric arrays on the estimation sample: y, the
 * column-major regressors with their names, dense FE codes and weights. Rows with a missing
 * value in any used variable are dropped and counted; FE singletons optionally removed.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { sampleFixedEffects, type SampleFixedEffects } from './fe-cache.js';
import type { FactorTerm, ModelSpec, Term } from './formula.js';

export interface DropCounts {
  /** Rows dropped for a missing value, total and by variable (first missing variable wins). */
  readonly na: number;
  readonly naByVariable: Readonly<Record<string, number>>;
  readonly zeroWeight: number;
  readonly singletons: number;
}

export interface Design {
  readonly n: number;
  readonly y: Float64Array;
  readonly columns: Float64Array[];
  readonly names: string[];
  readonly fe: Int32Array[];
  readonly feNames: string[];
  /** Number of levels of each FE on the sample. */
  readonly feSizes: number[];
  readonly weights: Float64Array | undefined;
  /** Original row index of each sample row (null when every row is used, in order). */
  readonly rows: Int32Array | null;
  readonly dropped: DropCounts;
  /** fe and weights are the frame's sample arrays, shared with later fits on the same rows (never written). */
  readonly sharedSample: boolean;
  /**
   * Shifted sums of the raw y and of each plain-variable regressor (null for other columns), taken
   * by the missing-value scan; present only when they are the sample's (every row kept, no weights).
   */
  readonly rawSums: { readonly y: ShiftedSums; readonly columns: readonly (ShiftedSums | null)[] } | null;
}

/** Σ (x - c) and Σ (x - c)² with c = x[0]: the centred sum of squares without cancellation. */
export interface ShiftedSums {
  readonly c: number;
  readonly s1: number;
  readonly s2: number;
}

export interface DesignOptions {
  readonly weights?: string | Float64Array;
  readonly removeSingletons?: boolean;
  /** Extra categorical variables that must be non-missing (cluster variables). */
  readonly extraCategorical?: readonly string[];
}

export function buildDesign(spec: ModelSpec, data: PanelFrame, opts: DesignOptions = {}): Design {
  const N = data.nrows;
  const keep = new Uint8Array(N).fill(1);
  const naBy: Record<string, number> = {};
  const numericCache = new Map<string, Float64Array>();
  const num = (name: string): Float64Array => {
    let col = numericCache.get(name);
    if (!col) {
      if (!data.has(name)) throw new Error(`feols: variable '${name}' not found; columns are: ${data.columnNames.join(', ')}`);
      col = data.numeric(name);
      numericCache.set(name, col);
    }
    return col;
  };
  const sums = new Map<string, ShiftedSums | null>();
  const markNumeric = (name: string) => {
    if (sums.has(name)) return; // scanned already: a second scan would change nothing
    const col = num(name);
    // one pass gives both the sums feols needs and the missing-value test: a NaN or an infinite
    // value makes s2 non-finite (so does an overflow, which the exact test below then clears)
    const s = shiftedSums(col);
    const finite = Number.isFinite(s.s2);
    sums.set(name, finite ? s : null);
    if (finite || countNaN(col) === 0) return;
    rejectInfinite(name, col);
    let nan = 0;
    let dropped = 0;
    for (let i = 0; i < N; i++) {
      if (Number.isNaN(col[i]!)) {
        nan++;
        if (keep[i]) {
          keep[i] = 0;
          dropped++;
        }
      }
    }
    if (nan === N && N > 0) throw new Error(`feols: column '${name}' is entirely missing (all ${N} values NA)`);
    if (dropped) naBy[name] = (naBy[name] ?? 0) + dropped;
  };
  const markCodes = (name: string) => {
    if (!data.has(name)) throw new Error(`feols: variable '${name}' not found; columns are: ${data.columnNames.join(', ')}`);
    const { codes, levels } = data.codes(name);
    if (codeFacts(codes, levels.length).missing === 0) return;
    let nan = 0;
    let dropped = 0;
    for (let i = 0; i < N; i++) {
      if (codes[i]! < 0) {
        nan++;
        if (keep[i]) {
          keep[i] = 0;
          dropped++;
        }
      }
    }
    if (nan === N && N > 0) throw new Error(`feols: column '${name}' is entirely missing (all ${N} values NA)`);
    if (dropped) naBy[name] = (naBy[name] ?? 0) + dropped;
  };

  markNumeric(spec.lhs);
  for (const t of spec.terms) {
    if (t.kind === 'var') markNumeric(t.name);
    else if (t.kind === 'interaction') t.vars.forEach(markNumeric);
    else {
      markCodes(t.factor);
      if (t.by) markNumeric(t.by);
    }
  }
  for (const f of spec.fixef) f.forEach(markCodes);
  for (const c of opts.extraCategorical ?? []) markCodes(c);

  let w: Float64Array | undefined;
  let zeroWeight = 0;
  if (opts.weights !== undefined) {
    if (typeof opts.weights === 'string') {
      markNumeric(opts.weights);
      w = num(opts.weights);
    } else {
      w = opts.weights;
      if (w.length !== N) throw new Error(`feols: option weights has ${w.length} values, expected ${N} (one per row)`);
      for (let i = 0; i < N; i++) if (Number.isNaN(w[i]!) && keep[i]) {
        keep[i] = 0;
        naBy['(weights)'] = (naBy['(weights)'] ?? 0) + 1;
      }
    }
    for (let i = 0; i < N; i++) {
      if (!keep[i]) continue;
      if (w[i]! < 0 || !Number.isFinite(w[i]!)) throw new Error(`feols: weight at row ${i} is ${w[i]}; weights must be finite and non-negative`);
      if (w[i] === 0) {
        keep[i] = 0;
        zeroWeight++;
      }
    }
  }
  const naTotal = Object.values(naBy).reduce((a, b) => a + b, 0);

  // FE codes on the current sample; singletons removed iteratively when asked
  const feRaw = spec.fixef.map((parts) => combinedCodes(data, parts));
  let singletons = 0;
  if (opts.removeSingletons && feRaw.length > 0) singletons = removeSingletons(feRaw, keep);

  let rows: Int32Array | null = null;
  // every drop above cleared a kept row and was counted once, so no pass is needed to count the rest
  const n = N - naTotal - zeroWeight - singletons;
  if (n === 0) {
    throw new Error(`feols: no observations left (${N} rows: ${naTotal} with missing values${naTotal ? ` [${Object.entries(naBy).map(([k, v]) => `${k}: ${v}`).join(', ')}]` : ''}, ${zeroWeight} with zero weight, ${singletons} FE singletons)`);
  }
  if (n < N) {
    rows = new Int32Array(n);
    for (let i = 0, k = 0; i < N; i++) if (keep[i]) rows[k++] = i;
  }
  const take = (col: Float64Array): Float64Array => {
    if (!rows) return col;
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = col[rows[k]!]!;
    return out;
  };

  const columns: Float64Array[] = [];
  const names: string[] = [];
  if (spec.intercept) {
    columns.push(new Float64Array(n).fill(1));
    names.push('(Intercept)');
  }
  for (const t of spec.terms) addTerm(t, data, num, take, rows, n, columns, names);

  const makeSample = (): SampleFixedEffects => {
    const feDense = feRaw.map((codes, q) => denseCodes(codes, rows, n, spec.fixef[q]!.length === 1 ? data.codes(spec.fixef[q]![0]!).levels.length : combinedSizes.get(codes)));
    return { fe: feDense.map((d) => d.codes), sizes: feDense.map((d) => d.size), weights: w ? take(w) : undefined };
  };
  // a caller's weight vector may be refilled between fits: only frame-owned samples are shared
  const shared = feRaw.length > 0 && (opts.weights === undefined || typeof opts.weights === 'string');
  const sample = shared ? sampleFixedEffects(data, JSON.stringify([spec.fixef, opts.weights ?? null]), rows, makeSample) : makeSample();
  return {
    n,
    y: take(num(spec.lhs)),
    columns,
    names,
    fe: sample.fe,
    feNames: spec.fixef.map((f) => f.join('^')),
    feSizes: sample.sizes,
    weights: sample.weights,
    sharedSample: shared,
    rows,
    dropped: Object.freeze({ na: naTotal, naByVariable: Object.freeze(naBy), zeroWeight, singletons }),
    rawSums: rows || w ? null : { y: sums.get(spec.lhs)!, columns: columnSums(spec, sums) },
  };
}

/** The shifted sums of each design column that is a plain variable, in column order. */
function columnSums(spec: ModelSpec, sums: ReadonlyMap<string, ShiftedSums | null>): (ShiftedSums | null)[] {
  const out: (ShiftedSums | null)[] = spec.intercept ? [null] : [];
  for (const t of spec.terms) {
    if (t.kind === 'var') out.push(sums.get(t.name) ?? null);
    else if (t.kind === 'interaction') out.push(null);
    else return out; // factor dummies: their count is known only once built; later columns get none
  }
  return out;
}

/**
 * One pass: Σ (x - x[0]) and Σ (x - x[0])², over row blocks with the running sums carried along
 * (same additions as one loop) so that the block kernel is compiled once, never run interpreted.
 */
export function shiftedSums(x: Float64Array): ShiftedSums {
  const n = x.length;
  const c = n > 0 ? x[0]! : 0;
  const acc = new Float64Array(2);
  for (let i0 = 0; i0 < n; i0 += 4096) shiftedSumsBlock(x, c, i0, Math.min(n, i0 + 4096), acc);
  return { c, s1: acc[0]!, s2: acc[1]! };
}

function shiftedSumsBlock(x: Float64Array, c: number, i0: number, i1: number, acc: Float64Array): void {
  let s1 = acc[0]!;
  let s2 = acc[1]!;
  for (let i = i0; i < i1; i++) {
    const d = x[i]! - c;
    s1 += d;
    s2 += d * d;
  }
  acc[0] = s1;
  acc[1] = s2;
}

function addTerm(
  t: Term,
  data: PanelFrame,
  num: (name: string) => Float64Array,
  take: (c: Float64Array) => Float64Array,
  rows: Int32Array | null,
  n: number,
  columns: Float64Array[],
  names: string[],
): void {
  if (t.kind === 'var') {
    columns.push(take(num(t.name)));
    names.push(t.name);
  } else if (t.kind === 'interaction') {
    const parts = t.vars.map((name) => take(num(name)));
    const out = Float64Array.from(parts[0]!);
    for (const p of parts.slice(1)) for (let i = 0; i < n; i++) out[i]! *= p[i]!;
    columns.push(out);
    names.push(t.vars.join(':'));
  } else {
    factorDummies(t, data, num, take, rows, n, columns, names);
  }
}

/** i(factor, by, ref): one column per sample level not in ref, ordered like the levels. */
function factorDummies(
  t: FactorTerm,
  data: PanelFrame,
  num: (name: string) => Float64Array,
  take: (c: Float64Array) => Float64Array,
  rows: Int32Array | null,
  n: number,
  columns: Float64Array[],
  names: string[],
): void {
  const { codes, levels } = data.codes(t.factor);
  const numericLevels = !data.isCategorical(t.factor);
  const isRef = levels.map((lev) => t.ref.some((r) => (typeof r === 'number' && numericLevels ? Number(lev) === r : String(r) === lev)));
  for (const r of t.ref) {
    const found = levels.some((lev) => (typeof r === 'number' && numericLevels ? Number(lev) === r : String(r) === lev));
    if (!found) throw new Error(`feols: i(${t.factor}): ref value ${JSON.stringify(r)} is not a level of '${t.factor}'`);
  }
  const present = new Uint8Array(levels.length);
  for (let k = 0; k < n; k++) present[codes[rows ? rows[k]! : k]!] = 1;
  const by = t.by ? take(num(t.by)) : undefined;
  const colOf = new Int32Array(levels.length).fill(-1);
  const made: Float64Array[] = [];
  levels.forEach((lev, l) => {
    if (!present[l] || isRef[l]) return;
    colOf[l] = made.length;
    made.push(new Float64Array(n));
    names.push(`${t.factor}::${lev}${t.by ? `:${t.by}` : ''}`);
  });
  for (let k = 0; k < n; k++) {
    const c = colOf[codes[rows ? rows[k]! : k]!]!;
    if (c >= 0) made[c]![k] = by ? by[k]! : 1;
  }
  columns.push(...made);
}

/** Combined (`a^b`) codes per frame, built once: a frame is immutable, like its own codes cache. */
const combinedCache = new WeakMap<PanelFrame, Map<string, Int32Array>>();
/** Number of groups of each combined code array. */
const combinedSizes = new WeakMap<Int32Array, number>();

/**
 * Codes of one FE dimension over all rows; `a^b` combines several variables, groups numbered in
 * order of first appearance (missing in any part: -1).
 */
function combinedCodes(data: PanelFrame, parts: readonly string[]): Int32Array {
  if (parts.length === 1) return data.codes(parts[0]!).codes;
  const key = parts.join('^');
  let byFrame = combinedCache.get(data);
  const cached = byFrame?.get(key);
  if (cached) return cached;
  const N = data.nrows;
  const all = parts.map((p) => data.codes(p));
  let space = 1;
  for (const c of all) space *= Math.max(c.levels.length, 1);
  const { codes, size } = space <= 4 * N + 1024 && space <= 2 ** 28 ? combineByTable(all.map((c) => c.codes), all.map((c) => c.levels.length), space, N) : combineByMap(all.map((c) => c.codes), N);
  combinedSizes.set(codes, size);
  if (!byFrame) combinedCache.set(data, (byFrame = new Map()));
  byFrame.set(key, codes);
  return codes;
}

/** Mixed-radix integer key per row, groups from a table over the key space. */
function combineByTable(parts: readonly Int32Array[], sizes: readonly number[], space: number, N: number): { codes: Int32Array; size: number } {
  const out = new Int32Array(N);
  const group = new Int32Array(space).fill(-1);
  let size = 0;
  for (let i = 0; i < N; i++) {
    let key = 0;
    let missing = false;
    for (let p = 0; p < parts.length; p++) {
      const v = parts[p]![i]!;
      if (v < 0) missing = true;
      key = key * sizes[p]! + v;
    }
    if (missing) {
      out[i] = -1;
      continue;
    }
    let g = group[key]!;
    if (g < 0) group[key] = g = size++;
    out[i] = g;
  }
  return { codes: out, size };
}

/** Key space too large for a table: string keys in a map. */
function combineByMap(parts: readonly Int32Array[], N: number): { codes: Int32Array; size: number } {
  const out = new Int32Array(N);
  const index = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    let key = '';
    let missing = false;
    for (const c of parts) {
      const v = c[i]!;
      if (v < 0) missing = true;
      key += `${v},`;
    }
    if (missing) {
      out[i] = -1;
      continue;
    }
    let g = index.get(key);
    if (g === undefined) {
      g = index.size;
      index.set(key, g);
    }
    out[i] = g;
  }
  return { codes: out, size: index.size };
}

/** Missing (NaN) or infinite values: x - x is NaN for both, so one test finds them. */
function countNaN(col: Float64Array): number {
  let c = 0;
  for (let i = 0; i < col.length; i++) if (col[i]! - col[i]! !== 0) c++;
  return c;
}

/** An infinite value would turn every estimate into NaN: name the variable, count and first rows instead. */
function rejectInfinite(name: string, col: Float64Array): void {
  let count = 0;
  const rows: number[] = [];
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
      count++;
      if (rows.length < 5) rows.push(i);
    }
  }
  if (count > 0) {
    throw new Error(`feols: variable '${name}' has ${count} infinite value(s), first at row(s) ${rows.join(', ')} (0-based); every estimate would be NaN: fix or drop them (e.g. log of 0)`);
  }
}

/** Missing codes and whether every level occurs, per code array (frame codes are immutable): one pass, once. */
const factsCache = new WeakMap<Int32Array, { missing: number; allLevelsPresent: boolean }>();
function codeFacts(codes: Int32Array, levels: number): { missing: number; allLevelsPresent: boolean } {
  let facts = factsCache.get(codes);
  if (!facts) {
    const present = new Uint8Array(levels);
    let missing = 0;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      if (c < 0) missing++;
      else present[c] = 1;
    }
    let seen = 0;
    for (let l = 0; l < levels; l++) seen += present[l]!;
    facts = { missing, allLevelsPresent: seen === levels };
    factsCache.set(codes, facts);
  }
  return facts;
}

/**
 * Recodes to 0..G-1 over the sample rows, keeping level order (missing stays -1). `levels`, when
 * known, bounds the codes and saves a pass.
 */
function denseCodes(codes: Int32Array, rows: Int32Array | null, n: number, levels?: number): { codes: Int32Array; size: number } {
  if (!rows && levels !== undefined && codeFacts(codes, levels).allLevelsPresent) return { codes, size: levels }; // already dense
  let max = -1;
  if (levels !== undefined) max = levels - 1;
  else {
    for (let k = 0; k < n; k++) {
      const c = codes[rows ? rows[k]! : k]!;
      if (c > max) max = c;
    }
  }
  const map = new Int32Array(max + 1).fill(-1);
  if (rows) {
    for (let k = 0; k < n; k++) {
      const c = codes[rows[k]!]!;
      if (c >= 0) map[c] = 1;
    }
  } else {
    for (let k = 0; k < n; k++) {
      const c = codes[k]!;
      if (c >= 0) map[c] = 1;
    }
  }
  let g = 0;
  for (let l = 0; l <= max; l++) if (map[l]! >= 0) map[l] = g++;
  if (g === max + 1 && !rows) return { codes, size: g }; // already dense on the full frame
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const c = codes[rows ? rows[k]! : k]!;
    out[k] = c < 0 ? -1 : map[c]!;
  }
  return { codes: out, size: g };
}

/** Drops rows whose level of some FE occurs once among kept rows, until none remain. */
function removeSingletons(fe: readonly Int32Array[], keep: Uint8Array): number {
  let removed = 0;
  for (;;) {
    let changed = 0;
    for (const codes of fe) {
      let max = -1;
      for (let i = 0; i < codes.length; i++) if (keep[i] && codes[i]! > max) max = codes[i]!;
      const count = new Int32Array(max + 1);
      for (let i = 0; i < codes.length; i++) if (keep[i]) count[codes[i]!]!++;
      for (let i = 0; i < codes.length; i++) {
        if (keep[i] && count[codes[i]!] === 1) {
          keep[i] = 0;
          changed++;
        }
      }
    }
    removed += changed;
    if (!changed) return removed;
  }
}

/** Codes of a categorical variable on the sample rows (not densified). */
export function sampleCodes(data: PanelFrame, name: string, rows: Int32Array | null, n: number): Int32Array {
  if (!data.has(name)) throw new Error(`cluster variable '${name}' not found; columns are: ${data.columnNames.join(', ')}`);
  const { codes, levels } = data.codes(name);
  const out = denseCodes(codes, rows, n, levels.length).codes;
  for (let k = 0; k < n; k++) if (out[k]! < 0) throw new Error(`cluster variable '${name}' is missing at row ${rows ? rows[k]! : k}`);
  return out;
}

/** A numeric column on the sample rows (missing values are an error). */
export function sampleNumeric(data: PanelFrame, name: string, rows: Int32Array | null, n: number): Float64Array {
  if (!data.has(name)) throw new Error(`variable '${name}' not found; columns are: ${data.columnNames.join(', ')}`);
  if (data.isCategorical(name)) throw new Error(`variable '${name}' must be numeric`);
  const values = data.numeric(name);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = values[rows ? rows[k]! : k]!;
    if (!Number.isFinite(v)) throw new Error(`variable '${name}' is missing at row ${rows ? rows[k]! : k}`);
    out[k] = v;
  }
  return out;
}
