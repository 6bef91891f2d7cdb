import { Dictionary, Float64, Int32, RecordBatch, Schema, Table, Utf8, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { PanelFrame, type Codes, type PanelSchema } from '@panel-lab/panel';

export interface FrameColumns {
  readonly numeric: Readonly<Record<string, Float64Array>>;
  readonly categorical: Readonly<Record<string, Codes>>;
}

/**
 * Builds the frame straight from typed arrays: Float64 columns zero-copy, categoricals as dictionary
 * codes; each column's unit (when known) is stored in its Arrow field metadata under 'unit'.
 */
export function buildFrame(columns: FrameColumns, schema: PanelSchema, units: Readonly<Record<string, string>> = {}): PanelFrame {
  const vectors: Record<string, Vector> = {};
  for (const [name, values] of Object.entries(columns.numeric)) vectors[name] = floatVector(values);
  for (const [name, { codes, levels }] of Object.entries(columns.categorical)) {
    const type = new Dictionary(new Utf8(), new Int32());
    const dictionary = vectorFromArray([...levels], new Utf8());
    vectors[name] = makeVector(makeData({ type, length: codes.length, nullCount: 0, data: codes, dictionary }));
  }
  const table = new Table(vectors);
  const withUnits = new Schema(
    table.schema.fields.map((f) => (units[f.name] ? f.clone({ metadata: new Map([['unit', units[f.name]!]]) }) : f)),
  );
  return PanelFrame.fromTable(new Table(withUnits, table.batches.map((b) => new RecordBatch(withUnits, b.data))), schema);
}

/** Float64 vector whose null bitmap marks NaN (the convention of @panel-lab/panel). */
function floatVector(values: Float64Array): Vector {
  let nulls = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) nulls++;
  if (nulls === 0) return makeVector(values);
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) bitmap[i >> 3]! |= 1 << (i & 7);
  return makeVector(makeData({ type: new Float64(), length: values.length, nullCount: nulls, data: values, nullBitmap: bitmap }));
}
