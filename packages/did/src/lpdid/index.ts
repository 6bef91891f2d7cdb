export { lpDid } from './lpdid.js';
export type { LpDidOptions, LpDidResult, LpDidEstimate } from './lpdid.js';
