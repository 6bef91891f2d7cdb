/**
 * Where each public option of the library is reached from the analysis spec. An option type is either
 * reached through handlers (an option of the same name in their schema, a renamed field, or a reason
 * why the spec leaves it out) or is not an estimator's (a building block, with the reason).
 * option-coverage.test.ts fails when the library has an option or estimator this file does not place.
 */

/** Leaving an option out of the spec needs a reason. */
type Reason = string;

export interface Reached {
  /** Spec estimators whose schema carries the options. */
  readonly handlers: readonly string[];
  /** Library option -> spec field (dotted into objects) when the names differ. */
  readonly renamed?: Readonly<Record<string, string>>;
  /** Library option -> why the spec leaves it out. */
  readonly notInSpec?: Readonly<Record<string, Reason>>;
}

export interface Internal {
  /** Not an estimator's options: why no spec field maps to them. */
  readonly internal: Reason;
}

/** Renames and omissions that hold for every option type. */
export const EVERYWHERE: { renamed: Readonly<Record<string, readonly string[]>>; notInSpec: Readonly<Record<string, Reason>> } = {
  renamed: {
    outcome: ['outcomes'], // one fit per outcome of the list
    treatment: ['cohort', 'treatment'], // TreatmentSpec { cohort } or a 0/1 column
  },
  notInSpec: {
    seed: 'derived from the run seed and the analysis id (every random step has its own stream; the results record it)',
    compute: 'the backend comes from the spec backend (or --backend)',
    onProgress: 'a callback: the runner reports progress itself',
    onEpoch: 'a callback: the runner reports progress itself',
    onGridPoint: 'a callback: the runner reports progress itself',
  },
};

const NETWORK_NOT_IN_SPEC: Readonly<Record<string, Reason>> = {
  hidden: "the seed's hidden-unit rule (METHODS §18.3) capped by maxHidden sets it",
  hiddenOffset: "part of the seed's hidden-unit rule (METHODS §18.3)",
  activation: 'tanh, as the seed (METHODS §18.2)',
  optimizer: 'Adam, as the seed (METHODS §18.2)',
  validationShare: 'early stopping holds out 15% of the cities, as documented in the analysis README',
  som: 'somMode (renamed) picks the SOM wiring; the SOM grid follows METHODS §18.4',
  engine: 'chosen from the spec backend (see the analysis README: cpu runs tfjs-wasm, tfjs its device)',
  refitSom: 'follows somMode (refitted per replicate with experts, as METHODS §18.4)',
  stackerHidden: 'stacked SOM mode only, fixed as METHODS §18.4',
  stackerInputs: 'stacked SOM mode only, fixed as METHODS §18.4',
};

