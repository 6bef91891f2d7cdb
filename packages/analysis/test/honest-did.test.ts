import { describe, expect, it } from 'vitest';
import { didMultiplegtDyn, estimatesFromDidMultiplegtDyn, estimatesFromEventStudy, estimatesFromSunAbraham, eventStudy, honestDid, sunAbraham } from '@panel-lab/did';
import { loadMpdta } from '@panel-lab/datasets';
import { parseRunSpec, runSpec } from '../src/index.js';

const mpdta = { source: 'example', name: 'mpdta' } as const;

describe('honest_did analysis', () => {
  it('defaults: both restrictions, FLCI for smoothness, C-LF for relative magnitudes, first post period', () => {
    const spec = parseRunSpec({ dataset: mpdta, analyses: [{ id: 'hd', estimator: 'honest_did', outcomes: ['lemp'], cohort: 'first.treat' }] });
    expect(spec.analyses[0]).toMatchObject({ restrictions: ['relative_magnitude', 'smoothness'], smoothnessMethod: 'FLCI', relativeMagnitudeMethod: 'C-LF', target: 'first_post', gridPoints: 1000 });
  });

  it('reports the library sensitivity rows, breakdown, a figure and a table per restriction', async () => {
    const analysis = { id: 'hd', estimator: 'honest_did', outcomes: ['lemp'], cohort: 'first.treat', window: [-3, 3], Mvec: [0, 0.02], Mbarvec: [0, 1], smoothnessMethod: 'Conditional', gridPoints: 100 } as const;
    const run = await runSpec({ dataset: mpdta, analyses: [analysis] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    expect(record.blocks.map((b) => b.kind)).toEqual(['figure', 'table', 'figure', 'table']);
    const lemp = record.results.lemp as { seed: number; relative_magnitude: { rows: { lb: number; ub: number }[]; breakdown: unknown }; smoothness: { rows: { lb: number; ub: number }[] } };
    const es = eventStudy(await loadMpdta(), { outcome: 'lemp', treatment: { cohort: 'first.treat' }, window: [-3, 3], ref: -1 });
    const input = estimatesFromEventStudy(es, -1);
    expect(input.numPrePeriods).toBe(2);
    const direct = await honestDid(input, { restriction: 'relative_magnitude', grid: [0, 1], gridPoints: 100, seed: lemp.seed });
    expect(lemp.relative_magnitude.rows.map((r) => [r.lb, r.ub])).toEqual(direct.rows.map((r) => [r.lb, r.ub]));
    expect(lemp.relative_magnitude.breakdown).toEqual(direct.breakdown);
    expect(lemp.smoothness.rows).toHaveLength(2);
  }, 120_000);

  it("runs on Callaway-Sant'Anna dynamic effects (universal base), as HonestDiD's honest_did", async () => {
    const run = await runSpec({ dataset: mpdta, analyses: [{ id: 'hd', estimator: 'honest_did', source: 'callaway_santanna', outcomes: ['lemp'], cohort: 'first.treat', restrictions: ['smoothness'], smoothnessMethod: 'Conditional', Mvec: [0.01], gridPoints: 100 }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    const lemp = record.results.lemp as { source: string; input: { eventTimes: number[]; numPrePeriods: number }; smoothness: { rows: unknown[] } };
    expect(lemp.source).toBe('callaway_santanna');
    expect(lemp.input.eventTimes).toEqual([-4, -3, -2, 0, 1, 2, 3]);
    expect(lemp.smoothness.rows).toHaveLength(1);
  }, 120_000);

  it('runs on Sun-Abraham IW coefficients (the input equals estimatesFromSunAbraham) with C-F under Delta^SD', async () => {
    const run = await runSpec({ dataset: mpdta, analyses: [{ id: 'hd', estimator: 'honest_did', source: 'sun_abraham', outcomes: ['lemp'], cohort: 'first.treat', restrictions: ['smoothness'], smoothnessMethod: 'C-F', Mvec: [0.01], gridPoints: 100 }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    const lemp = record.results.lemp as { source: string; input: { betahat: number[]; eventTimes: number[] }; smoothness: { method: string; rows: { lb: number | null }[] } };
    expect(lemp.source).toBe('sun_abraham');
    const direct = estimatesFromSunAbraham(sunAbraham(await loadMpdta(), { outcome: 'lemp', treatment: { cohort: 'first.treat' } }));
    expect(lemp.input.betahat).toEqual(direct.betahat);
    expect(lemp.input.eventTimes).toEqual([-4, -3, -2, 0, 1, 2, 3]);
    expect(lemp.smoothness.method).toBe('C-F');
    expect(lemp.smoothness.rows[0]!.lb).not.toBeNull();
  }, 120_000);

  it('runs on a did2s event study (window binned, reference -1)', async () => {
    const run = await runSpec({ dataset: mpdta, analyses: [{ id: 'hd', estimator: 'honest_did', source: 'did2s', outcomes: ['lemp'], cohort: 'first.treat', window: [-3, 3], restrictions: ['relative_magnitude'], Mbarvec: [0.5], gridPoints: 100 }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    const lemp = record.results.lemp as { source: string; input: { eventTimes: number[] }; relative_magnitude: { rows: unknown[] } };
    expect(lemp.source).toBe('did2s');
    expect(lemp.input.eventTimes).toEqual([-3, -2, 0, 1, 2, 3]);
    expect(lemp.relative_magnitude.rows).toHaveLength(1);
  }, 120_000);

  it('runs on dCdH placebos and effects with their joint covariance (the input equals estimatesFromDidMultiplegtDyn)', async () => {
    const analysis = { id: 'hd', estimator: 'honest_did', source: 'did_multiplegt_dyn', outcomes: ['lemp'], cohort: 'first.treat', dcdhEffects: 3, dcdhPlacebos: 3, restrictions: ['relative_magnitude'], Mbarvec: [0, 1], gridPoints: 100 } as const;
    const run = await runSpec({ dataset: mpdta, analyses: [analysis] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('ok');
    const lemp = record.results.lemp as { source: string; input: { eventTimes: number[]; betahat: number[]; sigma: number[][] }; relative_magnitude: { rows: { lb: number; ub: number }[] } };
    expect(lemp.source).toBe('did_multiplegt_dyn');
    const direct = estimatesFromDidMultiplegtDyn(didMultiplegtDyn(await loadMpdta(), { outcome: 'lemp', treatment: { cohort: 'first.treat' }, effects: 3, placebo: 3 }));
    // mpdta identifies two placebos: event times -3, -2 before the reference -1
    expect(lemp.input.eventTimes).toEqual([-3, -2, 0, 1, 2]);
    expect(lemp.input.betahat).toEqual(direct.betahat);
    expect(lemp.input.sigma).toEqual(direct.sigma);
    expect(lemp.relative_magnitude.rows).toHaveLength(2);
  }, 120_000);

  it('dcdhEffects / dcdhPlacebos with another source are refused, naming the options', async () => {
    const run = await runSpec({ dataset: mpdta, analyses: [{ id: 'hd', estimator: 'honest_did', outcomes: ['lemp'], cohort: 'first.treat', dcdhPlacebos: 2, restrictions: ['relative_magnitude'], Mbarvec: [0], gridPoints: 100 }] });
    const record = run.analyses[0]!;
    expect(record.status).toBe('failed');
    expect(record.failure?.message).toMatch(/dcdhEffects \/ dcdhPlacebos apply to source did_multiplegt_dyn/);
  });

  it('rejects an event study whose coefficients are not consecutive around -1', async () => {
    const es = eventStudy(await loadMpdta(), { outcome: 'lemp', treatment: { cohort: 'first.treat' }, ref: -2 });
    expect(() => estimatesFromEventStudy(es, -2)).toThrow(/reference period must be -1/);
  });
});
