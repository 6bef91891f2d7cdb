import {
  balancePanel,
  filterPeriods,
  interpolateGaps,
  logTransform,
  standardize,
  winsorize,
  type PanelFrame,
  type TransformResult,
} from '@panel-lab/panel';
import type { TransformSpec } from './spec.js';

export interface TransformReport {
  op: TransformSpec['op'];
  report: unknown;
}

function applyOne(frame: PanelFrame, t: TransformSpec): TransformResult<object> {
  switch (t.op) {
    case 'log':
      return logTransform(frame, t.columns, { policy: t.policy });
    case 'interpolate':
      return interpolateGaps(frame, t.columns);
    case 'winsorize':
      return winsorize(frame, t.columns, { lower: t.lower, upper: t.upper });
    case 'standardize':
      return standardize(frame, t.columns);
    case 'filterPeriods':
      return filterPeriods(frame, { ...(t.from !== undefined ? { from: t.from } : {}), ...(t.to !== undefined ? { to: t.to } : {}) });
    case 'balance':
      return balancePanel(frame);
  }
}

/** Applies the spec's transforms in order; each report says what was changed or dropped. */
export function applyTransforms(frame: PanelFrame, transforms: readonly TransformSpec[]): { frame: PanelFrame; reports: TransformReport[] } {
  const reports: TransformReport[] = [];
  let current = frame;
  transforms.forEach((t, i) => {
    try {
      const out = applyOne(current, t);
      current = out.frame;
      reports.push({ op: t.op, report: out.report });
    } catch (error) {
      throw new Error(`transforms[${i}] (${t.op}): ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { frame: current, reports };
}
