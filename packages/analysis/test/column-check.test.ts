import { describe, expect, it } from 'vitest';
import { loadMpdta } from '@panel-lab/datasets';
import { ANALYSIS_HANDLERS } from '../src/index.js';
import { checkAnalysisColumns } from '../src/column-check.js';
import { COLUMN_FIELDS, TEXT_FIELDS, columnReferences } from '../src/column-fields.js';
import { AnalysisInputError } from '../src/failure.js';
import { parseRunSpec } from '../src/spec.js';
import { replicationSpec } from '../src/replication.js';
import { loadDataset } from '../src/dataset.js';
import { applyTransforms } from '../src/transforms.js';

/** The zod type under .default() / .optional() wrappers. */
function unwrap(schema: any): any {
  let s = schema;
  while (['default', 'optional', 'nullable', 'prefault'].includes(s._zod.def.type)) s = s._zod.def.innerType;
  return s;
}

/** Names of the string-valued fields of an options schema (strings, arrays of strings, inside arrays of objects too). */
function stringFields(shape: Record<string, any>): string[] {
  return Object.entries(shape).flatMap(([key, field]) => {
    let s = unwrap(field);
    if (s._zod.def.type === 'array') s = unwrap(s._zod.def.element);
    if (s._zod.def.type === 'string') return [key];
    if (s._zod.def.type === 'object') return stringFields(s._zod.def.shape);
    return [];
  });
}

describe('column-valued options', () => {
  it('every string option of every estimator is either a known column field or a label', () => {
    const heterogeneity = ANALYSIS_HANDLERS.find((h) => h.estimator === 'heterogeneity')!;
    expect(stringFields(heterogeneity.options.shape)).toEqual(expect.arrayContaining(['outcomes', 'cohort', 'column', 'subgroupColumn', 'caption']));
    for (const handler of ANALYSIS_HANDLERS) {
      for (const key of stringFields(handler.options.shape)) {
        expect(key in COLUMN_FIELDS || TEXT_FIELDS.includes(key), `${handler.estimator}.${key}: add it to COLUMN_FIELDS or TEXT_FIELDS`).toBe(true);
      }
    }
  });

  it('finds columns in lists and nested option objects, with their option path', () => {
    const refs = columnReferences({ id: 'h', outcomes: ['y1', 'y2'], cohort: 'g', interactions: [{ name: 'size', column: 'pop' }], caption: 'x' });
    expect(refs.map((r) => `${r.field}=${r.column}`)).toEqual(['outcomes[0]=y1', 'outcomes[1]=y2', 'cohort=g', 'interactions[0].column=pop']);
  });

  it('the main job names only columns the synthetic panel has', async () => {
    const spec = parseRunSpec(replicationSpec({ quick: true, cities: 30 }));
    const loaded = await loadDataset(spec.dataset);
    const { frame } = applyTransforms(loaded.frame, spec.transforms);
    for (const entry of spec.analyses) expect(() => checkAnalysisColumns(frame, entry), entry.id).not.toThrow();
  }, 60_000);
});

describe('checkAnalysisColumns on mpdta', () => {
  const check = async (options: object): Promise<string> => {
    try {
      checkAnalysisColumns(await loadMpdta(), options);
      return '';
    } catch (error) {
      expect(error).toBeInstanceOf(AnalysisInputError);
      return (error as Error).message;
    }
  };

  it('names a missing column by its role and option, suggests a near name and lists the columns', async () => {
    const message = await check({ outcomes: ['lemp', 'Lemp'], cohort: 'first.treat', controls: ['nope'] });
    expect(message).toMatch(/^outcome 'Lemp' \(outcomes\[1\]\) not found \(did you mean 'lemp'\?\); control 'nope' \(controls\[0\]\) not found; columns are: year, countyreal, lpop, lemp, first\.treat, treat$/);
  });

  it('says that a 0/1 column given as cohort looks like a treatment indicator', async () => {
    const message = await check({ outcomes: ['lemp'], cohort: 'treat' });
    expect(message).toMatch(/cohort 'treat' \(cohort\) holds only 0 and 1, so it looks like a 0\/1 treatment indicator; a cohort column holds each unit's first treated period/);
    expect(message).not.toMatch(/Infinity/);
  });

  it('says that a column of first treated periods given as treatment looks like a cohort column', async () => {
    expect(await check({ outcomes: ['lemp'], treatment: 'first.treat' })).toMatch(/treatment 'first\.treat' \(treatment\) holds first treated periods \(2004, 2006, 2007\), so it looks like a cohort column/);
    expect(await check({ outcomes: ['lemp'], cohort: 'first.treat', controls: ['treat'] })).toBe('');
  });

  it('says that a 0/1 treatment fixed within every unit looks like an ever-treated dummy', async () => {
    expect(await check({ outcomes: ['lemp'], treatment: 'treat' })).toMatch(/treatment 'treat' \(treatment\) never changes within a unit, so it looks like an ever-treated group dummy/);
  });
});
