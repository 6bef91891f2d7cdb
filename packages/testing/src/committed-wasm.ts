import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The part of wabt's API this uses (wabt is each caller's dev dependency, not this package's). */
export type WabtInit = () => Promise<{
  parseWat(
    filename: string,
    text: string,
    features?: Record<string, boolean>,
  ): { validate(): void; toBinary(options: object): { buffer: Uint8Array }; destroy(): void };
}>;

export interface CommittedWasm {
  /** The .wat source. */
  readonly wat: URL;
  /** The generated module holding its bytes as base64 (`export const <constName> = '...'`). */
  readonly out: URL;
  readonly constName: string;
  /** The bytes committed in `out` (the caller imports them). */
  readonly committed: string;
  /** The test file that regenerates `out`, named in its header. */
  readonly testFile: string;
}

/**
 * Compiles a package's hand-written WebAssembly text (SIMD on) and returns its bytes as base64 with
 * those committed, for the test to compare. With WRITE_WASM=1 a stale module is rewritten first
 * (then both are the fresh bytes): `WRITE_WASM=1 npx vitest run <testFile>` after an edit of the .wat.
 */
export async function committedWasmBytes(wabtInit: WabtInit, spec: CommittedWasm): Promise<{ fresh: string; committed: string }> {
  const wabt = await wabtInit();
  const watFile = basename(fileURLToPath(spec.wat));
  const mod = wabt.parseWat(watFile, readFileSync(spec.wat, 'utf8'), { simd: true });
  let fresh: string;
  try {
    mod.validate();
    fresh = Buffer.from(mod.toBinary({}).buffer).toString('base64');
  } finally {
    mod.destroy();
  }
  if (process.env['WRITE_WASM'] === '1' && fresh !== spec.committed) {
    const header = `// Generated from src/${watFile} by ${spec.testFile} (WRITE_WASM=1): do not edit.`;
    writeFileSync(spec.out, `${header}\nexport const ${spec.constName} =\n  '${fresh}';\n`);
    return { fresh, committed: fresh };
  }
  return { fresh, committed: spec.committed };
}
