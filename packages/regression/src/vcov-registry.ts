/**
 * The declarative variance-estimator registry (fixest vcov_setup): each entry names its aliases,
 * label, required variables, allowed options and kernel. Adding an estimator = adding an entry.
 */
import type { Ssc } from './ssc.js';
import { vcovConley } from './vcov-conley.js';
import { vcovConleySpaceTime } from './vcov-conley-st.js';
import { vcovCR2, vcovCR3 } from './vcov-cr.js';
import { cr2WeightedFe } from './vcov-cr-weighted-fe.js';
import { vcovDriscollKraay, vcovNeweyWest } from './vcov-hac.js';
import { vcovCluster, vcovHetero, vcovIid } from './vcov-kernels.js';
import type { VcovRaw } from './vcov-raw.js';

export type { VcovRaw } from './vcov-raw.js';

/** What users pass: a name or alias, or an object naming the type and its variables/options. */
export type VcovSpec =
  | 'iid'
  | 'hetero'
  | 'HC1'
  | 'cluster'
  | 'twoway'
  | 'NW'
  | 'DK'
  | 'CR2'
  | 'CR3'
  | string
  | { readonly cluster: string | readonly string[] }
  | (VcovOptions & {
      readonly type: string;
      readonly cluster?: string | readonly string[];
      /**
       * NW / DK: the lag (default floor(T^(1/4)), fixest's rule). Conley: the serial lag cut-off of the
       * space x time estimator (Bartlett in lags; 0 = same-period spatial only); absent = fixest's Conley.
       */
      readonly lag?: number;
    });

/** The options of the HAC and spatial estimators, as given and as stored. */
export interface VcovOptions {
  /** NW and space x time Conley: unit variable (default: the first fixed effect); time variable (default: the second). */
  readonly unit?: string;
  readonly time?: string;
  /** Conley: latitude / longitude columns in degrees (default 'lat', 'lon'), cut-off in km. */
  readonly lat?: string;
  readonly lon?: string;
  readonly cutoff?: number;
  /** Conley: 'triangular' (default, fixest) or 'spherical' (great-circle) distance. */
  readonly distance?: 'triangular' | 'spherical';
  /** Conley: 'uniform' (default, fixest) or 'bartlett' (1 - d / cutoff) weights. */
  readonly kernel?: 'uniform' | 'bartlett';
}

export type VcovType = 'iid' | 'hetero' | 'cluster' | 'NW' | 'DK' | 'CR2' | 'CR3' | 'conley';

/** Validated form stored in results (JSON-safe). Options are present only for the types using them. */
export interface NormalizedVcov extends VcovOptions {
  readonly type: VcovType;
  readonly cluster: readonly string[];
  readonly lag?: number | null;
}

/** Everything a kernel needs, from the fit. */
export interface VcovInputs {
  readonly bread: Float64Array;
  /** Scores w·e·x̃ (computed on first access). */
  readonly scores: readonly Float64Array[];
  readonly ssr: number;
  readonly n: number;
  /** Cluster codes (0..G-1) over the estimation sample, one per cluster variable. */
  readonly clusters: readonly Int32Array[];
  readonly ssc: Ssc;
  readonly spec: NormalizedVcov;
  /** Codes (level order) of a categorical variable on the sample: a FE of the fit or a column of `data`. */
  readonly codes: (name: string) => Int32Array;
  /** A numeric column on the sample (needs `data` unless read at fit time). */
  readonly numeric: (name: string) => Float64Array;
  /** The demeaned design, residuals, weights and FE structure (CR2 / CR3). */
  readonly design: {
    readonly x: readonly Float64Array[];
    readonly resid: Float64Array;
    readonly weights: Float64Array | null;
    readonly fe: readonly Int32Array[];
    readonly feSizes: readonly number[];
  };
}


