import { dcdhStackedHandler, dcdhStackedOptions } from './dcdh-stacked.js';
import { didMultiplegtHandler, didMultiplegtOptions } from './did-multiplegt.js';
import { heterogeneityHandler, heterogeneityOptions } from './heterogeneity.js';
import { mechanismHandler, mechanismOptions } from './mechanism.js';
import { policiesHandler, policiesOptions } from './policies.js';
import { psmHandler, psmOptions } from './psm.js';
import { spatialHandler, spatialOptions } from './spatial.js';
import { twoStageHandler, twoStageOptions } from './two-stage.js';

export const ROBUSTNESS_HANDLERS = [psmHandler, policiesHandler, dcdhStackedHandler, spatialHandler, heterogeneityHandler, mechanismHandler, twoStageHandler, didMultiplegtHandler] as const;
export const ROBUSTNESS_OPTIONS = [psmOptions, policiesOptions, dcdhStackedOptions, spatialOptions, heterogeneityOptions, mechanismOptions, twoStageOptions, didMultiplegtOptions] as const;
