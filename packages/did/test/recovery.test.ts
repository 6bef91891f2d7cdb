import { describe, expect, it } from 'vitest';
import { generateChinaPanel, TREATMENT } from '@panel-lab/datasets';
import { aggte, attGt } from '../src/index.js';

const REPS = 50;
const OUTCOME = 'ln_co2_elec_ind';

describe('recovery on the synthetic China panel', () => {
  it(`CS recovers the true ATT by cohort within its 95% CI in most of ${REPS} seeded replications`, () => {
    let covered = 0;
    let total = 0;
    const misses: string[] = [];
    for (let seed = 1; seed <= REPS; seed++) {
      // spillovers off: with the default ring spillovers (-0.05/-0.03/-0.015) the clustered Guizhou
      // cohort also gets its neighbours' effect, so CS estimates own + spillover, not the own ATT
      // the truth reports (observed coverage then 81/100; the spatial two-stage DID handles that case)
      const { frame, truth } = generateChinaPanel({ seed, effects: { spillover: [0, 0, 0] } });
      const res = attGt(frame, { outcome: OUTCOME, treatment: { cohort: TREATMENT.bigdataYear } });
      const byGroup = aggte(res, { type: 'group' });
      byGroup.egt.forEach((g, k) => {
        const want = truth.attByCohort.find((c) => c.outcome === OUTCOME && c.cohort === g)!.att;
        const est = byGroup.attEgt[k]!;
        const half = byGroup.critValEgt * byGroup.seEgt[k]!;
        total++;
        if (Math.abs(est - want) <= half) covered++;
        else misses.push(`seed ${seed} cohort ${g}: ${est.toFixed(3)} vs ${want.toFixed(3)} (+-${half.toFixed(3)})`);
      });
    }
    const coverage = covered / total;
    console.log(`CS group-ATT coverage on the synthetic China panel: ${covered}/${total} = ${(100 * coverage).toFixed(1)}%`);
    expect(total).toBe(2 * REPS);
    expect(coverage, misses.join('\n')).toBeGreaterThanOrEqual(0.85);
  }, 120_000);
});
