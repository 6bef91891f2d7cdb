import { describe, expect, it } from 'vitest';
import { ANALYSIS_HANDLERS, parseRunSpec, replicationSpec } from '../src/index.js';

const mpdta = { source: 'example', name: 'mpdta' } as const;

describe('spec defaults against the library', () => {
  it("defaults the event study's reference period to the library's -1 and its window to the observed range", () => {
    const spec = parseRunSpec({ dataset: mpdta, analyses: [{ id: 'es', estimator: 'event_study', outcomes: ['lemp'], cohort: 'first.treat' }] });
    expect(spec.analyses[0]).toMatchObject({ ref: -1, endpoints: 'bin' });
    expect(spec.analyses[0]).not.toHaveProperty('window');
  });

  it("keeps the seed's event window [-4, 2] and reference -4 in the main job, where they are set explicitly", () => {
    const es = parseRunSpec(replicationSpec({ quick: true, seeds: ['000'] })).analyses.find((a) => a.estimator === 'event_study');
    expect(es).toMatchObject({ window: [-4, 2], ref: -4 });
  });

  it('states in the schema where a spec default differs from the library', () => {
    const descriptionOf = (estimator: string, option: string) => (ANALYSIS_HANDLERS.find((h) => h.estimator === estimator)!.options.shape as Record<string, { description?: string }>)[option]!.description;
    expect(descriptionOf('callaway_santanna', 'bootstrapDraws')).toMatch(/Differs from the library: the spec bootstraps unless set to 0/);
    expect(descriptionOf('dcdh_stacked', 'effects')).toMatch(/library's didMultiplegtDyn defaults to 1/);
    expect(descriptionOf('dcdh_stacked', 'placebos')).toMatch(/library defaults to 0/);
  });
});
