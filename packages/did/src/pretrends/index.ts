export { mvnRectangle, MVN_DEFAULTS } from './mvn-rectangle.js';
export type { MvnRectangleOptions, MvnRectangleResult } from './mvn-rectangle.js';
export { pretrendsPower, slopeForPower, linearTrend } from './pretrends.js';
export type { PretrendsInput, PretrendsOptions, PretrendsPowerResult, SlopeForPowerResult } from './pretrends.js';
