import { createRng, permutation, sampleWithReplacement } from '@panel-lab/compute';
import { nGroups, rowMajor, type Design } from './design.js';
import { cappedHiddenNeurons } from './hidden-rule.js';
import { activationFunction, fillEmptyValidation, forwardAll, glorotInit, type Activation, type BatchedProblem, type BatchedWeights, type MinibatchInfo, type Optimizer, type TrainConfig, type TrainOutput } from './mlp-core.js';
import { trainBatchedReference } from './mlp-reference.js';
import { trainBatchedTfjs, type TfjsEngine } from './mlp-tfjs.js';
import { fitMinMax, scaleValue, unscaleValue, type MinMaxScaler } from './scaling.js';
import { somAssign, trainSom, type SomData } from './som.js';
import { stackerForward, trainStacker, type StackerWeights } from './stacker.js';
import { trainRefitExperts } from './ensemble-refit.js';

export type SomMode = 'experts' | 'features' | 'stacked' | 'none';
export type Resample = 'none' | 'rows' | 'groups';

export interface EnsembleOptions {
  readonly seed: number;
  /** Networks per expert: bootstrap replicates (resample ≠ 'none') or random restarts. Default 1. */
  readonly members?: number;
  /** Default 'none' for one member, else 'groups' when the design has groups, else 'rows'. */
  readonly resample?: Resample;
  /** Rows to train on (default all); the scaler and SOM are fitted on these only. */
  readonly trainRows?: Int32Array;
  /** Hidden units; default the seed's rule (METHODS §18.3) on each expert's training rows. */
  readonly hidden?: number;
  /** Added to the rule's size (min 1), for the seed's N−2 … N+2 search; ignored when `hidden` is set. */
  readonly hiddenOffset?: number;
  /** Cap on the rule's size before the offset (default DEFAULT_MAX_HIDDEN; the rule grows with rows). */
  readonly maxHidden?: number;
  readonly activation?: Activation;
  readonly optimizer?: Optimizer;
  /** Default 1e-3 for Adam, 0.05 for SGD. */
  readonly learningRate?: number;
  readonly epochs?: number;
  readonly patience?: number;
  /**
   * Rows per gradient step (default DEFAULT_BATCH_ROWS). An expert with more training rows takes one
   * minibatch step per epoch and early-stops on a fixed subset of 2·batchRows rows (minibatchPlan in
   * mlp-core); with fewer it trains full batch, as at the seed's scale.
   */
  readonly batchRows?: number;
  /** Called after each training epoch of each expert network batch (progress). */
  readonly onEpoch?: (epoch: number, epochs: number) => void;
  /** Share of each member's resampled units held out for early stopping (default 0.15; 0 = none). */
  readonly validationShare?: number;
  readonly som?: {
    readonly mode?: SomMode;
    readonly rows?: number;
    readonly cols?: number;
    readonly epochs?: number;
    /** Clusters with fewer training rows merge into the nearest prototype (default 10·(p+2)). */
    readonly minClusterRows?: number;
  };
  /** tfjs engine from initTfjs; absent = the float64 reference trainer. */
  readonly engine?: TfjsEngine;
  /**
   * Refit the SOM (and so the experts' clusters) on each member's resample, METHODS §19.1.3 (default false
   * here; annBootstrapNetEffect defaults to true). SOM modes 'experts' and 'stacked' only.
   */
  readonly refitSom?: boolean;
  /** Hidden units of the final network in SOM mode 'stacked' (default 2, METHODS §18.4.4). */
  readonly stackerHidden?: number;
  /**
   * What feeds the stacker: 'outputs' (default, METHODS §18.4.4: the experts' outputs only) or 'outputs_bmu'
   * (plus the row's one-hot best-matching unit, so the stacker can tell which regime a row is in).
   */
  readonly stackerInputs?: StackerInputs;
}

export type StackerInputs = 'outputs' | 'outputs_bmu';

export interface ExpertNet {
  /** SOM units routed to this expert. */
  readonly units: readonly number[];
  readonly trainRows: number;
  readonly hidden: number;
  readonly weights: BatchedWeights;
  readonly epochsRun: number;
  readonly meanBestEpoch: number;
  readonly finalTrainLoss: readonly number[];
  readonly bestValLoss: readonly number[];
  readonly lossHistory: readonly number[];
  /** Present when this expert trained on minibatches. */
  readonly minibatch?: MinibatchInfo;
}

