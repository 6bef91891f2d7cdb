/**
 * Seed 002 Eq. 3 (METHODS §18.3): N = ((s·pt·NO − NO)/(IO + NO + 1) − 1)/FL, rounded, at least 1.
 * s·pt·NO is the number of training equations; the weights N(IO+NO+1)+NO must stay well below it.
 */
export function hiddenNeuronRule(args: { sampleSize: number; inputs: number; outputs?: number; trainShare?: number; flexibility?: number }): number {
  const { sampleSize: s, inputs: io } = args;
  const no = args.outputs ?? 1;
  const pt = args.trainShare ?? 0.9;
  const fl = args.flexibility ?? 10;
  if (!(s > 0 && io > 0 && no > 0 && pt > 0 && pt <= 1 && fl > 0)) throw new Error(`hiddenNeuronRule: invalid arguments ${JSON.stringify(args)}`);
  const raw = ((s * pt * no - no) / (io + no + 1) - 1) / fl;
  return Math.max(1, Math.round(raw));
}

/**
 * Default cap on the rule's size. The rule grows linearly with the sample (about one unit per 300
 * rows with 27 inputs: 9 on the seed panel, about 90 at 10x and 900 at 100x), so a network's cost
 * would grow with rows squared; past the seed's scale more data does not need a wider network.
 */
export const DEFAULT_MAX_HIDDEN = 16;

/** The rule's size capped at maxHidden, then moved by offset (the seed's N−2 … N+2 search), at least 1. */
export function cappedHiddenNeurons(args: { sampleSize: number; inputs: number; offset?: number; maxHidden?: number }): number {
  const maxHidden = args.maxHidden ?? DEFAULT_MAX_HIDDEN;
  if (!(Number.isInteger(maxHidden) && maxHidden >= 1)) throw new Error(`option maxHidden must be a positive integer, got ${maxHidden}`);
  return Math.max(1, Math.min(maxHidden, hiddenNeuronRule({ sampleSize: args.sampleSize, trainShare: 1, inputs: args.inputs })) + (args.offset ?? 0));
}
