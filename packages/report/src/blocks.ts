import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonRow } from './comparison.js';
import type { Table } from './types.js';

/** Prose: paragraphs of plain text (`code` spans are kept). */
export interface TextBlock {
  readonly kind: 'text';
  readonly paragraphs: readonly string[];
}

/** A chart: caption says what it replicates, e.g. "Seed 000, Fig. 4: event study of ln total CO2". */
export interface FigureBlock {
  readonly kind: 'figure';
  readonly id: string;
  readonly caption: string;
  readonly svg: string;
  readonly spec?: TopLevelSpec;
}

/** A table we render, or one rendered elsewhere (e.g. @panel-lab/regression etable) given as Markdown + HTML. */
export interface TableBlock {
  readonly kind: 'table';
  readonly id: string;
  readonly table?: Table;
  readonly rendered?: { readonly title: string; readonly markdown: string; readonly html: string; readonly csv?: string; readonly notes?: readonly string[] };
}

/** Estimates next to the generator's true effects. */
export interface ComparisonBlock {
  readonly kind: 'comparison';
  readonly id: string;
  readonly title: string;
  readonly rows: readonly ComparisonRow[];
  readonly notes?: readonly string[];
}

/** A step that failed: shown in place of its results, so a partial report says what is missing and why. */
export interface FailureBlock {
  readonly kind: 'failure';
  readonly id: string;
  /** Where the failure belongs, in the user's terms, e.g. "analyses[3] 'es-main'". */
  readonly where: string;
  readonly message: string;
}

export type Block = TextBlock | FigureBlock | TableBlock | ComparisonBlock | FailureBlock;

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly intro?: string;
  readonly blocks: readonly Block[];
}

export type MetaValue = string | number | boolean | null;

export interface ReportInput {
  readonly title: string;
  readonly subtitle?: string;
  readonly sections: readonly Section[];
  /** Shown in the header (seed, data, versions, generated_at, ...); the caller supplies times. */
  readonly meta?: Readonly<Record<string, MetaValue>>;
  /** Results to export as results/<id>.json (JSON-safe; typed arrays become arrays). */
  readonly results?: Readonly<Record<string, unknown>>;
}

export interface ReportFigure {
  readonly id: string;
  readonly number: number;
  readonly caption: string;
  readonly svg: string;
  readonly spec: TopLevelSpec | null;
}

export interface ReportTable {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly csv: string | null;
}

export interface Report {
  readonly title: string;
  readonly html: string;
  readonly markdown: string;
  readonly figures: readonly ReportFigure[];
  readonly tables: readonly ReportTable[];
  readonly results: Readonly<Record<string, unknown>>;
  readonly meta: Readonly<Record<string, MetaValue>>;
}