/** Full batch up to this many rows: the seed panel (2,574 rows) stays full batch; memory per step is bounded above it. */
export const DEFAULT_BATCH_ROWS = 4096;

/** A trained ensemble: a handle for prediction (holds weights, never the data). */
export interface AnnEnsemble {
  readonly inputs: readonly string[];
  readonly members: number;
  readonly activation: Activation;
  readonly engine: string;
  readonly somMode: SomMode;
  readonly som: SomData | null;
  /** unit → expert index (all 0 without SOM experts). */
  readonly unitToExpert: readonly number[];
  readonly experts: readonly ExpertNet[];
  readonly xScaler: MinMaxScaler;
  readonly yScaler: MinMaxScaler;
  readonly resample: Resample;
  readonly seed: number;
  readonly nTrain: number;
  /** Members whose validation set was empty within an expert (they early-stop on training loss). */
  readonly membersWithoutValidation: number;
  /** Whether each member refitted its own SOM (then `som` is the full-sample SOM, reported only). */
  readonly refitSom: boolean;
  /** refitSom: member m's SOM and unit → expert slot (slots a member does not use are never routed to). */
  readonly memberSoms?: readonly SomData[];
  readonly memberUnitToExpert?: readonly (readonly number[])[];
  /** SOM mode 'stacked': the final network fed by every expert's output (and the one-hot BMU with 'outputs_bmu'). */
  readonly stacker?: StackerWeights;
  readonly stackerInputs?: StackerInputs;
}

const asInt = (name: string, v: number, min: number) => {
  if (!(Number.isInteger(v) && v >= min)) throw new Error(`option ${name} must be an integer >= ${min}, got ${v}`);
  return v;
};

