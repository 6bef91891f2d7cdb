import type { z } from 'zod';
import { ANALYSIS_HANDLERS } from './handlers/index.js';
import { analysisLabel } from './failure.js';

/** One problem of a spec: the field path (e.g. `analyses[2].outcomes`) and a message that says what would be valid. */
export interface SpecIssue {
  path: string;
  message: string;
  /** The analysis the field belongs to, when it is inside one ('?' where the spec does not say). */
  analysis?: { where: string; id: string; estimator: string };
}

/** One line of the error message: path, analysis id and estimator, message. */
export function issueLine(issue: SpecIssue): string {
  const analysis = issue.analysis ? ` (analysis '${issue.analysis.id}', ${issue.analysis.estimator})` : '';
  return `${issue.path || '(root)'}${analysis}: ${issue.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** Zod's issues in the user's terms: each names its analysis, and unknown or missing options list the valid ones. */
export function specIssues(issues: readonly z.core.$ZodIssue[], input: unknown): SpecIssue[] {
  return issues.map((issue) => {
    const entry = analysisAt(issue.path, input);
    const value = valueAt(issue.path, input);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const known = entry ? optionNames(entry.estimator) : undefined;
      message = `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}${known ? `; ${entry!.estimator} options are: ${known.join(', ')}` : ''}`;
    } else if (issue.code === 'invalid_type' && value === undefined) {
      message = `required, but missing (expected ${issue.expected})`;
    }
    return { path: formatPath(issue.path), message, ...(entry ? { analysis: entry } : {}) };
  });
}

/** The analysis entry a path points into (`analyses[i]...`). */
function analysisAt(path: readonly PropertyKey[], input: unknown): SpecIssue['analysis'] {
  if (path[0] !== 'analyses' || typeof path[1] !== 'number') return undefined;
  const entry = valueAt(path.slice(0, 2), input) as { id?: unknown; estimator?: unknown } | undefined;
  const id = typeof entry?.id === 'string' ? entry.id : '?';
  return { where: analysisLabel(path[1], id), id, estimator: typeof entry?.estimator === 'string' ? entry.estimator : '?' };
}

function valueAt(path: readonly PropertyKey[], input: unknown): unknown {
  let value = input;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The options an estimator accepts (its schema's keys), for messages about unknown ones. */
function optionNames(estimator: string): string[] | undefined {
  const handler = ANALYSIS_HANDLERS.find((h) => h.estimator === estimator);
  return handler ? Object.keys(handler.options.shape) : undefined;
}
