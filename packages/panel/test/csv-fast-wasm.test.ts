import { committedWasmBytes } from '@panel-lab/testing';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { CSV_FAST_WASM_BASE64 } from '../src/csv-fast-wasm.js';

describe('CSV fast-path WebAssembly bytes', () => {
  // WRITE_WASM=1 npx vitest run test/csv-fast-wasm.test.ts rewrites them after an edit of the .wat
  it('the committed bytes are those of src/csv-fast.wat', async () => {
    const { fresh, committed } = await committedWasmBytes(wabtInit, {
      wat: new URL('../src/csv-fast.wat', import.meta.url),
      out: new URL('../src/csv-fast-wasm.ts', import.meta.url),
      constName: 'CSV_FAST_WASM_BASE64',
      committed: CSV_FAST_WASM_BASE64,
      testFile: 'test/csv-fast-wasm.test.ts',
    });
    expect(fresh).toBe(committed);
  });
});
