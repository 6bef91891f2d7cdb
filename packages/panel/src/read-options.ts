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
}

export type PanelFormat = 'csv' | 'parquet' | 'arrow';

export const DEFAULT_NA_VALUES: readonly string[] = Object.freeze(['', 'NA', 'NaN', 'null', '.']);
