/** Output formats of a run: JSON and CSV always (the report's own files); Parquet and Arrow IPC on request. */
export const OUTPUT_FORMATS = ['json', 'csv', 'parquet', 'arrow'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
