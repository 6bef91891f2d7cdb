import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { CSV_FAST_WASM_BASE64 } from '../src/csv-fast-wasm.js';

const watPath = fileURLToPath(new URL('../src/csv-fast.wat', import.meta.url));
const outPath = fileURLToPath(new URL('../src/csv-fast-wasm.ts', import.meta.url));

async function compile(): Promise<string> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('csv-fast.wat', readFileSync(watPath, 'utf8'));
  try {
    mod.validate();
    return Buffer.from(mod.toBinary({}).buffer).toString('base64');
  } finally {
    mod.destroy();
  }
}

describe('CSV fast-path WebAssembly bytes', () => {
  // WRITE_WASM=1 npx vitest run test/csv-fast-wasm.test.ts rewrites them after an edit of the .wat
  it('the committed bytes are those of src/csv-fast.wat', async () => {
    const fresh = await compile();
    if (process.env['WRITE_WASM'] === '1' && fresh !== CSV_FAST_WASM_BASE64) {
      writeFileSync(
        outPath,
        `// Generated from src/csv-fast.wat by test/csv-fast-wasm.test.ts (WRITE_WASM=1): do not edit.\nexport const CSV_FAST_WASM_BASE64 =\n  '${fresh}';\n`,
      );
      return;
    }
    expect(fresh).toBe(CSV_FAST_WASM_BASE64);
  });
});
