import { CITY_ATTRIBUTES, MECHANISMS, SEED000_CONTROLS, SEED000_OUTCOMES, TREATMENT } from '@panel-lab/datasets';
import type { RunSpecInput } from './spec.js';

/** Seed 000's robustness and extension tables (Tables 8-10, 12-14; Figs 8-10). */
export function seed000RobustnessAnalyses(o: { quick: boolean }): RunSpecInput['analyses'] {
  const cohort = TREATMENT.bigdataYear;
  const controls = [...SEED000_CONTROLS];
  const main = ['ln_co2_total', 'ln_co2_elec'];
  return [
    {
      id: 't8-psm',
      estimator: 'psm_did',
      title: 'Seed 000 Fig. 8, Table 8 cols 1/4: PSM-DID',
      outcomes: main,
      cohort,
      covariates: controls,
      controls,
      caption: 'Seed 000, Table 8 cols 1/4',
    },
    {
      id: 't8-policies',
      estimator: 'policy_robustness',
      title: 'Seed 000 Table 8 cols 2-3/5-6: alternative timing and other policies',
      outcomes: main,
      cohort,
      controls,
      otherPolicies: [
        { name: 'Broadband China', yearColumn: TREATMENT.broadbandYear },
        { name: 'clean-energy province', yearColumn: TREATMENT.cleanEnergyYear },
      ],
      uniformYear: 2016,
      caption: 'Seed 000, Table 8: other policies as controls and both batches coded from 2016',
    },
    {
      id: 't9-dcdh-stacked',
      estimator: 'dcdh_stacked',
      title: "Seed 000 Table 9, Figs 9-10: de Chaisemartin-D'Haultfoeuille and stacked DID",
      outcomes: main,
      cohort,
      treatment: TREATMENT.bigdataTreated,
      figure: 'Seed 000, Figs 9-10',
    },
    {
      id: 't10-spatial',
      estimator: 'spatial_did',
      title: 'Seed 000 Table 10: spatial spillovers (two-stage DID with distance rings)',
      outcomes: [...SEED000_OUTCOMES.slice(0, 2), 'ln_co2_elec_ind'],
      cohort,
      lat: CITY_ATTRIBUTES.lat,
      lon: CITY_ATTRIBUTES.lon,
      conleyKm: [100, 200, 300],
      caption: 'Seed 000, Table 10',
    },
    {
      id: 't12-heterogeneity',
      estimator: 'heterogeneity',
      title: 'Seed 000 Tables 12-13: heterogeneity by pilot type, innovation and economic level',
      outcomes: main,
      cohort,
      controls,
      interactions: [
        { name: 'innovation', column: TREATMENT.innovHigh },
        { name: 'economic level', column: TREATMENT.ecoHigh },
      ],
      subgroupColumn: TREATMENT.pilotType,
      caption: 'Seed 000, Tables 12-13',
    },
    {
      id: 't14-mechanisms',
      estimator: 'mechanism',
      title: 'Seed 000 Table 14: mechanisms',
      outcomes: ['ln_co2_elec'],
      cohort,
      mediators: [...MECHANISMS],
      controls,
      bootstrap: o.quick ? 99 : 1000,
      caption: 'Seed 000, Table 14',
    },
    {
      id: 'x-two-stage',
      estimator: 'two_stage',
      title: 'Beyond the seed: two-stage DID and imputation',
      outcomes: main,
      cohort,
      caption: 'Heterogeneity-robust check',
    },
  ];
}
