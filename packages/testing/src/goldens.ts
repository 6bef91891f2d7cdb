import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Golden files live in packages/testing/goldens: reference values computed by R packages
 * (copied from the project's shared refs with their provenance, see goldens/README.md).
 */
export const GOLDENS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'goldens');

/** Reads goldens/results/<name>.json. */
export function loadGolden<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(GOLDENS_DIR, 'results', `${name}.json`), 'utf8')) as T;
}

/** Absolute path of goldens/data/<file> (reference input datasets as CSV). */
export function goldenDataPath(file: string): string {
  return join(GOLDENS_DIR, 'data', file);
}

/**
 * Text of goldens/data/<file>. Large inputs are stored gzipped (<file>.gz) to keep the repository
 * small; this reads either form.
 */
export function readGoldenData(file: string): string {
  const path = goldenDataPath(file);
  if (existsSync(path)) return readFileSync(path, 'utf8');
  if (existsSync(`${path}.gz`)) return gunzipSync(readFileSync(`${path}.gz`)).toString('utf8');
  throw new Error(`golden data file '${file}' not found (neither ${file} nor ${file}.gz in goldens/data)`);
}
