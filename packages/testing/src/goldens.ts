import { readFileSync } from 'node:fs';
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
