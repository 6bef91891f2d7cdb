import { MECHANISMS, SEED000_CONTROLS, SEED000_OUTCOMES, TREATMENT } from '@panel-lab/datasets';
import { seed000RobustnessAnalyses } from './replication-robustness.js';
import type { RunSpecInput } from './spec.js';
import { seed002Analyses } from './replication-seed002.js';
import { baselineAdjust, eventStudyCompanions, synthdidRow } from './replication-referee.js';

export type SeedId = '000' | '002';

export interface ReplicationOptions {
  seeds?: readonly SeedId[];
  /** Generator seed of the synthetic panel (default 20240601). */
  dataSeed?: number;
  /** Run seed: every random step derives its own stream from it. */
  seed?: number;
  cities?: number;
  years?: number;
  /** Placebo draws (seed 000 uses 1,000). */
  placeboDraws?: number;
  /** Multiplier-bootstrap draws of Callaway-Sant'Anna's uniform bands (default 999). */
  bootstrapDraws?: number;
  /** Networks in each seed-002 bootstrap ensemble (default 100; see README, Seed 002 defaults). */
  annReplicates?: number;
  /** Smoke-test sizes: few draws, small networks. */
  quick?: boolean;
}

/** The five seed-000 emission outcomes (Table 3 columns) and the electricity split (Table 11). */
const FIVE = SEED000_OUTCOMES.slice(0, 5);
const ELEC_SPLIT = ['ln_co2_elec_ind', 'ln_co2_elec_res'];
const CONTROLS = [...SEED000_CONTROLS];
const COHORT = TREATMENT.bigdataYear;

function seed000Analyses(o: Required<Omit<ReplicationOptions, 'seeds' | 'cities' | 'years' | 'annReplicates'>>): RunSpecInput['analyses'] {
  return [
    { id: 't2-descriptives', estimator: 'describe', title: 'Seed 000 Table 2: descriptive statistics', columns: [...SEED000_OUTCOMES, TREATMENT.bigdataTreated, ...CONTROLS, ...MECHANISMS] },
    { id: 'f2-trends', estimator: 'trends', title: 'Seed 000 Figs 2-3: raw trends', outcomes: [...FIVE], cohort: COHORT, figure: 'Seed 000, Figs 2-3' },
    {
      id: 't3-twfe',
      estimator: 'twfe',
      title: 'Seed 000 Table 3: baseline TWFE DID',
      outcomes: [...FIVE],
      treatment: TREATMENT.bigdataTreated,
      controls: CONTROLS,
      caption: 'Seed 000, Table 3: effect of the big-data pilot on city CO2 (TWFE, controls, city and year FE)',
      ...baselineAdjust(o),
    },
    {
      id: 't11-electricity',
      estimator: 'twfe',
      title: 'Seed 000 Table 11: industrial vs residential electricity',
      outcomes: ELEC_SPLIT,
      treatment: TREATMENT.bigdataTreated,
      controls: CONTROLS,
      caption: 'Seed 000, Table 11: industrial and residential electricity CO2',
    },
    {
      id: 't4-cs',
      estimator: 'callaway_santanna',
      title: "Seed 000 Table 4: Callaway-Sant'Anna",
      outcomes: [...FIVE],
      cohort: COHORT,
      bootstrapDraws: o.bootstrapDraws,
      figure: "Seed 000, Table 4 (event-study view)",
    },
    { id: 't5-bacon', estimator: 'bacon', title: 'Seed 000 Tables 5-6: Goodman-Bacon decomposition', outcomes: [...FIVE], cohort: COHORT, figure: 'Seed 000, Tables 5-6' },
    {
      id: 'f4-event-study',
      estimator: 'event_study',
      title: 'Seed 000 Figs 4-5: event study',
      outcomes: [...FIVE],
      cohort: COHORT,
      controls: CONTROLS,
      window: [-4, 2],
      ref: -4,
      endpoints: 'bin',
      figure: 'Seed 000, Figs 4-5',
    },
    ...eventStudyCompanions(o),
    {
      id: 'f6-placebo',
      estimator: 'placebo',
      title: 'Seed 000 Figs 6-7: placebo tests',
      outcomes: ['ln_co2_total', 'ln_co2_elec'],
      cohort: COHORT,
      controls: CONTROLS,
      draws: o.placeboDraws,
      figure: 'Seed 000, Figs 6-7',
    },
    {
      id: 'f6-cs-placebo',
      estimator: 'cs_placebo',
      title: "Beyond the seed: placebo test for Callaway-Sant'Anna",
      outcomes: ['ln_co2_total', 'ln_co2_elec'],
      cohort: COHORT,
      draws: o.placeboDraws,
      figure: "Seed 000, Figs 6-7 analogue for Callaway-Sant'Anna",
    },
    {
      id: 't7-timing',
      estimator: 'timing_shift',
      title: 'Seed 000 Table 7: counterfactual timing',
      outcomes: [...FIVE],
      cohort: COHORT,
      controls: CONTROLS,
      caption: 'Seed 000, Table 7: adoption moved 2, 3, 4 years earlier and 1 year later',
    },
    {
      id: 'x-wild-province',
      estimator: 'wild_bootstrap',
      title: 'Beyond the seed: few-cluster inference by province',
      outcomes: ['ln_co2_total', 'ln_co2_elec'],
      treatment: TREATMENT.bigdataTreated,
      controls: CONTROLS,
      cluster: 'province',
      draws: o.quick ? 999 : 9999,
    },
  ];
}

/** The main job's spec: both seeds' analyses on the synthetic China city panel. */
export function replicationSpec(options: ReplicationOptions = {}): RunSpecInput {
  const quick = options.quick ?? false;
  const o = {
    dataSeed: options.dataSeed ?? 20240601,
    seed: options.seed ?? 20240601,
    placeboDraws: options.placeboDraws ?? (quick ? 99 : 1000),
    bootstrapDraws: options.bootstrapDraws ?? (quick ? 99 : 999),
    quick,
  };
  const seeds = options.seeds ?? ['000', '002'];
  const analyses = [
    ...(seeds.includes('000') ? [...seed000Analyses(o), ...seed000RobustnessAnalyses(o), synthdidRow()] : []),
    ...(seeds.includes('002') ? seed002Analyses({ quick, bootstrapDraws: options.annReplicates }) : []),
  ];
  return {
    name: `replication-seed-${seeds.join('-')}`,
    title: `Panel Lab replication of seed ${seeds.join(' and ')} on the synthetic China city panel`,
    seed: o.seed,
    dataset: {
      source: 'synthetic',
      seed: o.dataSeed,
      ...(options.cities !== undefined ? { cities: options.cities } : {}),
      ...(options.years !== undefined ? { years: options.years } : {}),
    },
    // The seeds interpolate isolated gaps in the controls within city (METHODS §0).
    transforms: [{ op: 'interpolate', columns: CONTROLS.filter((c) => c !== 'tertiary_share') }],
    analyses,
  };
}
