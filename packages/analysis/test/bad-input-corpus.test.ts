// The bad-input corpus at the library level (issue 17): each hostile or broken panel a tenant can
// send, written by the test itself, must give an error naming the column / field at fault, or a
// correct result; never a run that "succeeds" with NaN or with a requested regressor silently gone.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpec, type RunResult } from '../src/index.js';

type Row = Record<string, any>;
type Json = Record<string, any>;

/** A seeded 0..1 stream (mulberry32), so every fixture is the same on every run. */
function stream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const YEARS = [2001, 2002, 2003, 2004, 2005, 2006];
const TRUE_EFFECT = 0.5;

/** 30 units x 6 years; cohorts 2003 (8 units), 2005 (8 units), never (14 units); y = a_i + b_t + 0.5 D + x1 + noise. */
function basePanel(seed = 7): Row[] {
  const u = stream(seed);
  const rows: Row[] = [];
  for (let i = 1; i <= 30; i++) {
    const g = i <= 8 ? 2003 : i <= 16 ? 2005 : 0;
    const a = u();
    for (const t of YEARS) {
      const d = g > 0 && t >= g ? 1 : 0;
      const x1 = u();
      const x2 = u();
      rows.push({ id: i, year: t, g, d, x1, x2, y: a + 0.1 * (t - 2000) + TRUE_EFFECT * d + x1 + 0.2 * (u() - 0.5) });
    }
  }
  return rows;
}

function toCsv(rows: Row[], columns = Object.keys(rows[0]!)): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => String(r[c] ?? '')).join(','))].join('\n') + '\n';
}

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'panel-lab-corpus-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TWFE = { id: 'twfe', estimator: 'twfe', outcomes: ['y'], treatment: 'd', controls: ['x1'] };
const ES = { id: 'es', estimator: 'event_study', outcomes: ['y'], cohort: 'g' };
const CS = { id: 'cs', estimator: 'callaway_santanna', outcomes: ['y'], cohort: 'g' };

/** Writes the file and runs the spec; returns the run, or the error that stopped it. */
async function run(content: string | Uint8Array, analyses: object[], dataset: Json = {}, ext = 'csv'): Promise<{ run?: RunResult; error?: Error }> {
  const path = join(dir, `case-${++n}.${ext}`);
  await writeFile(path, content);
  try {
    return { run: await runSpec({ dataset: { source: 'file', path, unit: 'id', time: 'year', ...dataset }, analyses }) };
  } catch (error) {
    return { error: error as Error };
  }
}

/** The case fails as a whole (reader) or in every analysis, with a message matching `pattern`, and no server path. */
function expectRejected(out: { run?: RunResult; error?: Error }, pattern: RegExp): void {
  const messages = out.error ? [out.error.message] : out.run!.analyses.map((a) => (a.status === 'failed' ? (a.results as Json).failure.message : 'SUCCEEDED'));
  for (const m of messages) {
    expect(m, messages.join(' | ')).toMatch(pattern);
    // Messages may name the spec's own file, never another path of the server.
    const withoutSpecPaths = m.split(/\S*case-\d+\.\w+/).join('');
    expect(withoutSpecPaths).not.toContain(dir);
    expect(withoutSpecPaths).not.toContain(tmpdir());
  }
}

/** Every analysis succeeded and every number in its results is finite (or an explicit null). */
function expectFiniteSuccess(out: { run?: RunResult; error?: Error }): RunResult {
  expect(out.error?.message).toBeUndefined();
  const r = out.run!;
  for (const a of r.analyses) {
    expect(a.status, JSON.stringify((a.results as Json).failure)).toBe('ok');
    // the Monte Carlo interval of a uniform-band critical value is undefined (NaN) for one estimate: not an estimate
    for (const [path, v] of numbersIn(a.results, a.id)) if (!path.includes('critValMcInterval')) expect(Number.isFinite(v), `${path} = ${v}`).toBe(true);
  }
  return r;
}

/** Every number in a result with its path (typed arrays included). */
function numbersIn(value: unknown, path: string): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v, i) => [`${path}[${i}]`, Number(v)]);
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

function twfeCoef(r: RunResult, term = 'd'): Json | undefined {
  const res = r.analyses.find((a) => a.id === 'twfe')!.results as Json;
  return (res.y.tidy as Json[]).find((t) => t.term === term);
}