export async function fitAnnEnsemble(design: Design, opts: EnsembleOptions): Promise<AnnEnsemble> {
  const y = design.y;
  if (!y) throw new Error('fitAnnEnsemble needs a design with a target y');
  const n = design.n;
  const p = design.names.length;
  const members = asInt('members', opts.members ?? 1, 1);
  const resample = opts.resample ?? (members === 1 ? 'none' : design.groups ? 'groups' : 'rows');
  if (resample === 'groups' && !design.groups) throw new Error("option resample 'groups' needs design.groups (cities)");
  const trainRows = opts.trainRows ?? Int32Array.from({ length: n }, (_, i) => i);
  trainRows.forEach((i) => { if (!(i >= 0 && i < n)) throw new Error(`option trainRows: row ${i} out of range 0..${n - 1}`); });
  const somMode = opts.som?.mode ?? 'experts';
  const optimizer = opts.optimizer ?? 'adam';
  const cfg: TrainConfig = {
    epochs: asInt('epochs', opts.epochs ?? 5000, 1), optimizer,
    learningRate: opts.learningRate ?? (optimizer === 'adam' ? 1e-3 : 0.05),
    activation: opts.activation ?? 'tanh', patience: asInt('patience', opts.patience ?? 50, 1),
    batchRows: asInt('batchRows', opts.batchRows ?? DEFAULT_BATCH_ROWS, 1), batchSeed: deriveSeed(opts.seed, 4099),
    ...(opts.onEpoch ? { onEpoch: opts.onEpoch } : {}),
  };
  const validationShare = opts.validationShare ?? 0.15;
  if (!(validationShare >= 0 && validationShare < 1)) throw new Error(`option validationShare must be in [0, 1), got ${validationShare}`);

  const raw = rowMajor(design);
  // SOM on the training rows (inputs standardised with their moments), then routing of every row.
  let som: SomData | null = null;
  let route: Int32Array = new Int32Array(n);
  let unitToExpert: number[] = [0];
  if (somMode !== 'none') {
    const trainX = rowMajor(design, trainRows);
    som = trainSom({ x: trainX, n: trainRows.length, p }, {
      rows: opts.som?.rows ?? 2, cols: opts.som?.cols ?? 2, epochs: opts.som?.epochs ?? 500, seed: opts.seed,
    });
    route = somAssign(som, { x: raw, n, p });
    unitToExpert = somMode === 'experts' || somMode === 'stacked'
      ? mergeSmallClusters(som, route, trainRows, opts.som?.minClusterRows ?? 10 * (p + 2))
      : som.codebook.map(() => 0);
  }
  const units = som?.codebook.length ?? 1;
  const x = somMode === 'features' ? appendOneHot(raw, n, p, route, units) : raw;
  const pAug = somMode === 'features' ? p + units : p;
  const xScaler = fitMinMax(x, pAug, trainRows);
  const yScaler = fitMinMax(y, 1, trainRows);
  const xs = new Float64Array(x.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < pAug; j++) xs[i * pAug + j] = scaleValue(xScaler, j, x[i * pAug + j]!);
  const ys = Float64Array.from(y, (v) => scaleValue(yScaler, 0, v));

  const { train: countW, val: valW } = memberWeights(design, trainRows, members, resample, validationShare, opts.seed);
  const refitSom = opts.refitSom ?? false;
  if (refitSom && somMode !== 'experts' && somMode !== 'stacked') throw new Error(`option refitSom needs SOM mode 'experts' or 'stacked', got '${somMode}'`);
  const experts: ExpertNet[] = [];
  let membersWithoutValidation = 0;
  let memberSoms: SomData[] | undefined;
  let memberUnitToExpert: number[][] | undefined;
  let memberRoutes: Int32Array[] | undefined;
  if (refitSom) {
    const somOpts = {
      rows: opts.som?.rows ?? 2, cols: opts.som?.cols ?? 2, epochs: opts.som?.epochs ?? 500, minClusterRows: opts.som?.minClusterRows ?? 10 * (p + 2),
    };
    const r = await trainRefitExperts({
      design, trainRows, xs, ys, p, members, countW, valW: validationShare > 0 ? valW : undefined, somOpts, seed: opts.seed,
      ...(opts.hidden !== undefined ? { hidden: opts.hidden } : {}), ...(opts.hiddenOffset !== undefined ? { hiddenOffset: opts.hiddenOffset } : {}),
      ...(opts.maxHidden !== undefined ? { maxHidden: opts.maxHidden } : {}),
      cfg, ...(opts.engine ? { engine: opts.engine } : {}), mergeSmallClusters, initSeed: deriveSeed(opts.seed, 0),
    });
    memberSoms = r.memberSoms;
    memberUnitToExpert = r.memberUnitToExpert;
    memberRoutes = r.routes;
    membersWithoutValidation = r.membersWithoutValidation;
    for (const slot of r.slots) {
      experts.push(Object.freeze({
        units: [], trainRows: slot.trainRows, hidden: r.hidden, weights: slot.weights, epochsRun: r.epochsRun,
        meanBestEpoch: slot.bestEpoch.reduce((x, y) => x + y, 0) / members, finalTrainLoss: slot.finalTrainLoss,
        bestValLoss: slot.bestValLoss, lossHistory: r.lossHistory, ...(r.minibatch ? { minibatch: r.minibatch } : {}),
      }));
    }
  } else {
    const nExperts = Math.max(...unitToExpert) + 1;
    for (let e = 0; e < nExperts; e++) {
      const rows = Array.from(trainRows).filter((i) => unitToExpert[route[i]!] === e);
      if (rows.length === 0) throw new Error(`SOM expert ${e} has no training rows`);
      const ne = rows.length;
      const px = new Float64Array(ne * pAug);
      const py = new Float64Array(ne);
      const tw = new Float64Array(ne * members);
      const vw = validationShare > 0 ? new Float64Array(ne * members) : undefined;
      rows.forEach((i, r) => {
        px.set(xs.subarray(i * pAug, (i + 1) * pAug), r * pAug);
        py[r] = ys[i]!;
        for (let m = 0; m < members; m++) {
          tw[r * members + m] = countW[m * n + i]!;
          if (vw) vw[r * members + m] = valW[m * n + i]!;
        }
      });
      if (vw) membersWithoutValidation += fillEmptyValidation(tw, vw, ne, members);
      const hidden = opts.hidden ?? cappedHiddenNeurons({ sampleSize: ne, inputs: pAug, offset: opts.hiddenOffset ?? 0, ...(opts.maxHidden !== undefined ? { maxHidden: opts.maxHidden } : {}) });
      const problem: BatchedProblem = { n: ne, p: pAug, members, x: px, y: py, trainWeights: tw, ...(vw ? { valWeights: vw } : {}) };
      const init = glorotInit({ inputs: pAug, hidden, members, seed: deriveSeed(opts.seed, e) });
      const out: TrainOutput = opts.engine
        ? await trainBatchedTfjs(opts.engine, problem, init, cfg)
        : trainBatchedReference(problem, init, cfg);
      experts.push(Object.freeze({
        units: unitToExpert.flatMap((ex, u) => (ex === e ? [u] : [])), trainRows: ne, hidden, weights: out.weights,
        epochsRun: out.epochsRun, meanBestEpoch: Array.from(out.bestEpoch).reduce((a, b) => a + b, 0) / members,
        finalTrainLoss: Array.from(out.finalTrainLoss), bestValLoss: Array.from(out.bestValLoss), lossHistory: out.lossHistory,
        ...(out.minibatch ? { minibatch: out.minibatch } : {}),
      }));
    }
  }
  const stackerInputs = opts.stackerInputs ?? 'outputs';
  if (!['outputs', 'outputs_bmu'].includes(stackerInputs)) throw new Error(`option stackerInputs must be 'outputs' or 'outputs_bmu', got '${stackerInputs}'`);
  const stacker = somMode === 'stacked'
    ? fitStacker({
      experts, memberUnitToExpert, units, bmu: stackerInputs === 'outputs_bmu' ? (m: number, i: number) => (memberRoutes ? memberRoutes[m]! : route)[i]! : null, xs, ys, pAug, trainRows, countW, valW: validationShare > 0 ? valW : undefined, n, members, cfg,
      hidden: asInt('stackerHidden', opts.stackerHidden ?? 2, 1), seed: deriveSeed(opts.seed, 7919),
    })
    : undefined;
  return Object.freeze({
    inputs: Object.freeze([...design.names]), members, activation: cfg.activation,
    engine: opts.engine ? `tfjs-${opts.engine.backend}` : 'f64-reference', somMode, som, unitToExpert, experts,
    xScaler, yScaler, resample, seed: opts.seed, nTrain: trainRows.length, membersWithoutValidation, refitSom,
    ...(memberSoms ? { memberSoms: Object.freeze(memberSoms), memberUnitToExpert: Object.freeze(memberUnitToExpert!.map((u) => Object.freeze(u))) } : {}),
    ...(stacker ? { stacker, stackerInputs } : {}),
  });
}

