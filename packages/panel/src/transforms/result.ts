import type { PanelFrame } from '../frame.js';
import { PanelError } from '../errors.js';

/** What every transform returns: a new frame and a JSON-safe report of what was changed or dropped. */
export interface TransformResult<R> {
  readonly frame: PanelFrame;
  readonly report: R;
}

export function result<R extends object>(frame: PanelFrame, report: R): TransformResult<R> {
  return Object.freeze({ frame, report: deepFreeze(report) });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Checks that each named column exists and is numeric. */
export function numericColumns(frame: PanelFrame, columns: readonly string[], what: string): void {
  if (columns.length === 0) throw new PanelError(`${what}: no columns given`);
  for (const name of columns) {
    frame.field(name);
    if (frame.isCategorical(name)) throw new PanelError(`${what}: column '${name}' is categorical, not numeric`, { column: name });
    if (name === frame.schema.unit || name === frame.schema.time) {
      throw new PanelError(`${what}: column '${name}' is the ${name === frame.schema.unit ? 'unit' : 'time'} column`, { column: name });
    }
  }
}

/** Rows where keep[i] is 1, as indices. */
export function keptRows(keep: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < keep.length; i++) n += keep[i]!;
  const idx = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) idx[k++] = i;
  return idx;
}
