/**
 * The declarative variance-estimator registry (fixest vcov_setup): each entry names its aliases,
 * label, required variables, allowed options and kernel. Adding an estimator = adding an entry.
 */
import type { Ssc } from './ssc.js';
import { vcovCluster, vcovHetero, vcovIid } from './vcov-kernels.js';

/** What users pass: a name or alias, or an object naming cluster variables. */
export type VcovSpec =
  | 'iid'
  | 'hetero'
  | 'HC1'
  | 'cluster'
  | 'twoway'
  | string
  | { readonly cluster: string | readonly string[] }
  | { readonly type: string; readonly cluster?: string | readonly string[] };

/** Validated form stored in results. */
export interface NormalizedVcov {
  readonly type: 'iid' | 'hetero' | 'cluster';
  readonly cluster: readonly string[];
}

/** Everything a kernel needs, from the fit. */
export interface VcovInputs {
  readonly bread: Float64Array;
  readonly scores: readonly Float64Array[];
  readonly ssr: number;
  readonly n: number;
  /** Cluster codes (0..G-1) over the estimation sample, one per cluster variable. */
  readonly clusters: readonly Int32Array[];
  readonly ssc: Ssc;
}

export interface VcovRaw {
  readonly vcov: Float64Array;
  readonly nClusters?: readonly number[];
  readonly gMin?: number;
}

export interface VcovEntry {
  readonly name: NormalizedVcov['type'];
  readonly aliases: readonly string[];
  readonly label: string;
  readonly requiredVars: { readonly min: number; readonly max: number };
  readonly allowedOptions: readonly string[];
  /** Whether FE nested in the variables are left out of K under ssc kFixef = 'nonnested'. */
  readonly removesNested: boolean;
  readonly kernel: (x: VcovInputs) => VcovRaw;
}

export const VCOV_REGISTRY: readonly VcovEntry[] = Object.freeze([
  {
    name: 'iid',
    aliases: ['iid', 'standard', 'normal'],
    label: 'IID',
    requiredVars: { min: 0, max: 0 },
    allowedOptions: ['type'],
    removesNested: false,
    kernel: (x) => ({ vcov: vcovIid({ bread: x.bread, ssr: x.ssr, n: x.n }) }),
  },
  {
    name: 'hetero',
    aliases: ['hetero', 'white', 'hc1', 'HC1', 'heteroskedastic'],
    label: 'Heteroskedasticity-robust',
    requiredVars: { min: 0, max: 0 },
    allowedOptions: ['type'],
    removesNested: false,
    kernel: (x) => ({ vcov: vcovHetero({ bread: x.bread, scores: x.scores, gAdj: x.ssc.gAdj }) }),
  },
  {
    name: 'cluster',
    aliases: ['cluster', 'CR1', 'CRV1', 'cr1', 'crv1', 'twoway'],
    label: 'Clustered',
    requiredVars: { min: 1, max: 2 },
    allowedOptions: ['type', 'cluster'],
    removesNested: true,
    kernel: (x) => vcovCluster({ bread: x.bread, scores: x.scores, clusters: x.clusters, gAdj: x.ssc.gAdj, gDf: x.ssc.gDf }),
  },
] satisfies VcovEntry[]);

export function vcovEntry(type: NormalizedVcov['type']): VcovEntry {
  return VCOV_REGISTRY.find((e) => e.name === type)!;
}

function lookup(name: string): VcovEntry {
  const entry = VCOV_REGISTRY.find((e) => e.aliases.includes(name) || e.aliases.includes(name.toLowerCase()));
  if (!entry) {
    throw new Error(`vcov: unknown type '${name}'; known: ${VCOV_REGISTRY.flatMap((e) => e.aliases).join(', ')}`);
  }
  return entry;
}

/**
 * Validates a VcovSpec. `'cluster'` alone clusters by the first FE and `'twoway'` by the first
 * two, as fixest guesses; both need the model's FE names.
 */
export function normalizeVcov(spec: VcovSpec, fixefNames: readonly string[]): NormalizedVcov {
  let entry: VcovEntry;
  let vars: string[] = [];
  if (typeof spec === 'string') {
    entry = lookup(spec);
    if (entry.name === 'cluster') {
      const need = spec === 'twoway' ? 2 : 1;
      if (fixefNames.length < need) throw new Error(`vcov: '${spec}' without cluster variables needs ${need} fixed effect(s) to cluster on; give { cluster: [...] }`);
      vars = fixefNames.slice(0, need);
    }
  } else if (spec && typeof spec === 'object') {
    const type = 'type' in spec ? spec.type : 'cluster';
    entry = lookup(type);
    for (const key of Object.keys(spec)) {
      if (!entry.allowedOptions.includes(key)) {
        throw new Error(`vcov: option '${key}' is not allowed for '${entry.name}'; allowed: ${entry.allowedOptions.join(', ')}`);
      }
    }
    const c = spec.cluster;
    vars = c === undefined ? [] : typeof c === 'string' ? [c] : [...c];
  } else {
    throw new Error(`vcov: expected a name or { cluster: [...] }, got ${JSON.stringify(spec)}`);
  }
  const { min, max } = entry.requiredVars;
  if (vars.length < min || vars.length > max) {
    throw new Error(`vcov: '${entry.name}' takes ${min === max ? min : `${min} to ${max}`} variable(s), got ${vars.length}${vars.length ? ` (${vars.join(', ')})` : ''}`);
  }
  return Object.freeze({ type: entry.name, cluster: Object.freeze(vars) });
}

export function vcovLabel(v: NormalizedVcov): string {
  const entry = vcovEntry(v.type);
  return v.cluster.length ? `${entry.label} (${v.cluster.join(' & ')})` : entry.label;
}