/** Member predictions in original units for row-major raw rows: out[i·M+m]. */
export function predictMembers(model: AnnEnsemble, rowsRaw: Float64Array, n: number): Float64Array {
  const p = model.inputs.length;
  if (rowsRaw.length !== n * p) throw new Error(`predict: expected ${n}×${p} values, got ${rowsRaw.length}`);
  const M = model.members;
  if (model.refitSom || model.stacker) return predictRoutedPerMember(model, rowsRaw, n);
  const units = model.som?.codebook.length ?? 1;
  const route = model.som ? somAssign(model.som, { x: rowsRaw, n, p }) : new Int32Array(n);
  const x = model.somMode === 'features' ? appendOneHot(rowsRaw, n, p, route, units) : rowsRaw;
  const pAug = model.somMode === 'features' ? p + units : p;
  const out = new Float64Array(n * M);
  model.experts.forEach((ex, e) => {
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => model.unitToExpert[route[i]!] === e);
    if (!rows.length) return;
    const xs = new Float64Array(rows.length * pAug);
    rows.forEach((i, r) => { for (let j = 0; j < pAug; j++) xs[r * pAug + j] = scaleValue(model.xScaler, j, x[i * pAug + j]!); });
    const pred = forwardAll(ex.weights, model.activation, xs, rows.length);
    rows.forEach((i, r) => { for (let m = 0; m < M; m++) out[i * M + m] = unscaleValue(model.yScaler, 0, pred[r * M + m]!); });
  });
  return out;
}

/**
 * Prediction when routing differs per member (refitSom) or every expert feeds a stacker: every expert
 * predicts every row, then member m picks its routed expert or combines all through its stacker.
 */
