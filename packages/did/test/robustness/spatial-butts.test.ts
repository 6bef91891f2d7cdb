import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { ringColumns, spatialDid, spatialRings } from '../../src/robustness/spatial.js';

// Units on the equator (1 degree of longitude = 111.19 km): A treated from 2, B from 3, the rest never.
// Distances (km): A-B 55.6, A-F 144.5, B-F 88.9, A-C 166.8, B-C 111.2, A-D 278.0, B-D 222.4; E is far away.
const UNITS = [
  { id: 'A', lon: 0, g: 2 },
  { id: 'B', lon: 0.5, g: 3 },
  { id: 'C', lon: 1.5, g: 0 },
  { id: 'D', lon: 2.5, g: 0 },
  { id: 'E', lon: 10, g: 0 },
  { id: 'F', lon: 1.3, g: 0 },
];
const RINGS = ['ring_0_100', 'ring_100_200', 'ring_200_300'] as const;
const TRUE = { treat: -0.5, ring_0_100: 0.3, ring_100_200: 0.2, ring_200_300: 0.1 };

function map(): PanelFrame {
  const rows = UNITS.flatMap((u, i) =>
    [1, 2, 3, 4].map((t) => ({ id: u.id, t, lat: 0, lon: u.lon, cohort: u.g, alpha: i * 0.7 - 1, lambda: 0.25 * t * t })),
  );
  return PanelFrame.fromRows(rows, { unit: 'id', time: 't' });
}
const OPTS = { treatment: { cohort: 'cohort' }, lat: 'lat', lon: 'lon', edgesKm: [0, 100, 200, 300] } as const;

/** Ring on per unit and period, as 'unit@t:ring' keys. */
function onSet(frame: PanelFrame, mode: 'any' | 'nearest' | 'butts'): string[] {
  const cols = ringColumns(frame, { ...OPTS, mode });
  const ids = frame.values('id') as string[];
  const t = frame.numeric('t');
  const out: string[] = [];
  for (let r = 0; r < frame.nrows; r++) for (const k of RINGS) if (cols[k]![r] === 1) out.push(`${ids[r]}@${t[r]}:${k}`);
  return out.sort();
}

describe("spatial rings, Butts's main specification (mode 'butts')", () => {
  const frame = map();

  it('rings by the nearest already-treated unit, mutually exclusive, off for treated rows (hand-computed map)', () => {
    const want = [
      // t = 2: only A is treated
      'B@2:ring_0_100', 'F@2:ring_100_200', 'C@2:ring_100_200', 'D@2:ring_200_300',
      // t = 3, 4: A and B treated; the nearest is B for C, D and F; A and B themselves are off
      ...[3, 4].flatMap((t) => [`C@${t}:ring_100_200`, `D@${t}:ring_200_300`, `F@${t}:ring_0_100`]),
    ].sort();
    expect(onSet(frame, 'butts')).toEqual(want);
    const cols = ringColumns(frame, { ...OPTS, mode: 'butts' });
    const cohort = frame.numeric('cohort');
    const t = frame.numeric('t');
    for (let r = 0; r < frame.nrows; r++) {
      const sum = RINGS.reduce((s, k) => s + cols[k]![r]!, 0);
      expect(sum).toBeLessThanOrEqual(1);
      if (cohort[r]! > 0 && t[r]! >= cohort[r]!) expect(sum, `row ${r}`).toBe(0);
    }
  });

  it("differs from 'nearest' only on treated rows, and from 'any' by exclusivity", () => {
    const butts = new Set(onSet(frame, 'butts'));
    const nearest = onSet(frame, 'nearest');
    // 'nearest' also switches rings on for treated rows: from t = 3 A and B (both treated) are 55.6 km apart
    expect(nearest.filter((k) => !butts.has(k)).sort()).toEqual(['A@3:ring_0_100', 'A@4:ring_0_100', 'B@3:ring_0_100', 'B@4:ring_0_100']);
    expect([...butts].every((k) => nearest.includes(k))).toBe(true);
    // 'any' keeps F in both of its rings at t = 3 (A at 144.5 km, B at 88.9 km)
    const any = onSet(frame, 'any');
    expect(any).toEqual(expect.arrayContaining(['F@3:ring_0_100', 'F@3:ring_100_200']));
    expect(butts.has('F@3:ring_100_200')).toBe(false);
    expect(spatialRings(frame, { ...OPTS, mode: 'butts' }).spec.mode).toBe('butts');
  });

  it('spatialDid recovers the direct effect and the untreated spillovers exactly on a noiseless outcome', () => {
    const cols = ringColumns(frame, { ...OPTS, mode: 'butts' });
    const cohort = frame.numeric('cohort');
    const t = frame.numeric('t');
    const a = frame.numeric('alpha');
    const l = frame.numeric('lambda');
    const y = Float64Array.from({ length: frame.nrows }, (_, r) => {
      const d = cohort[r]! > 0 && t[r]! >= cohort[r]! ? 1 : 0;
      return a[r]! + l[r]! + TRUE.treat * d + RINGS.reduce((s, k) => s + TRUE[k] * cols[k]![r]!, 0);
    });
    const r = spatialDid(frame.withColumns({ y }), { ...OPTS, mode: 'butts', outcome: 'y' });
    expect(r.spec.mode).toBe('butts');
    expect(r.coefs.map((c) => c.term)).toEqual(['treat', ...RINGS]);
    r.coefs.forEach((c) => expect(Math.abs(c.estimate - TRUE[c.term as keyof typeof TRUE]), c.term).toBeLessThan(1e-10));
    expect(() => spatialDid(frame.withColumns({ y }), { ...OPTS, mode: 'butts', outcome: 'y', splitByOwnTreatment: true })).toThrow(/splitByOwnTreatment/);
  });
});
