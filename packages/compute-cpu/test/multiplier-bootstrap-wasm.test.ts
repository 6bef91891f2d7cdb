import { createRng, mat, type Mat } from '@panel-lab/compute';
import { committedWasmBytes } from '@panel-lab/testing';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { MULTIPLIER_BOOTSTRAP_WASM_BASE64 } from '../src/multiplier-bootstrap-wasm.js';
import { MULTIPLIER_TABLE_MIN_DRAWS, multiplierBootstrapImpl, multiplierBootstrapThreaded } from '../src/multiplier-bootstrap.js';

describe('multiplier-bootstrap WebAssembly bytes', () => {
  // WRITE_WASM=1 npx vitest run test/multiplier-bootstrap-wasm.test.ts rewrites them after an edit of the .wat
  it('the committed bytes are those of src/multiplier-bootstrap.wat', async () => {
    const { fresh, committed } = await committedWasmBytes(wabtInit, {
      wat: new URL('../src/multiplier-bootstrap.wat', import.meta.url),
      out: new URL('../src/multiplier-bootstrap-wasm.ts', import.meta.url),
      constName: 'MULTIPLIER_BOOTSTRAP_WASM_BASE64',
      committed: MULTIPLIER_BOOTSTRAP_WASM_BASE64,
      testFile: 'test/multiplier-bootstrap-wasm.test.ts',
    });
    expect(fresh).toBe(committed);
  });
});

/** The simplest statement of the kernel: theta*_bj = (1/n) sum_c w_bc S_cj, w from the chunk's stream. */
function reference(s: Mat, n: number, draws: number, seed: number, chunkSize: number, firstDraw = 0): Float64Array {
  const { rows: g, cols: k } = s;
  const out = new Float64Array(draws * k);
  for (let start = 0; start < draws; start += chunkSize) {
    const rng = createRng(seed).stream((firstDraw + start) / chunkSize);
    for (let b = start; b < Math.min(draws, start + chunkSize); b++) {
      const w = Float64Array.from({ length: g }, () => (rng.int(0, 1) === 0 ? -1 : 1));
      for (let j = 0; j < k; j++) {
        let acc = 0;
        for (let c = 0; c < g; c++) acc += w[c]! * s.data[j * g + c]!;
        out[j * draws + b] = acc * (1 / n); // the kernels scale by 1/n as a product
      }
    }
  }
  return out;
}

function randomMat(rows: number, cols: number, seed: number): Mat {
  const rng = createRng(seed);
  return mat(rows, cols, Float64Array.from({ length: rows * cols }, () => rng.normal() * 10 ** rng.int(-3, 3)));
}

describe('multiplierBootstrapImpl, WebAssembly SIMD Rademacher kernel', () => {
  // shapes around the kernel's blocks: 4 columns a panel, 4 draws a tile, 32 draws a block, 256 clusters a block
  const shapes = [
    { g: 1, k: 1, draws: 1, chunkSize: 1000 },
    { g: 7, k: 3, draws: 5, chunkSize: 1000 },
    { g: 300, k: 5, draws: 70, chunkSize: 1000 },
    { g: 257, k: 8, draws: 33, chunkSize: 10 },
    { g: 513, k: 9, draws: 131, chunkSize: 64 },
    { g: 1000, k: 20, draws: 99, chunkSize: 1000 },
  ];
  for (const { g, k, draws, chunkSize } of shapes) {
    it(`is bit-identical to the reference loop and to the js kernel: G ${g}, k ${k}, ${draws} draws, chunks of ${chunkSize}`, () => {
      const inf = randomMat(g, k, g + k);
      const attrs = { draws, seed: 11, weights: 'rademacher' as const, chunkSize };
      const wasm = multiplierBootstrapImpl({ inf }, attrs, 'wasm-simd');
      const js = multiplierBootstrapImpl({ inf }, attrs, 'js');
      expect(wasm.rows).toBe(draws);
      expect(wasm.cols).toBe(k);
      expect(Array.from(wasm.data)).toEqual(Array.from(js.data));
      expect(Array.from(wasm.data)).toEqual(Array.from(reference(inf, g, draws, 11, chunkSize)));
    });
  }

  it('with cluster codes and a firstDraw offset, equals the js kernel bit for bit', () => {
    const n = 600;
    const inf = randomMat(n, 6, 3);
    const clusterCodes = Int32Array.from({ length: n }, (_, i) => (i * 7) % 45);
    const attrs = { draws: 80, seed: -4, weights: 'rademacher' as const, chunkSize: 40, firstDraw: 120 };
    const wasm = multiplierBootstrapImpl({ inf, clusterCodes }, attrs, 'wasm-simd');
    const js = multiplierBootstrapImpl({ inf, clusterCodes }, attrs, 'js');
    expect(Array.from(wasm.data)).toEqual(Array.from(js.data));
    expect(multiplierBootstrapImpl({ inf, clusterCodes }, attrs).data).toEqual(wasm.data);
  });

  it('keeps signed zeros, infinities and NaN where the js kernel has them', () => {
    const inf = mat(3, 4, Float64Array.from([0, 0, 0, -0, Infinity, 1, 2, 3, Number.NaN, 1, -1, 0]));
    const attrs = { draws: 9, seed: 2, weights: 'rademacher' as const };
    const wasm = multiplierBootstrapImpl({ inf }, attrs, 'wasm-simd');
    const js = multiplierBootstrapImpl({ inf }, attrs, 'js');
    expect(Array.from(wasm.data)).toEqual(Array.from(js.data));
    wasm.data.forEach((v, i) => expect(Object.is(v, js.data[i]) || (Number.isNaN(v) && Number.isNaN(js.data[i]!))).toBe(true));
  });

  it("'auto' leaves non-Rademacher weights to the js kernel; 'wasm-simd' refuses them", () => {
    const inf = randomMat(40, 3, 5);
    const attrs = { draws: 20, seed: 1, weights: 'webb' as const };
    expect(multiplierBootstrapImpl({ inf }, attrs).data).toEqual(multiplierBootstrapImpl({ inf }, attrs, 'js').data);
    expect(() => multiplierBootstrapImpl({ inf }, attrs, 'wasm-simd')).toThrow(/Rademacher/);
  });
});

