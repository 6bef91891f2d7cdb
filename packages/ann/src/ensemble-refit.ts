import { createRng } from '@panel-lab/compute';
import { rowMajor, type Design } from './design.js';
import { cappedHiddenNeurons } from './hidden-rule.js';
import { fillEmptyValidation, glorotInit, type BatchedProblem, type BatchedWeights, type MinibatchInfo, type TrainConfig, type TrainOutput } from './mlp-core.js';
import { trainBatchedReference } from './mlp-reference.js';
import { trainBatchedTfjs, type TfjsEngine } from './mlp-tfjs.js';
import { somAssign, trainSom, type SomData } from './som.js';

export interface RefitExperts {
  readonly memberSoms: SomData[];
  /** Per member: unit → expert slot. */
  readonly memberUnitToExpert: number[][];
  /** Per member: BMU of every design row under its own SOM. */
  readonly routes: Int32Array[];
  /** Per slot e: member m's network is member m of weights (M members each). */
  readonly slots: { weights: BatchedWeights; trainRows: number; bestEpoch: number[]; finalTrainLoss: number[]; bestValLoss: number[] }[];
  readonly hidden: number;
  readonly epochsRun: number;
  readonly lossHistory: readonly number[];
  readonly membersWithoutValidation: number;
  /** Present when the batched problem trained on minibatches. */
  readonly minibatch?: MinibatchInfo;
}

/**
 * METHODS §19.1.3 refit_som: replicate m fits its own SOM on its resample (seeded from its stream m) and
 * its own experts on its own clusters. All replicates × expert slots are ONE batched problem of M·U networks
 * (column e·M + m): a network sees only its cluster's rows through its row weights. A slot a replicate does
 * not use (after merging) trains on all its rows and is never used for prediction. One hidden size for all
 * (the rule at the median cluster size), since a batched problem has one hidden width.
 */
export async function trainRefitExperts(args: {
  design: Design; trainRows: Int32Array; xs: Float64Array; ys: Float64Array; p: number; members: number;
  countW: Float64Array; valW: Float64Array | undefined; somOpts: { rows: number; cols: number; epochs: number; minClusterRows: number };
  seed: number; hidden?: number; hiddenOffset?: number; maxHidden?: number; cfg: TrainConfig; engine?: TfjsEngine;
  mergeSmallClusters: (som: SomData, route: Int32Array, rows: Int32Array, minRows: number) => number[];
  initSeed: number;
}): Promise<RefitExperts> {
  const { design, trainRows, xs, ys, p, members: M, countW, valW, somOpts } = args;
  const n = design.n;
  const nT = trainRows.length;
  const raw = rowMajor(design);
  const root = createRng(args.seed);
  const memberSoms: SomData[] = [];
  const memberUnitToExpert: number[][] = [];
  const routes: Int32Array[] = [];
  for (let m = 0; m < M; m++) {
    const drawn: number[] = [];
    for (const i of trainRows) for (let c = 0; c < countW[m * n + i]!; c++) drawn.push(i);
    const somSeed = root.stream(m).stream(1).int(0, 2 ** 31 - 2);
    const som = trainSom({ x: rowMajor(design, drawn), n: drawn.length, p }, { rows: somOpts.rows, cols: somOpts.cols, epochs: somOpts.epochs, seed: somSeed });
    const route = somAssign(som, { x: raw, n, p });
    memberSoms.push(som);
    routes.push(route);
    memberUnitToExpert.push(args.mergeSmallClusters(som, route, Int32Array.from(drawn), somOpts.minClusterRows));
  }
  const U = somOpts.rows * somOpts.cols;
  const C = M * U;
  const px = new Float64Array(nT * p);
  const py = new Float64Array(nT);
  const tw = new Float64Array(nT * C);
  const vw = valW ? new Float64Array(nT * C) : undefined;
  const clusterSizes: number[] = [];
  const slotRows = new Array<number>(U).fill(0);
  const slotUsers = new Array<number>(U).fill(0);
  for (let m = 0; m < M; m++) {
    const used = Math.max(...memberUnitToExpert[m]!) + 1;
    for (let e = 0; e < U; e++) {
      let distinct = 0;
      trainRows.forEach((i, r) => {
        const mine = e >= used || memberUnitToExpert[m]![routes[m]![i]!] === e;
        if (!mine) return;
        tw[r * C + e * M + m] = countW[m * n + i]!;
        if (vw) vw[r * C + e * M + m] = valW![m * n + i]!;
        if (countW[m * n + i]! > 0 && e < used) distinct++;
      });
      if (e < used) { clusterSizes.push(distinct); slotRows[e] = slotRows[e]! + distinct; slotUsers[e]!++; }
    }
  }
  trainRows.forEach((i, r) => { px.set(xs.subarray(i * p, (i + 1) * p), r * p); py[r] = ys[i]!; });
  let membersWithoutValidation = 0;
  if (vw) membersWithoutValidation = fillEmptyValidation(tw, vw, nT, C);
  const sorted = clusterSizes.sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const hidden = args.hidden ?? cappedHiddenNeurons({ sampleSize: median, inputs: p, offset: args.hiddenOffset ?? 0, ...(args.maxHidden !== undefined ? { maxHidden: args.maxHidden } : {}) });
  const problem: BatchedProblem = { n: nT, p, members: C, x: px, y: py, trainWeights: tw, ...(vw ? { valWeights: vw } : {}) };
  const init = glorotInit({ inputs: p, hidden, members: C, seed: args.initSeed });
  const out: TrainOutput = args.engine ? await trainBatchedTfjs(args.engine, problem, init, args.cfg) : trainBatchedReference(problem, init, args.cfg);
  const slots = Array.from({ length: U }, (_, e) => ({
    weights: sliceMembers(out.weights, e * M, M),
    trainRows: slotUsers[e]! ? Math.round(slotRows[e]! / slotUsers[e]!) : 0,
    bestEpoch: Array.from(out.bestEpoch.subarray(e * M, e * M + M)),
    finalTrainLoss: Array.from(out.finalTrainLoss.subarray(e * M, e * M + M)),
    bestValLoss: Array.from(out.bestValLoss.subarray(e * M, e * M + M)),
  }));
  return {
    memberSoms, memberUnitToExpert, routes, slots, hidden, epochsRun: out.epochsRun, lossHistory: out.lossHistory, membersWithoutValidation,
    ...(out.minibatch ? { minibatch: out.minibatch } : {}),
  };
}

/** Members [from, from+count) of a batched weight set, as their own batched set. */
export function sliceMembers(w: BatchedWeights, from: number, count: number): BatchedWeights {
  const { inputs: p, hidden: h, members: M } = w;
  const H = M * h;
  const Hs = count * h;
  const w1 = new Float64Array(p * Hs);
  for (let j = 0; j < p; j++) w1.set(w.w1.subarray(j * H + from * h, j * H + (from + count) * h), j * Hs);
  return {
    members: count, hidden: h, inputs: p, w1, b1: w.b1.slice(from * h, (from + count) * h),
    w2: w.w2.slice(from * h, (from + count) * h), b2: w.b2.slice(from, from + count),
  };
}