function predictRoutedPerMember(model: AnnEnsemble, rowsRaw: Float64Array, n: number): Float64Array {
  const p = model.inputs.length;
  const M = model.members;
  const q = model.experts.length;
  const xs = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) xs[i * p + j] = scaleValue(model.xScaler, j, rowsRaw[i * p + j]!);
  const outs = model.experts.map((ex) => forwardAll(ex.weights, model.activation, xs, n));
  const out = new Float64Array(n * M);
  if (model.stacker) {
    const act = activationFunction(model.activation);
    const used = stackerSlotsUsed(q, M, model.memberUnitToExpert);
    const bmu = model.stackerInputs === 'outputs_bmu';
    const shared = bmu && !model.memberSoms ? somAssign(model.som!, { x: rowsRaw, n, p }) : null;
    const memberRoutes = bmu && model.memberSoms ? model.memberSoms.map((som) => somAssign(som, { x: rowsRaw, n, p })) : null;
    const o = new Float64Array(model.stacker.inputs);
    for (let i = 0; i < n; i++) for (let m = 0; m < M; m++) {
      o.fill(0);
      for (let e = 0; e < q; e++) o[e] = used[m * q + e] ? outs[e]![i * M + m]! : 0;
      if (bmu) o[q + (shared ? shared[i]! : memberRoutes![m]![i]!)] = 1;
      out[i * M + m] = unscaleValue(model.yScaler, 0, stackerForward(model.stacker, act, m, o));
    }
    return out;
  }
  for (let m = 0; m < M; m++) {
    const route = somAssign(model.memberSoms![m]!, { x: rowsRaw, n, p });
    const map = model.memberUnitToExpert![m]!;
    for (let i = 0; i < n; i++) out[i * M + m] = unscaleValue(model.yScaler, 0, outs[map[route[i]!]!]![i * M + m]!);
  }
  return out;
}

/** Mean over members of predictMembers. */
export function predictMean(model: AnnEnsemble, rowsRaw: Float64Array, n: number): Float64Array {
  const all = predictMembers(model, rowsRaw, n);
  const M = model.members;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let m = 0; m < M; m++) s += all[i * M + m]!;
    return s / M;
  });
}

/**
 * SOM mode 'stacked': every expert's output (scaled units) on every training row feeds member m's final
 * network, trained on the member's own row weights and early-stopped on its held-out units. Expert outputs
 * are in-sample for the expert's own cluster (no cross-fitting; METHODS does not ask for it).
 */
function fitStacker(a: {
  experts: readonly ExpertNet[]; memberUnitToExpert: number[][] | undefined; units: number;
  bmu: ((m: number, i: number) => number) | null; xs: Float64Array; ys: Float64Array; pAug: number;
  trainRows: Int32Array; countW: Float64Array; valW: Float64Array | undefined; n: number; members: number; cfg: TrainConfig;
  hidden: number; seed: number;
}): StackerWeights {
  const { experts, xs, pAug, trainRows, n, members: M } = a;
  const nT = trainRows.length;
  const E = experts.length;
  const q = E + (a.bmu ? a.units : 0);
  const xsT = new Float64Array(nT * pAug);
  trainRows.forEach((i, r) => xsT.set(xs.subarray(i * pAug, (i + 1) * pAug), r * pAug));
  const outs = experts.map((ex) => forwardAll(ex.weights, a.cfg.activation, xsT, nT));
  const used = stackerSlotsUsed(E, M, a.memberUnitToExpert);
  const x = new Float64Array(nT * M * q);
  const y = new Float64Array(nT);
  const tw = new Float64Array(nT * M);
  const vw = a.valW ? new Float64Array(nT * M) : undefined;
  trainRows.forEach((i, r) => {
    y[r] = a.ys[i]!;
    for (let m = 0; m < M; m++) {
      for (let e = 0; e < E; e++) x[(r * M + m) * q + e] = used[m * E + e] ? outs[e]![r * M + m]! : 0;
      if (a.bmu) x[(r * M + m) * q + E + a.bmu(m, i)] = 1;
      tw[r * M + m] = a.countW[m * n + i]!;
      if (vw) vw[r * M + m] = a.valW![m * n + i]!;
    }
  });
  if (vw) fillEmptyValidation(tw, vw, nT, M);
  // Always full batch (batchRows does not apply): q ≤ units inputs and 2 hidden units, so O(nT·M·q·h) per epoch.
  const out = trainStacker({
    n: nT, members: M, inputs: q, hidden: a.hidden, x, y, trainWeights: tw, ...(vw ? { valWeights: vw } : {}), cfg: a.cfg, seed: a.seed,
  });
  return Object.freeze(out.weights);
}

/** used[m·q + e] = 1 when member m routes some unit to expert slot e (always, without refitSom). */
export function stackerSlotsUsed(q: number, M: number, memberUnitToExpert: readonly (readonly number[])[] | undefined): Uint8Array {
  const used = new Uint8Array(M * q);
  for (let m = 0; m < M; m++) {
    const map = memberUnitToExpert?.[m];
    for (let e = 0; e < q; e++) used[m * q + e] = !map || map.includes(e) ? 1 : 0;
  }
  return used;
}

