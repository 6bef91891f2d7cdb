import type { PanelFrame } from './frame.js';
import { PanelError } from './errors.js';
import { panelIndex } from './panel-index.js';

/**
 * Checks that a frame is a panel: unit and time columns present, time numeric, no missing unit or
 * time, at most one row per (unit, time). Throws a PanelError naming the column, unit and rows at fault.
 */
export function validatePanel(frame: PanelFrame): void {
  frame.field(frame.schema.unit);
  frame.field(frame.schema.time);
  const index = panelIndex(frame);
  const { order, periodIdx, unitCodes, unitLabels, periods } = index;
  const duplicates: string[] = [];
  let count = 0;
  const rows: number[] = [];
  for (let j = 1; j < order.length; j++) {
    const a = order[j - 1]!;
    const b = order[j]!;
    if (unitCodes[a] === unitCodes[b] && periodIdx[a] === periodIdx[b]) {
      count++;
      if (duplicates.length < 5) {
        duplicates.push(`unit ${unitLabels[unitCodes[b]!]} at ${frame.schema.time} ${periods[periodIdx[b]!]} (rows ${a + 1} and ${b + 1})`);
        rows.push(a, b);
      }
    }
  }
  if (count > 0) {
    throw new PanelError(
      `${count} duplicate (${frame.schema.unit}, ${frame.schema.time}) pair(s): ${duplicates.join('; ')}`,
      { column: frame.schema.unit, rows },
    );
  }
}