describe('bad-input corpus: the file itself', () => {
  it('01 empty file', async () => expectRejected(await run('', [TWFE]), /empty file/));
  it('02 header but no rows', async () => expectRejected(await run('id,year,y,d\n', [TWFE]), /no data rows/));
  it('03 ragged rows', async () => expectRejected(await run('id,year,y,d\n1,2001,1,0\n1,2002,1\n', [TWFE]), /malformed CSV: row 2 has 3 fields, expected 4/));
  it('04 duplicate column name', async () => expectRejected(await run('id,year,y,y\n1,2001,1,0\n', [TWFE]), /duplicate column name 'y'/));
  it('05 empty header field', async () => expectRejected(await run('id,year,,d\n1,2001,1,0\n', [TWFE]), /header field 3 is empty/));
  it('06 unit column missing', async () => expectRejected(await run(toCsv(basePanel()), [TWFE], { unit: 'city' }), /city/));
  it('07 time column missing', async () => expectRejected(await run(toCsv(basePanel()), [TWFE], { time: 'yr' }), /yr/));
  it('08 time column holds text', async () => {
    const rows = basePanel().map((r) => ({ ...r, year: `Y${r.year}` }));
    expectRejected(await run(toCsv(rows), [TWFE]), /dataset\.time 'year'.*(must be numeric|non-numeric)/);
  });
  it('09 duplicated (unit, time) rows', async () => {
    const rows = basePanel();
    rows.push({ ...rows[3]! });
    expectRejected(await run(toCsv(rows), [TWFE]), /duplicate \(id, year\) pair.*unit 1 at year 2004/);
  });
  it('10 missing unit value', async () => {
    const rows = basePanel();
    rows[5]!.id = 'NA';
    expectRejected(await run(toCsv(rows), [TWFE]), /'id'.*missing|missing.*'id'|unit/);
  });
  it('11 missing time value', async () => {
    const rows = basePanel();
    rows[5]!.year = '';
    expectRejected(await run(toCsv(rows), [TWFE]), /year/);
  });
  it('12 byte-order mark from Excel: read as usual', async () => {
    const r = expectFiniteSuccess(await run('\ufeff' + toCsv(basePanel()), [TWFE]));
    expect(twfeCoef(r)!.estimate).toBeCloseTo(TRUE_EFFECT, 1);
  });
  it('13 CRLF line ends: read as usual', async () => {
    expectFiniteSuccess(await run(toCsv(basePanel()).replace(/\n/g, '\r\n'), [TWFE]));
  });
  it('14 quoted fields with commas in a text column', async () => {
    const rows = basePanel().map((r) => ({ ...r, name: `"City, ${r.id}"` }));
    expectFiniteSuccess(await run(toCsv(rows), [TWFE]));
  });
  it('15 non-UTF-8 bytes', async () => {
    const text = Buffer.from(toCsv(basePanel()).replace('id,year', 'id,year'), 'utf8');
    const bad = Buffer.concat([text.subarray(0, 20), Buffer.from([0xff, 0xfe, 0xc3]), text.subarray(20)]);
    expectRejected(await run(bad, [TWFE]), /UTF-8/);
  });
  it('16 a bad Parquet footer', async () => {
    expectRejected(await run(Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from('PAR1')]), [TWFE], {}, 'parquet'), /Parquet/);
  });
  it('17 garbage as Arrow IPC: a clear error, not a TypeError', async () => {
    const out = await run(Buffer.concat([Buffer.from('ARROW1\0\0'), Buffer.alloc(64, 3), Buffer.from('ARROW1')]), [TWFE], {}, 'arrow');
    expectRejected(out, /Arrow IPC/);
    expect(out.error!.message).not.toMatch(/TypeError|Cannot read properties/);
  });
  it('18 random bytes as Arrow IPC', async () => {
    const out = await run(Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37) % 256)), [TWFE], {}, 'arrow');
    expectRejected(out, /Arrow IPC/);
    expect(out.error!.message).not.toMatch(/Cannot read properties/);
  });
});

