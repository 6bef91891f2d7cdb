import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

export const pnorm = (x: number): number => normalCdf(x, 0, 1);
