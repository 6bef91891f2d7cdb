import { describe, expect, it } from 'vitest';
import { runSpec } from '../src/index.js';
import { seed000RobustnessAnalyses } from '../src/replication-robustness.js';

describe('robustness options reachable from the spec (issue 18 items 6 and 8)', () => {
  it("psm_did with replacement: MatchIt's weights or frequency weights, the unweighted DID, eCDF / pair-distance columns, scores and pairs", async () => {
    const base = seed000RobustnessAnalyses({ quick: true }).find((a) => a.estimator === 'psm_did')!;
    const psm = (id: string, weights: 'matchit' | 'frequency') => ({ ...base, id, outcomes: [base.outcomes[0]!], controls: [], replace: true, weights, emulate: 'matchit-4.5.1', balanceDenominator: 'treated' });
    const spatialBase = seed000RobustnessAnalyses({ quick: true }).find((a) => a.estimator === 'spatial_did')!;
    const run = await runSpec({
      dataset: { source: 'synthetic', seed: 3 },
      analyses: [psm('m', 'matchit'), psm('f', 'frequency'), { ...spatialBase, id: 'b', outcomes: ['ln_co2_elec_ind'], mode: 'butts' }],
    });
    const [m, f, b] = run.analyses;
    const didTable = (a: typeof m) => a!.blocks.find((x) => x.kind === 'table' && x.id.endsWith('-did'));
    const rowsOf = (a: typeof m) => (didTable(a) as unknown as { table: { rows: unknown[][] } }).table.rows;
    expect(rowsOf(m).map((r) => r[1])).toEqual(['treated', 'treated (unweighted)']);
    // the controls' total weight relative to the treated enters the period effects of a staggered TWFE:
    // the two weightings give different (finite) estimates, the unweighted row is the same
    expect(Number.isFinite(rowsOf(m)[0]![2] as number) && Number.isFinite(rowsOf(f)[0]![2] as number)).toBe(true);
    expect(rowsOf(m)[1]).toEqual(rowsOf(f)[1]);
    const bal = m!.blocks.find((x) => x.kind === 'table' && x.id.endsWith('-balance')) as unknown as { table: { columns: string[]; notes: string[] } };
    expect(bal.table.columns).toEqual(expect.arrayContaining(['eCDF mean (M)', 'eCDF max (M)', 'Std. Pair Dist.']));
    const res = m!.results as Record<string, { spec: { weights: string; match: { emulate: string } }; matching: { scores: unknown[]; pairs: unknown[] }[] }>;
    const first = Object.values(res)[0]!;
    expect(first.spec.weights).toBe('matchit');
    expect(first.spec.match.emulate).toBe('matchit-4.5.1');
    expect(first.matching[0]!.scores.length).toBeGreaterThan(0);
    expect(first.matching[0]!.pairs.length).toBeGreaterThan(0);
    const spatial = b!.results as Record<string, { mode: string }>;
    expect(spatial.ln_co2_elec_ind!.mode).toBe('butts');
    const notes = (b!.blocks[0] as unknown as { table: { notes: string[] } }).table.notes.join(' ');
    expect(notes).toMatch(/Butts \(2023\) main specification/);
  });
});
