/**
 * Okabe & Ito (2008) colour-blind-safe palette, ordered for contrast on white; black is kept
 * for reference lines. Continuous surfaces use 'viridis' (perceptually uniform, CVD-safe).
 */
export const OKABE_ITO = Object.freeze([
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#F0E442', // yellow
  '#000000', // black
]);

export const REFERENCE_COLOR = '#444444';
export const SEQUENTIAL_SCHEME = 'viridis';