export interface VcovEntry {
  readonly name: VcovType;
  readonly aliases: readonly string[];
  readonly label: string;
  readonly requiredVars: { readonly min: number; readonly max: number };
  readonly allowedOptions: readonly string[];
  /** Whether FE nested in the variables are left out of K under ssc kFixef = 'nonnested'. */
  readonly removesNested: boolean;
  /** The estimator applies its own small-sample rule: fixest's ssc (K adjustment, t df) is not applied. */
  readonly ownSsc?: boolean;
  /** Without variables, cluster on the first FE (fixest's guess for 'cluster'). */
  readonly defaultsToFirstFe?: boolean;
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
    defaultsToFirstFe: true,
    kernel: (x) => vcovCluster({ bread: x.bread, scores: x.scores, clusters: x.clusters, gAdj: x.ssc.gAdj, gDf: x.ssc.gDf }),
  },
  {
    name: 'NW',
    aliases: ['NW', 'nw', 'newey_west', 'neweywest'],
    label: 'Newey-West',
    requiredVars: { min: 0, max: 0 },
    allowedOptions: ['type', 'lag', 'unit', 'time'],
    removesNested: false,
    kernel: (x) => vcovNeweyWest({ bread: x.bread, scores: x.scores, unit: x.codes(x.spec.unit!), time: x.codes(x.spec.time!), lag: x.spec.lag ?? null, gAdj: x.ssc.gAdj }),
  },
  {
    name: 'DK',
    aliases: ['DK', 'dk', 'driscoll_kraay', 'driscollkraay'],
    label: 'Driscoll-Kraay',
    requiredVars: { min: 0, max: 0 },
    allowedOptions: ['type', 'lag', 'time'],
    removesNested: false,
    kernel: (x) => vcovDriscollKraay({ bread: x.bread, scores: x.scores, time: x.codes(x.spec.time!), lag: x.spec.lag ?? null, gAdj: x.ssc.gAdj }),
  },
  {
    name: 'CR2',
    aliases: ['CR2', 'cr2', 'bell_mccaffrey', 'BRL'],
    label: 'CR2 (Bell-McCaffrey)',
    requiredVars: { min: 1, max: 1 },
    allowedOptions: ['type', 'cluster'],
    removesNested: false,
    ownSsc: true,
    defaultsToFirstFe: true,
    kernel: (x) => {
      const { weights, fe } = x.design;
      if (weights && fe.length > 0) return cr2WeightedFe({ bread: x.bread, cluster: x.clusters[0]!, ...x.design, weights });
      return vcovCR2({ bread: x.bread, cluster: x.clusters[0]!, ...x.design });
    },
  },
  {
    name: 'CR3',
    aliases: ['CR3', 'cr3', 'jackknife'],
    label: 'CR3 (jackknife)',
    requiredVars: { min: 1, max: 1 },
    allowedOptions: ['type', 'cluster'],
    removesNested: false,
    ownSsc: true,
    defaultsToFirstFe: true,
    kernel: (x) => vcovCR3({ bread: x.bread, cluster: x.clusters[0]!, ...x.design }),
  },
  {
    name: 'conley',
    aliases: ['conley', 'Conley'],
    label: 'Conley',
    requiredVars: { min: 0, max: 0 },
    allowedOptions: ['type', 'lat', 'lon', 'cutoff', 'distance', 'kernel', 'lag', 'unit', 'time'],
    removesNested: false,
    kernel: (x) => {
      const space = {
        bread: x.bread,
        scores: x.scores,
        lat: x.numeric(x.spec.lat!),
        lon: x.numeric(x.spec.lon!),
        cutoff: x.spec.cutoff!,
        distance: x.spec.distance ?? 'triangular',
        kernel: x.spec.kernel ?? 'uniform',
      } as const;
      const lag = x.spec.lag;
      const v = lag === undefined || lag === null ? vcovConley(space) : vcovConleySpaceTime({ ...space, lag, unit: x.codes(x.spec.unit!), time: x.codes(x.spec.time!) });
      // fixest's Conley small-sample factor is n / (n - K): the (n - 1) / (n - K) of K.adj times n / (n - 1).
      if (x.ssc.kAdj) for (let m = 0; m < v.length; m++) v[m]! *= x.n / (x.n - 1);
      return { vcov: v };
    },
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

type SpecObject = Exclude<VcovSpec, string>;

function optionsOf(entry: VcovEntry, spec: SpecObject | null, fixefNames: readonly string[]): Omit<NormalizedVcov, 'type' | 'cluster'> {
  const o = (spec ?? {}) as Record<string, unknown>;
  const str = (key: string): string | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new Error(`vcov: option '${key}' must be a column name, got ${JSON.stringify(v)}`);
    return v;
  };
  if (entry.name === 'NW' || entry.name === 'DK') {
    const lag = o.lag ?? undefined;
    if (lag !== undefined && !(Number.isInteger(lag) && (lag as number) >= 1)) throw new Error(`vcov: option 'lag' must be an integer >= 1, got ${JSON.stringify(lag)}`);
    const time = str('time') ?? fixefNames[1];
    if (!time) throw new Error(`vcov: '${entry.name}' needs a time variable: give { type: '${entry.name}', time: '...' } (the default is the second fixed effect)`);
    const out: { lag: number | null; time: string; unit?: string } = { lag: (lag as number | undefined) ?? null, time };
    if (entry.name === 'NW') {
      const unit = str('unit') ?? fixefNames[0];
      if (!unit) throw new Error("vcov: 'NW' needs a unit variable: give { type: 'NW', unit: '...', time: '...' } (the defaults are the first two fixed effects)");
      if (unit === time) throw new Error(`vcov: 'NW' unit and time must differ, both are '${unit}'`);
      out.unit = unit;
    }
    return out;
  }
  if (entry.name === 'conley') {
    const cutoff = o.cutoff;
    if (typeof cutoff !== 'number' || !(cutoff > 0) || !Number.isFinite(cutoff)) throw new Error(`vcov: 'conley' needs a positive cutoff in km, got ${JSON.stringify(cutoff)}`);
    const distance = o.distance ?? 'triangular';
    if (distance !== 'triangular' && distance !== 'spherical') throw new Error(`vcov: option 'distance' must be 'triangular' or 'spherical', got ${JSON.stringify(distance)}`);
    const kernel = o.kernel ?? 'uniform';
    if (kernel !== 'uniform' && kernel !== 'bartlett') throw new Error(`vcov: option 'kernel' must be 'uniform' or 'bartlett', got ${JSON.stringify(kernel)}`);
    const space = { lat: str('lat') ?? 'lat', lon: str('lon') ?? 'lon', cutoff, distance: distance as 'triangular' | 'spherical', kernel: kernel as 'uniform' | 'bartlett' };
    const lag = o.lag ?? undefined;
    if (lag === undefined) {
      for (const key of ['unit', 'time']) if (o[key] !== undefined && o[key] !== null) throw new Error(`vcov: 'conley' option '${key}' needs 'lag' (the space x time estimator's serial lag cut-off)`);
      return space;
    }
    if (!(Number.isInteger(lag) && (lag as number) >= 0)) throw new Error(`vcov: 'conley' option 'lag' (serial lag cut-off) must be an integer >= 0, got ${JSON.stringify(lag)}`);
    const unit = str('unit') ?? fixefNames[0];
    const time = str('time') ?? fixefNames[1];
    if (!unit || !time) throw new Error("vcov: space x time 'conley' (with 'lag') needs unit and time variables: give { type: 'conley', lag, unit: '...', time: '...' } (the defaults are the first two fixed effects)");
    if (unit === time) throw new Error(`vcov: 'conley' unit and time must differ, both are '${unit}'`);
    return { ...space, lag: lag as number, unit, time };
  }
  return {};
}

