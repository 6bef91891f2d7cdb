import { expect } from 'vitest';
import { SpecError, parseRunSpec } from '../src/index.js';

/** The issues parseRunSpec reports for a spec it must reject (the test fails when it accepts it). */
export function specIssues(spec: unknown): SpecError['issues'] {
  try {
    parseRunSpec(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as SpecError).issues;
  }
  return expect.unreachable('parseRunSpec accepted the spec');
}
