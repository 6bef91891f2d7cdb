import { describe, expect, it } from 'vitest';
import { createRng } from '@panel-lab/compute';
import { generateChinaPanel, MECHANISMS, SEED000_CONTROLS } from '@panel-lab/datasets';
import { feols, modelSpec } from '@panel-lab/regression';
import { unitBootstrap } from '@panel-lab/resample';
import { mechanismTest } from '../../src/robustness/mechanism.js';
import { treatmentSetup } from '../../src/treatment.js';

const panel = generateChinaPanel({ seed: 5, cities: 150, years: 7 });
const frame = panel.frame;
const controls = SEED000_CONTROLS.slice(0, 4);
const setup = treatmentSetup(frame, { cohort: 'bigdata_year' });
const m = MECHANISMS[0]!;
const data = frame.withColumns({ D: setup.treated });

/** The definition: resample units, give each copy its own FE level, refit feols on the copy. */
function rowCopyDraws(draws: number, seed: number): { a: number[]; b: number[] } {
  const rowsOf: number[][] = Array.from({ length: setup.nUnits }, () => []);
  setup.rowUnit.forEach((u, r) => rowsOf[u]!.push(r));
  const rng = createRng(seed);
  const a: number[] = [];
  const b: number[] = [];
  for (let d = 0; d < draws; d++) {
    const rows: number[] = [];
    const ids: number[] = [];
    for (let k = 0; k < setup.nUnits; k++) for (const r of rowsOf[rng.int(0, setup.nUnits - 1)]!) (rows.push(r), ids.push(k));
    const copy = data.takeRows(Int32Array.from(rows)).withColumns({ boot_unit_: Float64Array.from(ids) });
    const fe = ['boot_unit_', frame.schema.time];
    const fa = feols(modelSpec({ lhs: m, terms: ['D', ...controls], fixef: fe }), copy);
    const fb = feols(modelSpec({ lhs: 'ln_co2_elec', terms: [m, ...controls], fixef: fe }), copy);
    a.push(fa.coefficients[fa.coefNames.indexOf('D')]!);
    b.push(fb.coefficients[fb.coefNames.indexOf(m)]!);
  }
  return { a, b };
}

const design = () => {
  const time = frame.codes(frame.schema.time);
  return { unit: setup.rowUnit, nUnits: setup.nUnits, time: time.codes, nTimes: time.levels.length };
};

describe('unit-cluster bootstrap as frequency-weighted regressions', () => {
  it('gives the coefficients of refitting feols on row copies with one FE per drawn unit', () => {
    const ref = rowCopyDraws(6, 42);
    const boot = unitBootstrap({
      design: design(),
      regressions: [
        { label: 'a', lhs: frame.numeric(m), rhs: [setup.treated, ...controls.map((c) => frame.numeric(c))], rhsNames: ['D', ...controls] },
        { label: 'b', lhs: frame.numeric('ln_co2_elec'), rhs: [frame.numeric(m), ...controls.map((c) => frame.numeric(c))], rhsNames: [m, ...controls] },
      ],
      keep: [['D'], [m]],
      draws: 6,
      seed: 42,
      block: 4, // crosses a block boundary: draws must not depend on the block size
    });
    for (let d = 0; d < 6; d++) {
      expect(boot.coefficients[0]![0]![d]).toBeCloseTo(ref.a[d]!, 10);
      expect(boot.coefficients[1]![0]![d]).toBeCloseTo(ref.b[d]!, 10);
    }
    expect(boot.failures.count).toBe(0);
    expect(boot.nobs[0]).toBe(frame.nrows);
  });

  it('reports a draw whose kept regressor is collinear, with its reason, instead of dropping it silently', () => {
    const never = new Float64Array(frame.nrows); // D = 0 everywhere: collinear with the FE in every draw
    const boot = unitBootstrap({
      design: design(),
      regressions: [{ label: 'step 2', lhs: frame.numeric(m), rhs: [never], rhsNames: ['D'] }],
      keep: [['D']],
      draws: 7,
      seed: 1,
    });
    expect(boot.failures.count).toBe(7);
    expect(boot.failures.messages[0]).toMatch(/draw 0: step 2: 'D' collinear/);
    expect(boot.failures.messages).toHaveLength(5);
    expect([...boot.coefficients[0]![0]!].every(Number.isNaN)).toBe(true);
  });

  it('mechanismTest: percentile CI from the batched draws, all draws used, progress reported', () => {
    const seen: number[] = [];
    const r = mechanismTest(frame, { outcome: 'ln_co2_elec', treatment: { cohort: 'bigdata_year' }, mediators: [m], controls, bootstrap: 50, seed: 3, onProgress: (d) => seen.push(d) });
    const ci = r.mediators[0]!.bootstrapCi!;
    expect(ci.requested).toBe(50);
    expect(ci.draws + ci.failures.count).toBe(50);
    expect(ci.draws).toBeGreaterThan(45);
    expect(ci.low).toBeLessThan(ci.high);
    expect(seen.at(-1)).toBe(50);
  });

  it('holds memory flat: a draw never copies the data (20,000 draws on a block of 64)', () => {
    const before = process.memoryUsage().heapUsed;
    const boot = unitBootstrap({
      design: design(),
      regressions: [{ label: 'a', lhs: frame.numeric(m), rhs: [setup.treated], rhsNames: ['D'] }],
      keep: [['D']],
      draws: 20_000,
      seed: 9,
    });
    expect(boot.failures.count).toBeLessThan(200); // draws without a treated unit, each reported
    // the result is 20,000 doubles; anything near a copy per draw would be gigabytes
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 2 ** 20);
  });
});
