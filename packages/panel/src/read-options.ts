/** Options shared by every reader. */
export interface ReadOptions {
  /** Name of the unit (entity) column. */
  readonly unit: string;
  /** Name of the time column (numbers, e.g. years). */
  readonly time: string;
  /** Columns to treat as categorical even when their values look numeric. */
  readonly categorical?: readonly string[];
  /** Tokens read as missing (CSV only). Default: "", "NA", "NaN", "null", ".". */
  readonly naValues?: readonly string[];
  /**
   * What a +-Infinity in a numeric column means (a CSV 'Inf' or an overflowing '1e400', an infinite
   * Parquet / Arrow float): 'error' (default) rejects the file naming the column, count and first
   * rows; 'missing' reads them as missing values (estimators then count them among the rows dropped).
   */
  readonly nonFinite?: NonFinitePolicy;
}

export type NonFinitePolicy = 'error' | 'missing';

export type PanelFormat = 'csv' | 'parquet' | 'arrow';

export const DEFAULT_NA_VALUES: readonly string[] = Object.freeze(['', 'NA', 'NaN', 'null', '.']);
