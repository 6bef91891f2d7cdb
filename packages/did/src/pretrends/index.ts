export { mvnRectangle, MVN_DEFAULTS } from './mvn-rectangle.js';
export type { MvnRectangleOptions, MvnRectangleResult } from './mvn-rectangle.js';
export { pretrendsPower, slopeForPower, linearTrend, pretrendsAnalysis } from './pretrends.js';
export type { PretrendsInput, PretrendsOptions, PretrendsPowerResult, SlopeForPowerResult, PretrendsAnalysisOptions, PretrendsAnalysisResult } from './pretrends.js';
export { pretrendsInputFromEventStudy } from './from-event-study.js';
export type { EventStudyForPretrends } from './from-event-study.js';
