import type { PanelFrame } from '@panel-lab/panel';

/** Keeps the units observed with non-missing `columns` in every period; reports how many were dropped. */
export function completeUnits(frame: PanelFrame, columns: readonly string[]): { frame: PanelFrame; droppedUnits: number; keptUnits: number } {
  const unit = frame.codes(frame.schema.unit);
  const periods = frame.codes(frame.schema.time).levels.length;
  const nUnits = unit.levels.length;
  const rows = new Int32Array(nUnits);
  const bad = new Uint8Array(nUnits);
  const values = columns.map((c) => frame.numeric(c));
  for (let i = 0; i < frame.nrows; i++) {
    const u = unit.codes[i]!;
    rows[u]!++;
    for (const v of values) if (Number.isNaN(v[i]!)) bad[u] = 1;
  }
  let dropped = 0;
  for (let u = 0; u < nUnits; u++) if (bad[u] || rows[u] !== periods) dropped++;
  if (dropped === 0) return { frame, droppedUnits: 0, keptUnits: nUnits };
  const kept = frame.filterRows((i) => !bad[unit.codes[i]!] && rows[unit.codes[i]!] === periods);
  return { frame: kept, droppedUnits: dropped, keptUnits: nUnits - dropped };
}
