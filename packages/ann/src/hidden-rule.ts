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
