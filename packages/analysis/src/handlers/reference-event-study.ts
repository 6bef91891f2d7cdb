import type { PanelFrame } from '@panel-lab/panel';
import { eventStudy, type EventStudyResult } from '@panel-lab/did';
import { clusterList } from './inference.js';

/** The spec fields of a TWFE event study that another analysis (sensitivity, pre-trends power) runs first. */
export interface ReferenceEventStudyFields {
  readonly cohort: string;
  readonly controls: string[];
  readonly window?: [number, number] | undefined;
  readonly endpoints: 'bin' | 'trim';
  readonly alpha: number;
  readonly cluster?: string | string[] | undefined;
  readonly weights?: string | undefined;
}

/** The TWFE event study with reference period -1, as honest_did and pretrends_power both need it. */
export function referenceEventStudy(frame: PanelFrame, outcome: string, opts: ReferenceEventStudyFields): EventStudyResult {
  return eventStudy(frame, {
    outcome,
    treatment: { cohort: opts.cohort },
    ...(opts.window ? { window: opts.window } : {}),
    ref: -1,
    endpoints: opts.endpoints,
    controls: opts.controls,
    alpha: opts.alpha,
    ...(opts.cluster ? { cluster: clusterList(opts.cluster) } : {}),
    ...(opts.weights ? { weights: opts.weights } : {}),
  });
}
