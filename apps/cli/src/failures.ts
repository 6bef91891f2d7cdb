import type { RunResult } from '@panel-lab/analysis';

/** Exit status of a run that finished with some analyses failed (their failure is in the report; the others' results are written). */
export const EXIT_SOME_FAILED = 2;

export const EXIT_STATUS_HELP = `
Exit status:
  0  every analysis ran
  1  the run did not finish: invalid spec or data, or (with --fail-fast) an analysis failed
  ${EXIT_SOME_FAILED}  some analyses failed; the others ran and the report shows both`;

/** Some analyses failed: the message lists each with its place in the spec. */
export class AnalysesFailedError extends Error {
  readonly exitCode = EXIT_SOME_FAILED;

  constructor(run: RunResult, report: string) {
    const lines = run.failures.map((f) => `  ${f.where} (${f.estimator}): ${f.message}`);
    super(`${run.failures.length} of ${run.analyses.length} analyses failed; the others' results are written (report: ${report}):\n${lines.join('\n')}`);
    this.name = 'AnalysesFailedError';
  }
}

/** Throws AnalysesFailedError when the run recorded failures, after the report is written. */
export function assertNoFailures(run: RunResult, report: string): void {
  if (run.failures.length > 0) throw new AnalysesFailedError(run, report);
}
