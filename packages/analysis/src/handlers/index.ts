import type { AnalysisHandler } from '../handler.js';
import { describeHandler, describeOptions } from './describe.js';
import { twfeHandler, twfeOptions } from './twfe.js';
import { feolsHandler, feolsOptions } from './feols.js';
import { trendsHandler, trendsOptions } from './trends.js';
import { eventStudyHandler, eventStudyOptions } from './event-study.js';
import { csHandler, csOptions } from './callaway-santanna.js';
import { baconHandler, baconOptions } from './bacon.js';
import { sunAbrahamHandler, sunAbrahamOptions } from './sun-abraham.js';
import { RESAMPLING_HANDLERS, RESAMPLING_OPTIONS } from './resampling/index.js';
import { ANN_HANDLERS, ANN_OPTIONS } from './ann/index.js';
import { ROBUSTNESS_HANDLERS, ROBUSTNESS_OPTIONS } from './robustness/index.js';
import { honestDidHandler, honestDidOptions } from './honest-did.js';
import { synthdidHandler, synthdidOptions } from './synthdid.js';
import { lpDidHandler, lpDidOptions } from './lp-did.js';
import { pretrendsPowerHandler, pretrendsPowerOptions } from './pretrends-power.js';

/** Every analysis the spec can name. Adding an estimator = adding its handler here. */
export const ANALYSIS_HANDLERS: readonly AnalysisHandler<any>[] = [describeHandler, feolsHandler, twfeHandler, trendsHandler, eventStudyHandler, sunAbrahamHandler, csHandler, baconHandler, ...RESAMPLING_HANDLERS, ...ROBUSTNESS_HANDLERS, honestDidHandler, synthdidHandler, lpDidHandler, pretrendsPowerHandler, ...ANN_HANDLERS];

/** The option schemas, as a tuple so the spec's TypeScript type is the exact union. */
export const ANALYSIS_OPTIONS = [describeOptions, feolsOptions, twfeOptions, trendsOptions, eventStudyOptions, sunAbrahamOptions, csOptions, baconOptions, ...RESAMPLING_OPTIONS, ...ROBUSTNESS_OPTIONS, honestDidOptions, synthdidOptions, lpDidOptions, pretrendsPowerOptions, ...ANN_OPTIONS] as const;

export function handlerFor(estimator: string): AnalysisHandler<any> {
  const handler = ANALYSIS_HANDLERS.find((h) => h.estimator === estimator);
  if (!handler) {
    throw new Error(`unknown estimator '${estimator}'; available: ${ANALYSIS_HANDLERS.map((h) => h.estimator).join(', ')}`);
  }
  return handler;
}