describe('bad-input corpus: non-finite and extreme numbers', () => {
  const withValue = (column: string, value: string, at: number[] = [4, 11, 20]) => {
    const rows = basePanel();
    for (const i of at) rows[i]![column] = value;
    return toCsv(rows);
  };
  it('19 Inf in the outcome: the reader names column, count and rows', async () =>
    expectRejected(await run(withValue('y', 'Inf'), [TWFE]), /column 'y' has 3 infinite value\(s\).*row\(s\) 5, 12, 21/));
  it('20 -Inf in the outcome', async () => expectRejected(await run(withValue('y', '-Inf'), [TWFE]), /column 'y' has 3 infinite/));
  it('21 1e400 (overflows to Infinity) in the outcome', async () => expectRejected(await run(withValue('y', '1e400'), [TWFE]), /column 'y' has 3 infinite.*1e400|column 'y' has 3 infinite/));
  it('22 Infinity in the treatment', async () => expectRejected(await run(withValue('d', 'Infinity', [2]), [TWFE]), /column 'd' has 1 infinite/));
  it('23 Inf in a control', async () => expectRejected(await run(withValue('x1', 'inf', [7]), [TWFE]), /column 'x1' has 1 infinite/));
  it('24 non-finite numbers treated as missing when the spec says so', async () => {
    const out = await run(withValue('y', 'Inf'), [TWFE], { nonFinite: 'missing' });
    const r = expectFiniteSuccess(out);
    expect(r.analyses[0]!.blocks.some((b: Json) => JSON.stringify(b).includes('3 observations dropped'))).toBe(true);
  });
  it('25 NaN tokens are missing values: rows dropped and counted', async () => {
    const r = expectFiniteSuccess(await run(withValue('y', 'NaN'), [TWFE]));
    expect(twfeCoef(r)!.estimate).toBeCloseTo(TRUE_EFFECT, 1);
  });
  it('26 values near the float64 limit (1e300) in the outcome: no NaN result', async () => {
    expectRejected(await run(withValue('y', '1e300', [0]), [TWFE]), /non-finite|not finite|overflow/);
  });
  it('27 a non-numeric token in a numeric column', async () => expectRejected(await run(withValue('x1', 'abc', [9]), [TWFE]), /column 'x1' is numeric but has 1 non-numeric.*row\(s\) 10 \('abc'\)/));
  it('28 a hexadecimal literal in a numeric column', async () => expectRejected(await run(withValue('x1', '0x1F', [9]), [TWFE]), /column 'x1' is numeric but has 1 non-numeric/));
  it('29 an all-missing outcome', async () => {
    const rows = basePanel().map((r) => ({ ...r, y: '' }));
    expectRejected(await run(toCsv(rows), [TWFE]), /'y'.*(entirely missing|all .* NA)/);
  });
  it('30 a constant outcome: zero effect with zero residual, never NaN', async () => {
    const rows = basePanel().map((r) => ({ ...r, y: 3 }));
    const out = await run(toCsv(rows), [TWFE]);
    expectRejected(out, /dependent variable 'y' is constant/);
  });
});

