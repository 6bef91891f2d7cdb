import { csPlaceboHandler, csPlaceboOptions } from './cs-placebo.js';
import { placeboHandler, placeboOptions } from './placebo.js';
import { timingShiftHandler, timingShiftOptions } from './timing-shift.js';
import { wildBootstrapHandler, wildBootstrapOptions } from './wild-bootstrap.js';

export const RESAMPLING_HANDLERS = [placeboHandler, csPlaceboHandler, timingShiftHandler, wildBootstrapHandler] as const;
export const RESAMPLING_OPTIONS = [placeboOptions, csPlaceboOptions, timingShiftOptions, wildBootstrapOptions] as const;
