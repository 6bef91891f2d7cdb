/**
 * Constants of the data-generating process. Magnitudes follow Chinese prefecture-city yearbook
 * orders of size; the energy constants and the transport intensity are calibrated (by running the
 * generator, see README) so that the mean source shares of CO2 are close to seed 000's
 * 61 % electricity / 7 % heat / 28 % transport / 4 % direct energy.
 */
export const CALIBRATION = Object.freeze({
  /** ln GDP per capita (yuan) in 2011 of a prefecture-level city, and shifts. */
  lnGdpPc2011: 10.35,
  gdpPcRegionShift: Object.freeze({ east: 0.35, central: 0, northeast: 0.12, west: -0.08 } as Record<string, number>),
  gdpPcTierShift: 0.4,
  gdpPcCapitalShift: 0.3,
  /** ln population (10^4 persons) of a prefecture-level city; municipalities / sub-provincial / capitals above it. */
  lnPop: 5.85,
  popRankShift: Object.freeze({ municipality: 1.9, 'sub-provincial': 0.9, 'provincial-capital': 0.75, prefecture: 0 } as Record<string, number>),
  /** ln activity constants at ln GDP 7.3 / ln pop 6 / ln GDP pc 10.6 (units: see README). */
  lnElecIndustrial: 13.35,
  lnElecResidential: 11.75,
  lnElecOther: 12.05,
  lnHeat: 7.33,
  lnPassenger: 4.55,
  lnFreight: 6.2,
  lnTownGas: 9.61,
  lnLpg: 12.06,
  lnNaturalGas: 9.9,
  /** Northern district heating: cities north of this latitude heat; a few southern ones do too. */
  heatingLatitude: 33.5,
  southernHeatShare: 0.08,
  /** Calibrated transport energy intensities (kgce per tonne-km; a passenger-km counts 0.1 tonne-km). */
  transportKgcePerTkm: 0.0337,
  transportLambda: 0.1,
});

/** Calibration targets (seed 000, emission_coefficients.csv): mean source shares over city-years. */
export const SHARE_TARGETS = Object.freeze({ electricity: 0.61, heat: 0.07, transport: 0.28, direct: 0.04 });