describe('bad-input corpus: time and treatment coding', () => {
  it('31 fractional years', async () => {
    const rows = basePanel().map((r, i) => ({ ...r, year: i % 6 === 2 ? Number(r.year) + 0.5 : r.year }));
    expectRejected(await run(toCsv(rows), [ES]), /time column 'year' has fractional values.*2003\.5/);
  });
  it('32 fractional cohort years', async () => {
    const rows = basePanel().map((r) => ({ ...r, g: r.g === 2003 ? 2003.5 : r.g }));
    expectRejected(await run(toCsv(rows), [ES]), /cohort 'g'.*fractional.*2003\.5/);
  });
  it('33 a treatment that switches off', async () => {
    const rows = basePanel();
    rows[5]!.d = 0; // unit 1 (cohort 2003) back to 0 in 2006
    expectRejected(await run(toCsv(rows), [TWFE]), /treatment 'd'.*switch(es)? (treatment )?off.*'1'/);
  });
  it('34 a treatment inconsistent with the cohort column', async () => {
    const rows = basePanel().map((r) => ({ ...r, d: r.id === 3 && Number(r.year) === 2003 ? 0 : r.d }));
    expectRejected(await run(toCsv(rows), [{ ...TWFE, cohort: 'g' }]), /treatment 'd'.*cohort 'g'.*unit '3'/);
  });
  it('35 treatment and cohort consistent: accepted', async () => {
    expectFiniteSuccess(await run(toCsv(basePanel()), [{ ...TWFE, cohort: 'g' }]));
  });
  it('36 a treatment holding 2', async () => {
    const rows = basePanel();
    rows[3]!.d = 2;
    expectRejected(await run(toCsv(rows), [TWFE]), /treatment 'd'/);
  });
  it('37 a cohort column given as treatment', async () => {
    const rows = basePanel().map((r) => ({ ...r, d: r.g }));
    expectRejected(await run(toCsv(rows), [TWFE]), /looks like a cohort column/);
  });
  it('38 a 0/1 dummy given as cohort', async () => {
    const rows = basePanel().map((r) => ({ ...r, g: Number(r.g) > 0 ? 1 : 0 }));
    expectRejected(await run(toCsv(rows), [ES]), /looks like a 0\/1 treatment indicator/);
  });
  it('39 an ever-treated dummy given as treatment', async () => {
    const rows = basePanel().map((r) => ({ ...r, d: Number(r.g) > 0 ? 1 : 0 }));
    expectRejected(await run(toCsv(rows), [TWFE]), /ever-treated group dummy/);
  });
  it('40 a cohort that changes within a unit', async () => {
    const rows = basePanel();
    rows[2]!.g = 2004;
    expectRejected(await run(toCsv(rows), [ES]), /cohort column 'g' is not constant within unit '1'/);
  });
  it('41 no treated units: the treatment cannot be estimated (named, not dropped silently)', async () => {
    const rows = basePanel().map((r) => ({ ...r, d: 0, g: 0 }));
    expectRejected(await run(toCsv(rows), [TWFE]), /treatment 'd'.*collinear|'d'.*no treated/);
  });
  it('42 every unit treated at once: treatment collinear with the year effects', async () => {
    const rows = basePanel().map((r) => ({ ...r, d: Number(r.year) >= 2004 ? 1 : 0, g: 2004 }));
    expectRejected(await run(toCsv(rows), [TWFE]), /treatment 'd'.*collinear with the fixed effects/);
  });
  it('43 no never-treated units: event study uses not-yet-treated units, finite', async () => {
    const rows = basePanel().map((r) => ({ ...r, g: Number(r.g) === 0 ? 2006 : r.g }));
    const out = await run(toCsv(rows), [ES]);
    if (out.run?.analyses[0]!.status === 'ok') expectFiniteSuccess(out);
    else expectRejected(out, /never-treated/);
  });
  it("44 Callaway-Sant'Anna with no never-treated units names the control group option", async () => {
    const rows = basePanel().map((r) => ({ ...r, g: Number(r.g) === 0 ? 2006 : r.g }));
    expectRejected(await run(toCsv(rows), [CS]), /no never-treated units; use controlGroup 'notyettreated'/);
  });
  it("45 an unbalanced panel whose never-treated units all have gaps: says so (not 'no never-treated units')", async () => {
    const rows = basePanel().filter((r, i) => !(Number(r.g) === 0 && i % 5 === 0));
    expectRejected(await run(toCsv(rows), [CS]), /none of the 14 never-treated unit\(s\) is observed in every period.*allowUnbalancedPanel/);
  });
  it('45b the same panel with allowUnbalancedPanel: finite estimates', async () => {
    const rows = basePanel().filter((r, i) => !(Number(r.g) === 0 && i % 5 === 0));
    expectFiniteSuccess(await run(toCsv(rows), [{ ...CS, allowUnbalancedPanel: true }]));
  });
  it('46 all units treated before the panel starts', async () => {
    const rows = basePanel().map((r) => ({ ...r, g: 1990, d: 1 }));
    expectRejected(await run(toCsv(rows), [ES]), /every unit is treated from the first period \(year 2001\) on/);
  });
  it('47 a cohort after the last period is treated as never treated, with a warning', async () => {
    const rows = basePanel().map((r) => ({ ...r, g: Number(r.g) === 2005 ? 2050 : r.g }));
    expectFiniteSuccess(await run(toCsv(rows), [CS]));
  });
  it('48 a single period', async () => {
    const rows = basePanel().filter((r) => Number(r.year) === 2004);
    expectRejected(await run(toCsv(rows), [TWFE]), /collinear|period|'d'/);
  });
});

