import { placeboHandler, placeboOptions } from './placebo.js';
import { timingShiftHandler, timingShiftOptions } from './timing-shift.js';
import { wildBootstrapHandler, wildBootstrapOptions } from './wild-bootstrap.js';

export const RESAMPLING_HANDLERS = [placeboHandler, timingShiftHandler, wildBootstrapHandler] as const;
export const RESAMPLING_OPTIONS = [placeboOptions, timingShiftOptions, wildBootstrapOptions] as const;
