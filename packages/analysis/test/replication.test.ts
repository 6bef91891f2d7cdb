import { describe, expect, it } from 'vitest';
import { parseRunSpec, renderRunReport, replicationSpec, runSpec, type RunResult } from '../src/index.js';

type Row = (string | number | null)[];
type TableBlock = { kind: 'table'; id: string; table: { title: string; columns: string[]; rows: Row[]; notes?: string[] } };
type FigureBlock = { kind: 'figure'; id: string; caption: string; svg: string };
type AnyBlock = { kind: string; id?: string };

const NEW_IDS = ['x-lp-did', 'x-honest-did', 'x-synthdid'];

const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const table = (blocks: AnyBlock[], id: string): TableBlock => {
  const b = blocks.find((x) => x.id === id);
  expect(b, id).toBeDefined();
  return b as unknown as TableBlock;
};

describe('main job: what a referee asks beyond seed 000 (issue 20 item 7)', () => {
  const spec = replicationSpec({ quick: true, seeds: ['000'] });
  const ids = spec.analyses.map((a) => a.id);

  it('places LP-DiD and HonestDiD right after the Figs 4-5 event study, SDID after the robustness tables, Romano-Wolf in Table 3; each says what it adds', () => {
    const es = ids.indexOf('f4-event-study');
    expect(ids.slice(es + 1, es + 3)).toEqual(['x-lp-did', 'x-honest-did']);
    expect(ids.indexOf('x-synthdid')).toBeGreaterThan(ids.indexOf('x-two-stage'));
    const parsed = parseRunSpec(spec);
    const t3 = parsed.analyses.find((a) => a.id === 't3-twfe') as { adjust?: { method: string; draws: number }; intro?: string };
    expect(t3.adjust).toMatchObject({ method: 'romano_wolf', draws: 999 });
    for (const id of [...NEW_IDS, 't3-twfe']) expect((parsed.analyses.find((a) => a.id === id) as { intro?: string }).intro, id).toMatch(/What this adds|Multiple testing \(beyond the seed\)/);
    // the full job's heavier grids
    const full = replicationSpec({ seeds: ['000'] }).analyses;
    expect(full.find((a) => a.id === 'x-honest-did')).toMatchObject({ Mbarvec: [0, 1, 2, 3], Mvec: [0, 0.02, 0.04, 0.08], gridPoints: 200 });
    expect(full.find((a) => a.id === 't3-twfe')).toMatchObject({ adjust: { draws: 9999 } });
  });

  describe('the new blocks on the seed panel (quick sizes)', () => {
    let run: RunResult;
    const get = async (): Promise<RunResult> => {
      run ??= await runSpec({ ...spec, analyses: spec.analyses.filter((a) => [...NEW_IDS, 't3-twfe'].includes(a.id)) });
      return run;
    };
    const blocksOf = async (id: string): Promise<AnyBlock[]> => {
      const a = (await get()).analyses.find((x) => x.id === id)!;
      expect(a.status, `${id}: ${a.failure?.message ?? ''}`).toBe('ok');
      return a.blocks as unknown as AnyBlock[];
    };

    it('the report shows each intro under its section title', async () => {
      const r = await get();
      const report = renderRunReport(r);
      for (const a of r.analyses) {
        expect(a.intro, a.id).toBeTruthy();
        expect(report.markdown).toContain(a.intro!.split('\n\n')[0]!);
      }
    }, 120_000);

    it('Table 3 gets Romano-Wolf p-values: in [0, 1], never below the unadjusted ones; total and electricity stay significant', async () => {
      const rw = table(await blocksOf('t3-twfe'), 't3-twfe-adjust');
      expect(rw.table.rows.map((r) => r[0])).toEqual(['ln_co2_total', 'ln_co2_elec', 'ln_co2_heat', 'ln_co2_transport', 'ln_co2_direct']);
      for (const [, est, se, t, p, pRw, pWy, pMin] of rw.table.rows) {
        for (const v of [est, se, t]) expect(finite(v)).toBe(true);
        for (const v of [p, pRw, pWy, pMin]) {
          expect(v as number).toBeGreaterThanOrEqual(0);
          expect(v as number).toBeLessThanOrEqual(1);
        }
        expect(pRw as number).toBeGreaterThanOrEqual((p as number) - 1e-12);
      }
      for (const r of rw.table.rows.slice(0, 2)) expect(r[5] as number).toBeLessThan(0.05);
    }, 120_000);

    it('LP-DiD: a figure and a table per outcome; finite horizons -4..2, the reference at -1, negative pooled post effect', async () => {
      const blocks = await blocksOf('x-lp-did');
      for (const y of ['ln_co2_total', 'ln_co2_elec']) {
        expect((blocks.find((b) => b.id === `x-lp-did-${y}`) as FigureBlock).svg).toMatch(/<svg/);
        const rows = table(blocks, `x-lp-did-${y}-table`).table.rows;
        expect(rows.slice(0, 7).map((r) => r[0])).toEqual([-4, -3, -2, -1, 0, 1, 2]);
        for (const r of rows.filter((r) => r[0] !== -1)) for (const v of r.slice(1, 5)) expect(finite(v), `${y} ${r[0]}`).toBe(true);
        const pooled = rows.find((r) => r[0] === 'pooled post')!;
        expect(pooled[4] as number).toBeLessThan(0); // CI upper bound below 0
      }
    }, 120_000);

    it('HonestDiD: both restrictions per outcome with a figure and a table; robust CIs finite, nested around the original, widening with M', async () => {
      const blocks = await blocksOf('x-honest-did');
      for (const y of ['ln_co2_total', 'ln_co2_elec']) {
        for (const restriction of ['relative_magnitude', 'smoothness']) {
          const fig = blocks.find((b) => b.id === `x-honest-did-${y}-${restriction}`) as FigureBlock;
          expect(fig.svg).toMatch(/<svg/);
          expect(fig.caption).toMatch(/Breakdown/);
          const rows = table(blocks, `x-honest-did-${y}-${restriction}-table`).table.rows;
          const [original, ...robust] = rows;
          expect(original![3] as number).toBeLessThan(0); // the seed's effect: original CI below 0
          expect(robust.map((r) => r[0])).toEqual(restriction === 'smoothness' ? [0, 0.04] : [0, 1, 2]);
          for (const r of robust) {
            expect(finite(r[2]) && finite(r[3])).toBe(true);
            expect(r[2] as number).toBeLessThan(r[3] as number);
          }
          // a larger violation bound never narrows the robust CI (up to the theta grid step)
          const width = robust.map((r) => (r[3] as number) - (r[2] as number));
          for (let k = 1; k < width.length; k++) expect(width[k]!).toBeGreaterThan(width[k - 1]! - 0.01);
        }
      }
    }, 240_000);

    it('SDID: SDID and DID rows per cohort and overall, finite estimates and jackknife SEs, negative effects', async () => {
      const blocks = await blocksOf('x-synthdid');
      for (const y of ['ln_co2_total', 'ln_co2_elec']) {
        const t = table(blocks, `x-synthdid-${y}`).table;
        expect(t.columns).toContain('SE (jackknife)');
        const se = t.columns.indexOf('SE (jackknife)');
        expect([...new Set(t.rows.map((r) => r[0]))]).toEqual(['synthetic DID', 'DID']);
        const overall = t.rows.filter((r) => String(r[1]).startsWith('all'));
        expect(overall).toHaveLength(2);
        for (const r of t.rows) {
          expect(finite(r[2]), `${y} ${r[0]} ${r[1]}`).toBe(true);
          expect(r[2] as number).toBeLessThan(0);
          expect(r[2] as number).toBeGreaterThan(-1); // log points: a plausible size
        }
        for (const r of t.rows.filter((r) => !String(r[1]).startsWith('all'))) expect(r[se] as number).toBeGreaterThan(0);
        expect(blocks.some((b) => b.kind === 'figure' && b.id!.startsWith(`x-synthdid-${y}-`))).toBe(true);
      }
    }, 120_000);
  });
});