export const COVERAGE: Readonly<Record<string, Reached | Internal>> = {
  // regression
  'regression:FeolsOptions': {
    handlers: ['feols', 'twfe'],
    notInSpec: { threads: "a machine's resource, not the model's: PANEL_LAB_FEOLS_THREADS sets it for the process (the service's operator decides, so no tenant's spec takes another's cores); results match to rounding" },
  },
  'regression:VcovOptions': { handlers: ['feols', 'twfe'], renamed: { unit: 'vcov.unit', time: 'vcov.time', lat: 'vcov.lat', lon: 'vcov.lon', cutoff: 'vcov.cutoff', distance: 'vcov.distance', kernel: 'vcov.kernel' } },
  'regression:DemeanOptions': { internal: "feols's demeaning step; its tol and maxIter are feols options" },
  'regression:LogitOptions': { internal: 'the propensity-score fit inside psm_did (iteration cap and tolerance fixed at glm.fit defaults)' },
  'regression:EtableOptions': { internal: 'table formatting: `panel-lab etable` (--format, --digits, --labels) and exportEtable take its place for any run' },

  // did
  'did:AttGtOptions': { handlers: ['callaway_santanna'] },
  'did:AggteOptions': {
    handlers: ['callaway_santanna'],
    notInSpec: { type: 'all four aggregations (simple, group, dynamic, calendar) are computed and written', naRm: 'always true: NA cells are dropped, counted in drops.cellsNa and explained in warnings' },
  },
  'did:CsMultipleTestingOptions': {
    handlers: ['callaway_santanna'],
    renamed: { draws: 'adjust.draws', weights: 'adjust.weights' },
    notInSpec: {
      plusOne: "the tables count p-values as the bootstrap p beside them (#/B); (# + 1)/(B + 1) is a library option",
      keepDraws: 'on for the simple ATT (its t* go to the per-draw table), off for the other aggregations',
    },
  },
  'did:MultiplierBootstrapOptions': { handlers: ['callaway_santanna'], renamed: { draws: 'bootstrapDraws', weights: 'bootstrapWeights' } },
  'did:BaconOptions': { handlers: ['bacon'] },
  'did:TwfeOptions': { handlers: ['twfe'] },
  'did:EventStudyOptions': { handlers: ['event_study'], renamed: { simultaneous: 'simultaneousDraws' } },
  'did:HonestDidOptions': {
    handlers: ['honest_did'],
    renamed: { restriction: 'restrictions', method: 'smoothnessMethod', grid: 'Mvec', lVec: 'target' },
    notInSpec: { flciQuantile: "the FLCI uses HonestDiD's simulated folded-normal quantile (R's draws), so spec results match the R package" },
  },
  'did:ConditionalOptions': { internal: 'the conditional / C-LF CIs inside honest_did (its options are the honest_did fields)' },
  'did:FlciOptions': { internal: 'the FLCI inside honest_did (its options are the honest_did fields)' },
  'did:SunAbrahamOptions': { handlers: ['sun_abraham'], renamed: { simultaneous: 'simultaneousDraws' } },
  'did:SimultaneousOptions': { handlers: ['event_study', 'sun_abraham'], renamed: { draws: 'simultaneousDraws' } },
  'did:CsPlaceboOptions': { handlers: ['cs_placebo'] },
  'did:SynthdidOptions': {
    handlers: ['synthdid'],
    notInSpec: {
      omega: 'fixed unit weights are per row of one block; the spec picks them through estimators (did: uniform) and updateOmega',
      lambda: 'fixed time weights are per pre-period of one block; the spec picks them through estimators (did: uniform, sc: zero) and updateLambda',
    },
  },
  'did:SynthdidSeOptions': {
    handlers: ['synthdid'],
    renamed: { method: 'se' },
    notInSpec: { batchSize: 'draws solved together: memory only, the draws and SEs are identical for any value' },
  },
  'did:LpDidOptions': { handlers: ['lp_did'] },
  'did:PretrendsAnalysisOptions': { handlers: ['pretrends_power'], notInSpec: { tolerance: 'root tolerance of the slope search, fixed at 1e-10 (far below the integration error)', truncatedMean: 'always computed where the bias after the pre-test needs it', reorder: 'Genz-Bretz variable reordering, off: it did not reduce the integration error on the golden; the reported error bound applies either way' } },
  'did:PretrendsOptions': { internal: 'the per-trend computation inside pretrends_power (its options are the pretrends_power fields)' },
  'did:MvnRectangleOptions': { internal: 'the multivariate normal integration inside pretrends_power (points and shifts are pretrends_power fields; truncatedMean is set per step)' },
  'did:StaggeredOptions': { handlers: ['synthdid'], renamed: { estimator: 'estimators' }, notInSpec: { options: 'flattened into the synthdid fields (SynthdidOptions)' } },
  'did:CsTimingShiftOptions': {
    handlers: ['timing_shift'],
    renamed: { covariates: 'cs.covariates', controlGroup: 'cs.controlGroup', estMethod: 'cs.estMethod', basePeriod: 'cs.basePeriod', anticipation: 'cs.anticipation', weights: 'cs.weights', panel: 'cs.panel', allowUnbalancedPanel: 'cs.allowUnbalancedPanel' },
  },
  'did:Did2sOptions': { handlers: ['two_stage'], renamed: { secondStage: 'eventStudy', inference: 'did2sInference' } },
  'did:DidImputationOptions': { handlers: ['two_stage'], renamed: { inference: 'imputationInference' } },
  'did:DidMultiplegtDynOptions': { handlers: ['dcdh_stacked'], renamed: { placebo: 'placebos' } },
  'did:DidMultiplegtOptions': { handlers: ['did_multiplegt'] },
  'did:TwowayFeWeightsOptions': { handlers: ['dcdh_stacked'] },
  'did:StackedDidOptions': { handlers: ['dcdh_stacked'], renamed: { weighted: 'stackedWeighted' }, notInSpec: { type: 'both are run: the static ATT (table) and the event study (figure)' } },
  'did:SpatialRingsOptions': { handlers: ['spatial_did'] },
  'did:SpatialDidOptions': { handlers: ['spatial_did'] },
  'did:PropensityOptions': {
    handlers: ['psm_did'],
    notInSpec: { rows: "chosen by psm_did's design (baseline period, pooled or each period)", alpha: "the score model's own intervals are not reported; psm_did's alpha sets the DID's" },
  },
  'did:MatchOptions': { handlers: ['psm_did'] },
  'did:BalanceOptions': { handlers: ['psm_did'], renamed: { denominator: 'balanceDenominator' } },
  'did:PsmDidOptions': { handlers: ['psm_did'], notInSpec: { match: 'flattened into psm_did: distance, replace, caliper, commonSupport, order, seed, emulate (MatchOptions)' } },
  'did:HeterogeneityOptions': { handlers: ['heterogeneity'], renamed: { subgroups: 'subgroupColumn' } },
  'did:MechanismOptions': { handlers: ['mechanism'] },
  'did:PolicyRobustnessOptions': { handlers: ['policy_robustness'] },

  // resample
  'resample:PlaceboOptions': { handlers: ['placebo'], notInSpec: { maxBatchValues: 'memory bound of one batch of the kernel path, not a statistical choice; the library default keeps it in bounds at any size' } },
  'resample:PlaceboChunkOptions': { internal: 'one chunk of a placebo run, for the job queue that splits placebo draws across workers' },
  'resample:WildBootstrapOptions': {
    handlers: ['wild_bootstrap'],
    notInSpec: {
      chunkSize: 'draws per batch: memory only, the draws are identical for any value',
      kernel: 'the draw kernel is picked by problem size; every choice gives the same statistics',
      algorithm: 'the per-draw algorithm is picked by problem size; every choice gives the same statistics',
    },
  },
  'resample:MultipleTestingOptions': {
    handlers: ['romano_wolf'],
    renamed: { coefficient: 'treatment' },
    notInSpec: {
      fixedEffects: 'unit and time, as the TWFE analyses it adjusts (twfe adjust reaches the same function)',
      chunkSize: 'draws per batch: memory only, the draws are identical for any value',
      keepDraws: 'always on: the t* draws go to the per-draw table',
      plusOne: "the tables count p-values as the WCR table beside them (#/B); wildrwolf's (# + 1)/(B + 1) is a library option",
    },
  },
  'resample:WildMultipleTestingOptions': {
    handlers: ['event_study'],
    renamed: { draws: 'adjust.draws', weights: 'adjust.weights' },
    notInSpec: {
      hypotheses: "built by event_study's adjust: every event-time coefficient of every outcome, the effects (e >= 0) and the leads as two families",
      fixedEffects: 'unit and time, as the event study it adjusts',
      chunkSize: 'draws per batch: memory only, the draws are identical for any value',
      keepDraws: 'off: outcomes x event times x draws would swell the results; the library returns them on request',
      plusOne: "the tables count p-values as the WCR table beside them (#/B); wildrwolf's (# + 1)/(B + 1) is a library option",
    },
  },
  'resample:MultiplierBootstrapOptions': { internal: 'the multiplier-bootstrap kernel behind did withMultiplierBootstrap (callaway_santanna bootstrapDraws / bootstrapWeights)' },
  'resample:TimingShiftOptions': { handlers: ['timing_shift'] },
  'resample:UnitBootstrapOptions': { internal: "the unit bootstrap behind mechanism's bootstrap CIs (mechanism bootstrap = its draws)" },
  'resample:DensityOptions': { internal: 'kernel density of placebo draws for the figures (R density() defaults)' },

  // ann
  'ann:FactorIndexOptions': { handlers: ['de_index_construction'] },
  'ann:EntropyIndexOptions': { handlers: ['de_index_construction'], renamed: { negative: 'entropyNegative', shift: 'entropyShift', byPeriod: 'entropyByPeriod' } },
  'ann:SomOptions': { internal: "the SOM inside the ensembles: somMode picks its wiring, its grid and training follow METHODS §18.4" },
  'ann:EnsembleOptions': { internal: 'the ensemble trainer; its options reach the spec through NetEffectOptions and AnnVsOlsOptions, which extend it' },
  'ann:NetEffectOptions': {
    handlers: ['ann_net_effect'],
    notInSpec: { ...NETWORK_NOT_IN_SPEC, trainRows: 'the bootstrap draws the training rows of each network' },
  },
  'ann:AnnVsOlsOptions': {
    handlers: ['ann_vs_ols'],
    renamed: { split: 'splits' },
    notInSpec: { ...NETWORK_NOT_IN_SPEC },
  },
};

