
/** The did tests' golden CSV reader, under the name these tests use. */
export { readGoldenCsv as readCsv } from '../helpers.js';

export const relClose = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
