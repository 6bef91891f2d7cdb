/** Error raised for bad panel input; names the column, unit or row at fault. */
export class PanelError extends Error {
  readonly column: string | undefined;
  readonly rows: readonly number[] | undefined;

  constructor(message: string, details: { column?: string; rows?: readonly number[] } = {}) {
    super(message);
    this.name = 'PanelError';
    this.column = details.column;
    this.rows = details.rows;
  }
}
