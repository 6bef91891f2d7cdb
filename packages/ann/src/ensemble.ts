import { createRng, permutation, sampleWithReplacement } from '@panel-lab/compute';
import { nGroups, rowMajor, type Design } from './design.js';
import { hiddenNeuronRule } from './hidden-rule.js';
import { forwardAll, glorotInit, type Activation, type BatchedProblem, type BatchedWeights, type Optimizer, type TrainConfig, type TrainOutput } from './mlp-core.js';
import { trainBatchedReference } from './mlp-reference.js';
import { trainBatchedTfjs, type TfjsEngine } from './mlp-tfjs.js';
import { fitMinMax, scaleValue, unscaleValue, type MinMaxScaler } from './scaling.js';
import { somAssign, trainSom, type SomData } from './som.js';

export type SomMode = 'experts' | 'features' | 'none';
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
  readonly activation?: Activation;
  readonly optimizer?: Optimizer;
  /** Default 1e-3 for Adam, 0.05 for SGD. */
  readonly learningRate?: number;
  readonly epochs?: number;
  readonly patience?: number;
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
}

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
}

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
    unitToExpert = somMode === 'experts'
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
  const nExperts = Math.max(...unitToExpert) + 1;
  const experts: ExpertNet[] = [];
  let membersWithoutValidation = 0;
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
    const hidden = opts.hidden ?? Math.max(1, hiddenNeuronRule({ sampleSize: ne, trainShare: 1, inputs: pAug }) + (opts.hiddenOffset ?? 0));
    const problem: BatchedProblem = { n: ne, p: pAug, members, x: px, y: py, trainWeights: tw, ...(vw ? { valWeights: vw } : {}) };
    const init = glorotInit({ inputs: pAug, hidden, members, seed: deriveSeed(opts.seed, e) });
    const out: TrainOutput = opts.engine
      ? await trainBatchedTfjs(opts.engine, problem, init, cfg)
      : trainBatchedReference(problem, init, cfg);
    experts.push(Object.freeze({
      units: unitToExpert.flatMap((ex, u) => (ex === e ? [u] : [])), trainRows: ne, hidden, weights: out.weights,
      epochsRun: out.epochsRun, meanBestEpoch: Array.from(out.bestEpoch).reduce((a, b) => a + b, 0) / members,
      finalTrainLoss: Array.from(out.finalTrainLoss), bestValLoss: Array.from(out.bestValLoss), lossHistory: out.lossHistory,
    }));
  }
  return Object.freeze({
    inputs: Object.freeze([...design.names]), members, activation: cfg.activation,
    engine: opts.engine ? `tfjs-${opts.engine.backend}` : 'f64-reference', somMode, som, unitToExpert, experts,
    xScaler, yScaler, resample, seed: opts.seed, nTrain: trainRows.length, membersWithoutValidation,
  });
}

/** Member predictions in original units for row-major raw rows: out[i·M+m]. */
export function predictMembers(model: AnnEnsemble, rowsRaw: Float64Array, n: number): Float64Array {
  const p = model.inputs.length;
  if (rowsRaw.length !== n * p) throw new Error(`predict: expected ${n}×${p} values, got ${rowsRaw.length}`);
  const M = model.members;
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

/** A member with no validation rows inside an expert early-stops on its training rows; counted, never silent. */
function fillEmptyValidation(tw: Float64Array, vw: Float64Array, ne: number, M: number): number {
  let count = 0;
  for (let m = 0; m < M; m++) {
    let s = 0;
    for (let r = 0; r < ne; r++) s += vw[r * M + m]!;
    if (s > 0) continue;
    count++;
    for (let r = 0; r < ne; r++) vw[r * M + m] = tw[r * M + m]!;
  }
  return count;
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
