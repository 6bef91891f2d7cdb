/** Where an analysis sits in the spec, in the user's terms: `analyses[3] 'es-main'`. */
export function analysisLabel(index: number, id: string): string {
  return `analyses[${index}] '${id}'`;
}

/** Why an analysis did not produce results. */
export interface AnalysisFailure {
  /** The analysis's place in the spec, e.g. `analyses[3] 'es-main'`. */
  where: string;
  id: string;
  estimator: string;
  /** 'input': the spec does not fit the data (found before estimating); 'estimation': the estimator failed. */
  stage: 'input' | 'estimation';
  message: string;
}

/** The spec does not fit the data: found before any estimator ran; the message names the option and what would be valid. */
export class AnalysisInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisInputError';
  }
}

/** An analysis failed; the message starts with its place in the spec (`analyses[3] 'es-main': ...`). */
export class AnalysisFailedError extends Error {
  readonly failure: AnalysisFailure;

  constructor(failure: AnalysisFailure, cause: unknown) {
    super(`${failure.where}: ${failure.message}`, { cause });
    this.name = 'AnalysisFailedError';
    this.failure = failure;
  }
}

/** The failure record of the analysis at `index` that threw `error`. */
export function describeFailure(error: unknown, entry: { id: string; estimator: string }, index: number): AnalysisFailure {
  return {
    where: analysisLabel(index, entry.id),
    id: entry.id,
    estimator: entry.estimator,
    stage: error instanceof AnalysisInputError ? 'input' : 'estimation',
    message: error instanceof Error ? error.message : String(error),
  };
}
