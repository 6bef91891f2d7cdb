/**
 * Columnar data tables carried by a result (per-draw tables, matched pairs, scores, index values):
 * the same columns go to results/<id>.json and, when asked, to Parquet / Arrow files.
 */
export type DataValue = number | string | boolean | null;

export interface DataTable {
  /** What one row is (e.g. 'one placebo draw'). */
  description: string;
  /** Equal-length columns, by name. */
  columns: Record<string, DataValue[]>;
}

/** Builds a table from equal-length columns (typed arrays become plain arrays, non-finite numbers null). */
export function dataTable(description: string, columns: Record<string, ArrayLike<DataValue | undefined> | null | undefined>): DataTable {
  const out: Record<string, DataValue[]> = {};
  let length: number | null = null;
  for (const [name, values] of Object.entries(columns)) {
    if (values === null || values === undefined) continue;
    const column = Array.from(values as ArrayLike<DataValue | undefined>, (v) => (v === undefined ? null : typeof v === 'number' && !Number.isFinite(v) ? null : v));
    if (length !== null && column.length !== length) throw new Error(`data table '${description}': column '${name}' has ${column.length} values, expected ${length}`);
    length = column.length;
    out[name] = column;
  }
  return { description, columns: out };
}

/** Rows of objects as a columnar table (the columns of the first row, in order). */
export function tableFromRows(description: string, rows: readonly Record<string, unknown>[], pick?: readonly string[]): DataTable {
  const names = pick ?? Object.keys(rows[0] ?? {});
  const columns: Record<string, DataValue[]> = {};
  for (const name of names) columns[name] = rows.map((r) => scalar(r[name]));
  return { description, columns };
}

function scalar(v: unknown): DataValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}
