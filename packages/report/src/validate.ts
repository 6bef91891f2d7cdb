/** Input checks shared by the chart builders: every error names the option and position at fault. */

export function requireNonEmpty<T>(items: readonly T[], what: string): void {
  if (items.length === 0) throw new Error(`${what}: no data to plot`);
}

export function requireFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new Error(`${what} must be a finite number, got ${String(value)}`);
}

/** Optional band ends: null/undefined/NaN mean "no band here"; infinities are an error. */
export function optionalFinite(value: number | null | undefined, what: string): number | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  if (!Number.isFinite(value)) throw new Error(`${what} must be finite or missing, got ${String(value)}`);
  return value;
}

/** Ids become file names (figures/<id>.svg), so keep them portable. */
export function requireSafeId(id: string, what: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(id)) {
    throw new Error(`${what} '${id}' must be 1-100 characters of letters, digits, '.', '_' or '-'`);
  }
}