/**
 * Exported functions that take a PanelFrame: the spec estimator that runs each, or why none does.
 * Estimators on other inputs (feols on a formula, the ANN estimators on designs) are listed too.
 */
export const ESTIMATORS: Readonly<Record<string, string | { internal: Reason }>> = {
  'regression:feols': 'feols',
  'did:attGt': 'callaway_santanna',
  'did:baconDecomposition': 'bacon',
  'did:twfeDid': 'twfe',
  'did:eventStudy': 'event_study',
  'did:sunAbraham': 'sun_abraham',
  'did:csPlacebo': 'cs_placebo',
  'did:csTimingShift': 'timing_shift',
  'did:did2s': 'two_stage',
  'did:didImputation': 'two_stage',
  'did:didMultiplegtDyn': 'dcdh_stacked',
  'did:didMultiplegt': 'did_multiplegt',
  'did:twowayFeWeights': 'dcdh_stacked',
  'did:stackedDid': 'dcdh_stacked',
  'did:spatialDid': 'spatial_did',
  'did:psmDid': 'psm_did',
  'did:heterogeneityDid': 'heterogeneity',
  'did:mechanismTest': 'mechanism',
  'did:policyRobustness': 'policy_robustness',
  'did:cohortTrends': 'trends',
  'did:synthdidStaggered': 'synthdid',
  'did:lpDid': 'lp_did',
  'did:panelMatrices': { internal: 'the block outcome matrix synthdid builds per cohort' },
  'did:treatmentSetup': { internal: 'the treatment coding every DID estimator starts from' },
  'did:spatialRings': { internal: 'the exposure rings spatial_did builds (counts in its results)' },
  'did:ringColumns': { internal: 'the ring dummies spatial_did builds' },
  'did:propensityScore': { internal: 'the score model inside psm_did (scores in its tables)' },
  'did:balanceTable': { internal: "psm_did's balance table" },
  'did:policyDummies': { internal: "policy_robustness's policy dummies" },
  'resample:placeboTest': 'placebo',
  'resample:wildClusterBootstrap': 'wild_bootstrap',
  'resample:timingShiftTest': 'timing_shift',
  'resample:romanoWolf': 'romano_wolf',
  'resample:wildMultipleTesting': 'event_study',
  'did:eventStudyDesign': { internal: "the event study's dummies and regressors (event_study fits on them; its adjust refits each dummy's null)" },
  'resample:adjustedPValues': { internal: "romano_wolf's adjustment step over the t* matrix" },
  'resample:twfeArrays': { internal: 'TWFE arrays the resampling kernels share' },
  'resample:prepareWild': { internal: "wild_bootstrap's preparation step" },
  'ann:designFromFrame': { internal: 'the design matrix the ANN analyses build' },
  'ann:subgroupFromFrame': { internal: "ann_net_effect's subgroup coding" },
  'ann:annBootstrapNetEffect': 'ann_net_effect',
  'ann:annVsOls': 'ann_vs_ols',
  'ann:factorIndex': 'de_index_construction',
  'ann:entropyIndex': 'de_index_construction',
};
