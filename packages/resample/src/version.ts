export const RESAMPLE_VERSION = '0.1.0';