describe('multiplierBootstrapImpl, WebAssembly table kernel (blocks of eight clusters)', () => {
  /** Largest difference from the reference over the largest reference value (the table sums in another order). */
  function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
    let d = 0;
    let m = 0;
    for (let i = 0; i < b.length; i++) {
      d = Math.max(d, Math.abs(a[i]! - b[i]!));
      m = Math.max(m, Math.abs(b[i]!));
    }
    return d / m;
  }
  // around the kernel's blocks: 8 clusters a block, 64 blocks a group, 8 columns a panel, 2 blocks a step
  const shapes = [
    { g: 1, k: 1, draws: 1, chunkSize: 1000 },
    { g: 7, k: 3, draws: 5, chunkSize: 1000 },
    { g: 9, k: 8, draws: 130, chunkSize: 1000 },
    { g: 520, k: 9, draws: 131, chunkSize: 64 },
    { g: 1031, k: 17, draws: 300, chunkSize: 128 },
  ];
  for (const { g, k, draws, chunkSize } of shapes) {
    it(`equals the reference loop to rounding, same weights: G ${g}, k ${k}, ${draws} draws, chunks of ${chunkSize}`, () => {
      const inf = randomMat(g, k, g + k);
      const attrs = { draws, seed: 11, weights: 'rademacher' as const, chunkSize };
      const table = multiplierBootstrapImpl({ inf }, attrs, 'wasm-table');
      expect(table.rows).toBe(draws);
      expect(table.cols).toBe(k);
      expect(relDiff(table.data, reference(inf, g, draws, 11, chunkSize))).toBeLessThan(1e-13);
      // deterministic: the same call gives the same bits
      expect(Array.from(multiplierBootstrapImpl({ inf }, attrs, 'wasm-table').data)).toEqual(Array.from(table.data));
    });
  }

  it("'auto' takes it from MULTIPLIER_TABLE_MIN_DRAWS draws a chunk (with cluster codes and a firstDraw offset)", () => {
    const n = 900;
    const inf = randomMat(n, 6, 3);
    const clusterCodes = Int32Array.from({ length: n }, (_, i) => (i * 7) % 301);
    const attrs = { draws: 2 * MULTIPLIER_TABLE_MIN_DRAWS, seed: -4, weights: 'rademacher' as const, chunkSize: MULTIPLIER_TABLE_MIN_DRAWS, firstDraw: 3 * MULTIPLIER_TABLE_MIN_DRAWS };
    const auto = multiplierBootstrapImpl({ inf, clusterCodes }, attrs);
    expect(auto.data).toEqual(multiplierBootstrapImpl({ inf, clusterCodes }, attrs, 'wasm-table').data);
    expect(relDiff(auto.data, multiplierBootstrapImpl({ inf, clusterCodes }, attrs, 'js').data)).toBeLessThan(1e-13);
  });

  it("'auto' leaves non-finite cluster sums to the sign-flip kernel (a table would turn inf - inf into NaN); 'wasm-table' refuses them", () => {
    const inf = mat(3, 2, Float64Array.from([Infinity, 1, 2, 3, -1, 0]));
    const attrs = { draws: MULTIPLIER_TABLE_MIN_DRAWS, seed: 2, weights: 'rademacher' as const };
    expect(Array.from(multiplierBootstrapImpl({ inf }, attrs).data)).toEqual(Array.from(multiplierBootstrapImpl({ inf }, attrs, 'js').data));
    expect(() => multiplierBootstrapImpl({ inf }, attrs, 'wasm-table')).toThrow(/finite cluster sums/);
  });
});

describe('multiplierBootstrapThreaded', () => {
  it('splits the panels over worker threads with the same draws, bit for bit, for any thread count', async () => {
    const inf = randomMat(700, 13, 17);
    const attrs = { draws: 75, seed: 5, weights: 'rademacher' as const, chunkSize: 40 };
    const one = multiplierBootstrapImpl({ inf }, attrs, 'js');
    for (const threads of [2, 3, 4]) {
      const many = await multiplierBootstrapThreaded({ inf }, attrs, { threads, minWork: 0 });
      expect(Array.from(many.data)).toEqual(Array.from(one.data));
    }
  });

  it('runs other weights and small problems on this thread', async () => {
    const inf = randomMat(50, 5, 2);
    const webb = { draws: 30, seed: 5, weights: 'webb' as const };
    expect((await multiplierBootstrapThreaded({ inf }, webb, { threads: 2, minWork: 0 })).data).toEqual(multiplierBootstrapImpl({ inf }, webb).data);
    const rad = { draws: 30, seed: 5, weights: 'rademacher' as const };
    expect((await multiplierBootstrapThreaded({ inf }, rad, { threads: 2 })).data).toEqual(multiplierBootstrapImpl({ inf }, rad, 'js').data);
  });
});
