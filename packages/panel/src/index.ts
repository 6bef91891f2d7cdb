export { PanelError } from './errors.js';
export { PanelFrame, factorizeNumbers, factorizeStrings } from './frame.js';
export type { Codes, ColumnInput, PanelSchema } from './frame.js';
