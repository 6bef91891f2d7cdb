import { activationFunction, type Activation } from './mlp-core.js';
import { scaleValue, unscaleValue } from './scaling.js';
import { stackerSlotsUsed, type AnnEnsemble } from './ensemble.js';
import { stackerForward } from './stacker.js';

export interface Override {
  /** Input column index. */
  readonly col: number;
  readonly value: number;
}

/**
 * Evaluates every member on the observed rows with one or two inputs set to grid values, cheaply:
 * the hidden pre-activations of the observed rows are computed once per expert, and a changed input
 * adds a rank-one term (Δscaled · W1[col,:]). SOM routing is recomputed for each modified row (METHODS
 * §19.1 step 2) from stored distances to the prototypes.
 */
export class OverrideEvaluator {
  readonly n: number;
  readonly #model: AnnEnsemble;
  readonly #raw: Float64Array;
  readonly #pre: Float64Array[]; // per expert: n × (M·h)
  readonly #dist: Float64Array | null; // n × units, squared standardized distances
  readonly #route: Int32Array;
  readonly #pAug: number;
  /** refitSom: n × M × units squared standardized distances to each member's own prototypes. */
  readonly #memberDist: Float64Array | null = null;

  constructor(model: AnnEnsemble, rowsRaw: Float64Array, n: number) {
    const p = model.inputs.length;
    if (rowsRaw.length !== n * p) throw new Error(`expected ${n}×${p} row values, got ${rowsRaw.length}`);
    this.n = n;
    this.#model = model;
    this.#raw = rowsRaw;
    const units = model.som?.codebook.length ?? 1;
    this.#pAug = model.somMode === 'features' ? p + units : p;
    this.#route = new Int32Array(n);
    this.#dist = null;
    if (model.som) {
      const som = model.som;
      const dist = new Float64Array(n * units);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let u = 0; u < units; u++) {
          let d = 0;
          for (let j = 0; j < p; j++) d += ((rowsRaw[i * p + j]! - som.center[j]!) / som.scale[j]! - som.codebook[u]![j]!) ** 2;
          dist[i * units + u] = d;
          if (d < dist[i * units + best]!) best = u;
        }
        this.#route[i] = best;
      }
      this.#dist = dist;
    }
    if (model.memberSoms) {
      const M = model.members;
      const md = new Float64Array(n * M * units);
      model.memberSoms.forEach((som, m) => {
        for (let i = 0; i < n; i++) for (let u = 0; u < units; u++) {
          let d = 0;
          for (let j = 0; j < p; j++) d += ((rowsRaw[i * p + j]! - som.center[j]!) / som.scale[j]! - som.codebook[u]![j]!) ** 2;
          md[(i * M + m) * units + u] = d;
        }
      });
      this.#memberDist = md;
    }
    this.#pre = model.experts.map((ex) => {
      const H = ex.weights.members * ex.hidden;
      const pre = new Float64Array(n * H);
      for (let i = 0; i < n; i++) {
        const o = i * H;
        pre.set(ex.weights.b1, o);
        for (let j = 0; j < this.#pAug; j++) {
          const v = this.#scaledInput(i, j, this.#route[i]!);
          if (v === 0) continue;
          for (let c = 0; c < H; c++) pre[o + c] = pre[o + c]! + v * ex.weights.w1[j * H + c]!;
        }
      }
      return pre;
    });
  }

  #scaledInput(i: number, j: number, unit: number): number {
    const p = this.#model.inputs.length;
    const raw = j < p ? this.#raw[i * p + j]! : j - p === unit ? 1 : 0;
    return scaleValue(this.#model.xScaler, j, raw);
  }

  /**
   * Per member, the mean prediction (original units) over `rows` with the overrides applied;
   * `perRow` (optional, rows.length × M) receives the individual predictions.
   */
  meanOver(rows: ArrayLike<number>, overrides: readonly Override[], perRow?: Float64Array): Float64Array {
    if (this.#model.refitSom || this.#model.stacker) return this.#meanOverPerMember(rows, overrides, perRow);
    const model = this.#model;
    const M = model.members;
    const p = model.inputs.length;
    const units = model.som?.codebook.length ?? 1;
    const acc = new Float64Array(M);
    for (const o of overrides) if (!(o.col >= 0 && o.col < p)) throw new Error(`override column ${o.col} out of range`);
    const maxH = Math.max(...model.experts.map((e) => e.weights.members * e.hidden));
    const pre = new Float64Array(maxH);
    // Hoisted out of the row loop: override columns and their scaled target values, the y scaler's constants.
    const nO = overrides.length;
    const cols = Int32Array.from(overrides, (o) => o.col);
    const targets = Float64Array.from(overrides, (o) => scaleValue(model.xScaler, o.col, o.value));
    const y = { lo: model.yScaler.min[0]!, range: model.yScaler.max[0]! - model.yScaler.min[0]! };
    const raw = this.#raw;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      let unit = this.#route[i]!;
      if (this.#dist && nO) unit = this.#bestUnit(model.som!, i, overrides, this.#dist, i * units);
      const e = model.unitToExpert[unit]!;
      const ex = model.experts[e]!;
      const h = ex.hidden;
      const H = M * h;
      const w1 = ex.weights.w1;
      pre.set(this.#pre[e]!.subarray(i * H, (i + 1) * H));
      for (let k = 0; k < nO; k++) {
        const col = cols[k]!;
        const delta = targets[k]! - scaleValue(model.xScaler, col, raw[i * p + col]!);
        if (delta !== 0) addScaledRow(pre, w1, col * H, delta, H);
      }
      if (model.somMode === 'features' && unit !== this.#route[i]!) {
        for (const [u, sign] of [[this.#route[i]!, -1], [unit, 1]] as const) {
          const j = p + u;
          const delta = sign * (scaleValue(model.xScaler, j, 1) - scaleValue(model.xScaler, j, 0));
          addScaledRow(pre, w1, j * H, delta, H);
        }
      }
      accumulateMembers(model.activation, pre, ex.weights.w2, ex.weights.b2, M, h, y, acc, perRow, r * M);
    }
    for (let m = 0; m < M; m++) acc[m] = acc[m]! / rows.length;
    return acc;
  }

  /** refitSom (routing per member) or 'stacked' (every expert feeds the member's stacker). */
  /** Best unit of row i with the overrides applied, under `som`, from its stored squared distances d(u). */
  #bestUnit(som: NonNullable<AnnEnsemble['som']>, i: number, overrides: readonly Override[], dist: Float64Array, offset: number): number {
    const p = this.#model.inputs.length;
    let best = 0;
    let bestD = Infinity;
    for (let u = 0; u < som.codebook.length; u++) {
      let d = dist[offset + u]!;
      for (const o of overrides) {
        const zOld = (this.#raw[i * p + o.col]! - som.center[o.col]!) / som.scale[o.col]!;
        const zNew = (o.value - som.center[o.col]!) / som.scale[o.col]!;
        const c = som.codebook[u]![o.col]!;
        d += (zNew - c) ** 2 - (zOld - c) ** 2;
      }
      if (d < bestD) { bestD = d; best = u; }
    }
    return best;
  }

  #meanOverPerMember(rows: ArrayLike<number>, overrides: readonly Override[], perRow?: Float64Array): Float64Array {
    const model = this.#model;
    const M = model.members;
    const p = model.inputs.length;
    const q = model.experts.length;
    const units = model.som?.codebook.length ?? 1;
    for (const o of overrides) if (!(o.col >= 0 && o.col < p)) throw new Error(`override column ${o.col} out of range`);
    const act = activationFunction(model.activation);
    const used = model.stacker ? stackerSlotsUsed(q, M, model.memberUnitToExpert) : null;
    const acc = new Float64Array(M);
    const delta = new Float64Array(overrides.length);
    const nO = overrides.length;
    const cols = Int32Array.from(overrides, (o) => o.col);
    const expertOut = (e: number, m: number, i: number): number => {
      const ex = model.experts[e]!;
      const h = ex.hidden;
      const H = M * h;
      const w = ex.weights;
      const base = this.#pre[e]!;
      const w1 = w.w1;
      let s = w.b2[m]!;
      for (let u = 0; u < h; u++) {
        const c = m * h + u;
        let a = base[i * H + c]!;
        for (let k = 0; k < nO; k++) if (delta[k] !== 0) a += delta[k]! * w1[cols[k]! * H + c]!;
        s += w.w2[c]! * act(a);
      }
      return s;
    };
    const bmu = model.stackerInputs === 'outputs_bmu';
    const outs = new Float64Array(model.stacker?.inputs ?? q);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      overrides.forEach((o, k) => { delta[k] = scaleValue(model.xScaler, o.col, o.value) - scaleValue(model.xScaler, o.col, this.#raw[i * p + o.col]!); });
      const sharedUnit = !model.memberSoms && model.som && this.#dist ? this.#bestUnit(model.som, i, overrides, this.#dist, i * units) : 0;
      for (let m = 0; m < M; m++) {
        const unit = model.memberSoms ? this.#bestUnit(model.memberSoms[m]!, i, overrides, this.#memberDist!, (i * M + m) * units) : sharedUnit;
        let s: number;
        if (model.stacker) {
          outs.fill(0);
          for (let e = 0; e < q; e++) outs[e] = used![m * q + e] ? expertOut(e, m, i) : 0;
          if (bmu) outs[q + unit] = 1;
          s = stackerForward(model.stacker, act, m, outs);
        } else {
          s = expertOut(model.memberUnitToExpert![m]![unit]!, m, i);
        }
        const yhat = unscaleValue(model.yScaler, 0, s);
        acc[m] = acc[m]! + yhat;
        if (perRow) perRow[r * M + m] = yhat;
      }
    }
    for (let m = 0; m < M; m++) acc[m] = acc[m]! / rows.length;
    return acc;
  }
}

/**
 * tanh from one exp: about a quarter faster than Math.tanh in V8 (the hottest call of partial
 * dependence) and within 1 ulp-scale rounding of it (|error| < 3e-16; tested).
 */
export function tanhViaExp(x: number): number {
  const t = Math.exp(-2 * Math.abs(x));
  const r = (1 - t) / (1 + t);
  return x < 0 ? -r : r;
}

/** pre[c] += delta · w1[row + c] for c < H (a changed input's rank-one term). */
function addScaledRow(pre: Float64Array, w1: Float64Array, row: number, delta: number, H: number): void {
  for (let c = 0; c < H; c++) pre[c] = pre[c]! + delta * w1[row + c]!;
}

/**
 * Each member's output for one row from its hidden pre-activations, unscaled (same arithmetic as
 * unscaleValue), added to acc and optionally stored at perRow[at + m]. One loop per activation, so the hot
 * loop calls Math.tanh directly instead of through a function value.
 */
function accumulateMembers(
  act: Activation, pre: Float64Array, w2: Float64Array, b2: Float64Array, M: number, h: number,
  y: { readonly lo: number; readonly range: number }, acc: Float64Array, perRow: Float64Array | undefined, at: number,
): void {
  const { lo, range } = y;
  for (let m = 0; m < M; m++) {
    const o = m * h;
    let s = b2[m]!;
    if (act === 'tanh') for (let u = 0; u < h; u++) s += w2[o + u]! * tanhViaExp(pre[o + u]!);
    else if (act === 'sigmoid') for (let u = 0; u < h; u++) s += w2[o + u]! * (1 / (1 + Math.exp(-pre[o + u]!)));
    else for (let u = 0; u < h; u++) { const v = pre[o + u]!; s += w2[o + u]! * (v > 0 ? v : 0); }
    const yhat = range > 0 ? ((s + 1) * range) / 2 + lo : lo;
    acc[m] = acc[m]! + yhat;
    if (perRow) perRow[at + m] = yhat;
  }
}
