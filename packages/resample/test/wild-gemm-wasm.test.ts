import { committedWasmBytes } from '@panel-lab/testing';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { WILD_GEMM_WASM_BASE64 } from '../src/wild-gemm-wasm.js';

describe('wild-gemm WebAssembly bytes', () => {
  // WRITE_WASM=1 npx vitest run test/wild-gemm-wasm.test.ts rewrites them after an edit of the .wat
  it('the committed bytes are those of src/wild-gemm.wat', async () => {
    const { fresh, committed } = await committedWasmBytes(wabtInit, {
      wat: new URL('../src/wild-gemm.wat', import.meta.url),
      out: new URL('../src/wild-gemm-wasm.ts', import.meta.url),
      constName: 'WILD_GEMM_WASM_BASE64',
      committed: WILD_GEMM_WASM_BASE64,
      testFile: 'test/wild-gemm-wasm.test.ts',
    });
    expect(fresh).toBe(committed);
  });
});
