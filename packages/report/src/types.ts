import type { TopLevelSpec } from 'vega-lite';

/** A rendered chart: the SVG to embed and the Vega-Lite spec (with its data inline) to export as JSON. */
export interface Chart {
  readonly svg: string;
  readonly spec: TopLevelSpec;
}

/** One cell of a table: numbers are formatted by the renderer, null/NaN shows as empty. */
export type Cell = string | number | boolean | null;

/** A plain table: header labels, rows of cells, notes printed under it. */
export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  readonly notes?: readonly string[];
  /** Significant decimals for numbers in Markdown/HTML (CSV always keeps full precision). Default 3. */
  readonly digits?: number;
}

export type TableFormat = 'markdown' | 'html' | 'csv';

/** broom-style tidy row, as produced by the estimators (see DESIGN: tidy()). */
export interface TidyRow {
  readonly term: string;
  readonly estimate: number;
  readonly std_error?: number | null;
  readonly statistic?: number | null;
  readonly p_value?: number | null;
  readonly conf_low?: number | null;
  readonly conf_high?: number | null;
  readonly group?: number | string | null;
  readonly time?: number | string | null;
  readonly event_time?: number | null;
  readonly conf_low_simult?: number | null;
  readonly conf_high_simult?: number | null;
}

/** A point of plot data (plotData() series): pointwise band lo/hi, optional simultaneous band. */
export interface SeriesPoint {
  readonly x: number;
  readonly estimate: number;
  readonly lo?: number | null;
  readonly hi?: number | null;
  readonly lo_simult?: number | null;
  readonly hi_simult?: number | null;
}

/** A named series of plot data (one estimator, one subgroup, ...). */
export interface Series {
  readonly name: string;
  readonly points: readonly SeriesPoint[];
}
