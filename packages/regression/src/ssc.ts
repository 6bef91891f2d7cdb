/**
 * Small-sample correction as its own value (fixest `ssc()`), defaulting to fixest 0.14's:
 * K.adj = TRUE, K.fixef = "nonnested", G.adj = TRUE, G.df = "min", t.df = "min".
 */
export interface Ssc {
  /** Multiply by (n - 1) / (n - K). */
  readonly kAdj: boolean;
  /** Which FE parameters count in K: all, none, or all but those nested in a cluster variable. */
  readonly kFixef: 'nonnested' | 'full' | 'none';
  /** Multiply clustered vcovs by G / (G - 1) (and hetero by n / (n - 1)). */
  readonly gAdj: boolean;
  /** Multi-way clustering: one G / (G - 1) with the smallest G ('min') or one per term ('conventional'). */
  readonly gDf: 'min' | 'conventional';
  /** t reference df: G_min - 1 when clustered ('min'), n - K ('conventional'), or a fixed number. */
  readonly tDf: 'min' | 'conventional' | number;
}

export const DEFAULT_SSC: Ssc = Object.freeze({ kAdj: true, kFixef: 'nonnested', gAdj: true, gDf: 'min', tDf: 'min' });

const SSC_KEYS = ['kAdj', 'kFixef', 'gAdj', 'gDf', 'tDf'] as const;

/** Validates a partial ssc and fills in fixest's defaults. */
export function makeSsc(partial: Partial<Ssc> = {}): Ssc {
  for (const key of Object.keys(partial)) {
    if (!(SSC_KEYS as readonly string[]).includes(key)) {
      throw new Error(`ssc: unknown option '${key}'; allowed: ${SSC_KEYS.join(', ')}`);
    }
  }
  const s = { ...DEFAULT_SSC, ...partial };
  if (typeof s.kAdj !== 'boolean') throw new Error('ssc: option kAdj must be a boolean');
  if (typeof s.gAdj !== 'boolean') throw new Error('ssc: option gAdj must be a boolean');
  if (!['nonnested', 'full', 'none'].includes(s.kFixef)) throw new Error(`ssc: option kFixef must be 'nonnested', 'full' or 'none', got '${String(s.kFixef)}'`);
  if (!['min', 'conventional'].includes(s.gDf)) throw new Error(`ssc: option gDf must be 'min' or 'conventional', got '${String(s.gDf)}'`);
  if (!(s.tDf === 'min' || s.tDf === 'conventional' || (typeof s.tDf === 'number' && s.tDf > 0))) {
    throw new Error(`ssc: option tDf must be 'min', 'conventional' or a positive number, got '${String(s.tDf)}'`);
  }
  return Object.freeze(s);
}