describe('bad-input corpus: regressors', () => {
  it('49 a duplicated control is named as dropped, with the one it duplicates', async () => {
    const rows = basePanel().map((r) => ({ ...r, x3: r.x1 }));
    const r = expectFiniteSuccess(await run(toCsv(rows), [{ ...TWFE, controls: ['x1', 'x3'] }]));
    const res = r.analyses[0]!.results as Json;
    expect(res.y.collinear).toEqual([{ term: 'x3', with: ['x1'] }]);
    expect(JSON.stringify(r.analyses[0]!.blocks)).toMatch(/x3 dropped as collinear with x1/);
  });
  it('50 a control that is a linear combination of two others', async () => {
    const rows = basePanel().map((r) => ({ ...r, x3: 2 * Number(r.x1) - Number(r.x2) }));
    const r = expectFiniteSuccess(await run(toCsv(rows), [{ ...TWFE, controls: ['x1', 'x2', 'x3'] }]));
    expect((r.analyses[0]!.results as Json).y.collinear).toEqual([{ term: 'x3', with: ['x1', 'x2'] }]);
  });
  it('51 a control constant within units is absorbed by the unit effects, and named', async () => {
    const rows = basePanel().map((r) => ({ ...r, x3: Number(r.id) * 3 }));
    const r = expectFiniteSuccess(await run(toCsv(rows), [{ ...TWFE, controls: ['x1', 'x3'] }]));
    expect((r.analyses[0]!.results as Json).y.collinear).toEqual([{ term: 'x3', with: ['fixed effects'] }]);
    expect(JSON.stringify(r.analyses[0]!.blocks)).toMatch(/x3 dropped as collinear with the fixed effects/);
  });
  it('52 a control that is the treatment again', async () => {
    const rows = basePanel().map((r) => ({ ...r, x3: r.d }));
    const r = expectFiniteSuccess(await run(toCsv(rows), [{ ...TWFE, controls: ['x1', 'x3'] }]));
    expect((r.analyses[0]!.results as Json).y.collinear).toEqual([{ term: 'x3', with: ['d'] }]);
    expect(twfeCoef(r)!.estimate).toBeCloseTo(TRUE_EFFECT, 1);
  });
  it('53 a categorical outcome', async () => {
    const rows = basePanel().map((r) => ({ ...r, y: `v${r.id}` }));
    expectRejected(await run(toCsv(rows), [TWFE]), /outcome 'y' \(outcomes\[0\]\).*categorical|column 'y'/);
  });
  it('54 an outcome not in the file, with a suggestion', async () => expectRejected(await run(toCsv(basePanel()), [{ ...TWFE, outcomes: ['Y'] }]), /outcome 'Y' \(outcomes\[0\]\) not found \(did you mean 'y'\?\)/));
  it('55 a control not in the file', async () => expectRejected(await run(toCsv(basePanel()), [{ ...TWFE, controls: ['x9'] }]), /control 'x9' \(controls\[0\]\) not found/));
  it('56 a cluster column not in the file', async () => expectRejected(await run(toCsv(basePanel()), [{ ...TWFE, cluster: 'prov' }]), /cluster column 'prov' \(cluster\) not found/));
  it('57 a categorical control', async () => {
    const rows = basePanel().map((r) => ({ ...r, x1: `c${Number(r.id) % 3}` }));
    expectRejected(await run(toCsv(rows), [TWFE]), /control 'x1' \(controls\[0\]\) is categorical/);
  });
  it('58 the correct result on clean data (the control case)', async () => {
    const r = expectFiniteSuccess(await run(toCsv(basePanel()), [TWFE, ES, CS]));
    expect(twfeCoef(r)!.estimate).toBeCloseTo(TRUE_EFFECT, 1);
    expect((r.analyses[0]!.results as Json).y.collinear ?? []).toEqual([]);
  });
});

describe('bad-input corpus: spec fields', () => {
  it('59 an unknown analysis field', async () => expectRejected(await run(toCsv(basePanel()), [{ ...TWFE, outcome: 'y' }]), /outcome|unrecognized|unknown/i));
  it('60 outcomes as a string, not a list', async () => expectRejected(await run(toCsv(basePanel()), [{ ...TWFE, outcomes: 'y' }]), /outcomes/));
  it('61 an unknown dataset field', async () => expectRejected(await run(toCsv(basePanel()), [TWFE], { encoding: 'latin1' }), /encoding|unrecognized/i));
  it('62 an unknown nonFinite policy', async () => expectRejected(await run(toCsv(basePanel()), [TWFE], { nonFinite: 'zero' }), /dataset\.nonFinite/));
  it('63 an event-study window that does not hold the reference period', async () =>
    expectRejected(await run(toCsv(basePanel()), [{ ...ES, window: [1, 3] }]), /ref -1 is outside the window \[1, 3\]/));
  it('64 a fractional event-study window', async () => expectRejected(await run(toCsv(basePanel()), [{ ...ES, window: [-2.5, 3] }]), /window/));
  it('65 placebo draws below the minimum', async () => expectRejected(await run(toCsv(basePanel()), [{ id: 'p', estimator: 'placebo', outcomes: ['y'], cohort: 'g', draws: 1 }]), /draws/));
  // draws past a tenant's maximum are the API's bound (apps/api/test/bad-input.e2e.test.ts): the CLI user owns the machine
  it('66 fractional placebo draws', async () => expectRejected(await run(toCsv(basePanel()), [{ id: 'p', estimator: 'placebo', outcomes: ['y'], cohort: 'g', draws: 100.5 }]), /draws/));
  it('67 an analysis id with a path in it', async () => expectRejected(await run(toCsv(basePanel()), [{ ...TWFE, id: '../../x' }]), /id/));
});
