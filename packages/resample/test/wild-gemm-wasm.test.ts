import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { WILD_GEMM_WASM_BASE64 } from '../src/wild-gemm-wasm.js';

const watPath = fileURLToPath(new URL('../src/wild-gemm.wat', import.meta.url));
const outPath = fileURLToPath(new URL('../src/wild-gemm-wasm.ts', import.meta.url));

async function compile(): Promise<string> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('wild-gemm.wat', readFileSync(watPath, 'utf8'), { simd: true });
  try {
    mod.validate();
    return Buffer.from(mod.toBinary({}).buffer).toString('base64');
  } finally {
    mod.destroy();
  }
}

describe('wild-gemm WebAssembly bytes', () => {
  // WRITE_WASM=1 npx vitest run test/wild-gemm-wasm.test.ts rewrites them after an edit of the .wat
  it('the committed bytes are those of src/wild-gemm.wat', async () => {
    const fresh = await compile();
    if (process.env['WRITE_WASM'] === '1' && fresh !== WILD_GEMM_WASM_BASE64) {
      writeFileSync(outPath, `// Generated from src/wild-gemm.wat by test/wild-gemm-wasm.test.ts (WRITE_WASM=1): do not edit.\nexport const WILD_GEMM_WASM_BASE64 =\n  '${fresh}';\n`);
      return;
    }
    expect(fresh).toBe(WILD_GEMM_WASM_BASE64);
  });
});
