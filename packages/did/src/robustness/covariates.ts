/**
 * Covariates as model columns: numeric columns as they are, categorical ones as 0/1 dummies with
 * levels sorted as R sorts factor levels (the first level is the reference in a model, every
 * level is shown in a balance table).
 */
import type { PanelFrame } from '@panel-lab/panel';

export interface CovariateColumns {
  /** Model columns (reference level of each factor left out). */
  readonly model: { readonly names: string[]; readonly columns: Float64Array[] };
  /** Balance columns (every factor level). */
  readonly balance: { readonly names: string[]; readonly columns: Float64Array[]; readonly binary: boolean[] };
}

export function covariateColumns(frame: PanelFrame, names: readonly string[], option: string): CovariateColumns {
  const model = { names: [] as string[], columns: [] as Float64Array[] };
  const balance = { names: [] as string[], columns: [] as Float64Array[], binary: [] as boolean[] };
  const n = frame.nrows;
  for (const name of names) {
    if (!frame.has(name)) throw new Error(`${option}: covariate '${name}' not found; columns are: ${frame.columnNames.join(', ')}`);
    if (frame.isCategorical(name)) {
      const { codes, levels } = frame.codes(name);
      const order = levels.map((l, i) => [l, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      order.forEach(([level, code], k) => {
        const col = new Float64Array(n);
        for (let r = 0; r < n; r++) col[r] = codes[r]! < 0 ? Number.NaN : codes[r] === code ? 1 : 0;
        balance.names.push(`${name}${level}`);
        balance.columns.push(col);
        balance.binary.push(true);
        if (k > 0) {
          model.names.push(`${name}${level}`);
          model.columns.push(col);
        }
      });
    } else {
      const col = frame.numeric(name);
      let binary = true;
      for (let r = 0; r < n && binary; r++) binary = Number.isNaN(col[r]!) || col[r] === 0 || col[r] === 1;
      model.names.push(name);
      model.columns.push(col);
      balance.names.push(name);
      balance.columns.push(col);
      balance.binary.push(binary);
    }
  }
  return { model, balance };
}
