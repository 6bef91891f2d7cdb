import { annVsOlsHandler, annVsOlsOptions } from './ann-vs-ols.js';
import { compositeIndexHandler, compositeIndexOptions } from './composite-index.js';
import { netEffectHandler, netEffectOptions } from './net-effect.js';

/** Seed 002 handlers: index construction, ANN vs OLS (Table 2), bootstrap net effects (Figs 4-11). */
export const ANN_HANDLERS = [compositeIndexHandler, annVsOlsHandler, netEffectHandler] as const;
export const ANN_OPTIONS = [compositeIndexOptions, annVsOlsOptions, netEffectOptions] as const;