export function deriveSeed(seed: number, k: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 31) + 1_000_003 * (k + 1)) | 0;
}

export function appendOneHot(raw: Float64Array, n: number, p: number, route: Int32Array, units: number): Float64Array {
  const out = new Float64Array(n * (p + units));
  for (let i = 0; i < n; i++) {
    out.set(raw.subarray(i * p, (i + 1) * p), i * (p + units));
    out[i * (p + units) + p + route[i]!] = 1;
  }
  return out;
}

/**
 * Per member m and row i (laid out m·n+i): bootstrap count of the row (rows or whole groups resampled
 * from the training units; 1 without resampling), split into training and validation weights by holding
 * out a seeded share of the distinct drawn units (groups unless resample = 'rows'). Member m uses stream m.
 */
export function memberWeights(design: Design, trainRows: Int32Array, members: number, resample: Resample, validationShare: number, seed: number) {
  const n = design.n;
  // Units are whole groups (cities) for the cluster bootstrap and, without resampling, for the held-out
  // validation share too, so a city never sits on both sides of early stopping.
  const byGroup = design.groups !== undefined && resample !== 'rows';
  const unitOf = new Int32Array(n).fill(-1);
  let nUnits: number;
  if (byGroup) {
    const g = nGroups(design.groups!);
    const present = new Int32Array(g).fill(-1);
    nUnits = 0;
    for (const i of trainRows) {
      const grp = design.groups![i]!;
      if (present[grp] === -1) present[grp] = nUnits++;
      unitOf[i] = present[grp]!;
    }
  } else {
    trainRows.forEach((i, r) => { unitOf[i] = r; });
    nUnits = trainRows.length;
  }
  const train = new Float64Array(members * n);
  const val = new Float64Array(members * n);
  const root = createRng(seed);
  for (let m = 0; m < members; m++) {
    const rng = root.stream(m);
    const counts = new Float64Array(nUnits);
    if (resample === 'none') counts.fill(1);
    else for (const u of sampleWithReplacement(rng, nUnits)) counts[u]!++;
    const drawn = Array.from({ length: nUnits }, (_, u) => u).filter((u) => counts[u]! > 0);
    const isVal = new Uint8Array(nUnits);
    const nVal = Math.round(validationShare * drawn.length);
    const perm = permutation(rng, drawn.length);
    for (let k = 0; k < nVal; k++) isVal[drawn[perm[k]!]!] = 1;
    for (const i of trainRows) {
      const u = unitOf[i]!;
      (isVal[u] ? val : train)[m * n + i] = counts[u]!;
    }
  }
  return { train, val };
}

/** METHODS §18.4: clusters under minRows training rows join the nearest prototype's cluster. Returns unit → expert. */
function mergeSmallClusters(som: SomData, route: Int32Array, trainRows: Int32Array, minRows: number): number[] {
  const units = som.codebook.length;
  const owner = Array.from({ length: units }, (_, u) => u);
  const find = (u: number): number => (owner[u] === u ? u : (owner[u] = find(owner[u]!)));
  const size = new Array<number>(units).fill(0);
  for (const i of trainRows) size[route[i]!]!++;
  const dist = (a: number, b: number) => som.codebook[a]!.reduce((s, v, j) => s + (v - som.codebook[b]![j]!) ** 2, 0);
  for (;;) {
    const roots = [...new Set(owner.map((_, u) => find(u)))];
    if (roots.length <= 1) break;
    const clusterSize = (r: number) => owner.reduce((s, _, u) => s + (find(u) === r ? size[u]! : 0), 0);
    const small = roots.filter((r) => clusterSize(r) < minRows).sort((a, b) => clusterSize(a) - clusterSize(b) || a - b);
    const r = small[0];
    if (r === undefined) break;
    let bestRoot = -1;
    let bestD = Infinity;
    for (const other of roots) {
      if (other === r) continue;
      const d = dist(r, other);
      if (d < bestD) { bestD = d; bestRoot = other; }
    }
    owner[r] = bestRoot;
  }
  const roots = [...new Set(owner.map((_, u) => find(u)))].sort((a, b) => a - b);
  return owner.map((_, u) => roots.indexOf(find(u)));
}