/**
 * Validates a VcovSpec. `'cluster'` (and 'CR2', 'CR3') alone cluster by the first FE and
 * `'twoway'` by the first two, as fixest guesses; 'NW' takes unit and time from the first two FE
 * and 'DK' its time from the second, unless given.
 */
export function normalizeVcov(spec: VcovSpec, fixefNames: readonly string[]): NormalizedVcov {
  let entry: VcovEntry;
  let vars: string[] = [];
  let obj: SpecObject | null = null;
  if (typeof spec === 'string') {
    entry = lookup(spec);
    if (entry.defaultsToFirstFe) {
      const need = spec === 'twoway' ? 2 : 1;
      if (fixefNames.length < need) throw new Error(`vcov: '${spec}' without cluster variables needs ${need} fixed effect(s) to cluster on; give { ${entry.name === 'cluster' ? '' : `type: '${entry.name}', `}cluster: [...] }`);
      vars = fixefNames.slice(0, need);
    }
  } else if (spec && typeof spec === 'object') {
    obj = spec;
    const type = 'type' in spec ? spec.type : 'cluster';
    entry = lookup(type);
    for (const key of Object.keys(spec)) {
      const value = (spec as Record<string, unknown>)[key];
      // a normalized spec passed back carries cluster: [] (and lag: null): accept those as absent
      if ((key === 'cluster' && Array.isArray(value) && value.length === 0) || value === undefined || value === null) continue;
      if (!entry.allowedOptions.includes(key)) {
        throw new Error(`vcov: option '${key}' is not allowed for '${entry.name}'; allowed: ${entry.allowedOptions.join(', ')}`);
      }
    }
    const c = spec.cluster;
    vars = c === undefined || c === null ? [] : typeof c === 'string' ? [c] : [...c];
    if (c === undefined && entry.defaultsToFirstFe && entry.name !== 'cluster' && fixefNames.length > 0) vars = [fixefNames[0]!];
  } else {
    throw new Error(`vcov: expected a name or { cluster: [...] }, got ${JSON.stringify(spec)}`);
  }
  const { min, max } = entry.requiredVars;
  if (vars.length < min || vars.length > max) {
    throw new Error(`vcov: '${entry.name}' takes ${min === max ? min : `${min} to ${max}`} variable(s), got ${vars.length}${vars.length ? ` (${vars.join(', ')})` : ''}`);
  }
  return Object.freeze({ type: entry.name, cluster: Object.freeze(vars), ...optionsOf(entry, obj, fixefNames) });
}

export function vcovLabel(v: NormalizedVcov): string {
  const entry = vcovEntry(v.type);
  switch (v.type) {
    case 'NW':
      return `${entry.label} (${v.unit} & ${v.time}${v.lag ? `, L=${v.lag}` : ''})`;
    case 'DK':
      return `${entry.label} (${v.time}${v.lag ? `, L=${v.lag}` : ''})`;
    case 'conley':
      return `${entry.label} (${v.cutoff} km, ${v.distance}${v.kernel === 'bartlett' ? ', Bartlett' : ''}${typeof v.lag === 'number' ? `; ${v.unit} & ${v.time}, L=${v.lag}` : ''})`;
    default:
      return v.cluster.length ? `${entry.label} (${v.cluster.join(' & ')})` : entry.label;
  }
}
