import { csPlaceboHandler, csPlaceboOptions } from './cs-placebo.js';
import { placeboHandler, placeboOptions } from './placebo.js';
import { timingShiftHandler, timingShiftOptions } from './timing-shift.js';
import { wildBootstrapHandler, wildBootstrapOptions } from './wild-bootstrap.js';
import { romanoWolfHandler, romanoWolfOptions } from './romano-wolf.js';

export const RESAMPLING_HANDLERS = [placeboHandler, csPlaceboHandler, timingShiftHandler, wildBootstrapHandler, romanoWolfHandler] as const;
export const RESAMPLING_OPTIONS = [placeboOptions, csPlaceboOptions, timingShiftOptions, wildBootstrapOptions, romanoWolfOptions] as const;
