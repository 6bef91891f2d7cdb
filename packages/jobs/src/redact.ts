import { homedir, tmpdir } from 'node:os';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where this process's own files live: the repository (three levels above this file), cwd, tmp, home. */
const PROCESS_ROOTS = [fileURLToPath(new URL('../../..', import.meta.url)), process.cwd(), tmpdir(), homedir()];

/** Absolute paths under the usual server directories, for paths under no known root (defence in depth). */
const COMMON_ABSOLUTE = /(?:\/(?:home|tmp|var|srv|work|usr|opt|root|mnt|data|app|Users|private|workspace)(?:\/[^\s'"`,;:()<>]+)+)|(?:[A-Za-z]:\\[^\s'"`,;:()<>]+)/g;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A message with every server path replaced by its file name (`cannot read '/srv/x/tmp/ds_1.parquet'`
 * -> `cannot read 'ds_1.parquet'`): error bodies name the file at fault, never the server's layout.
 * `roots` adds directories to the process's own (the data directory).
 */
export function redactPaths(text: string, roots: readonly string[] = []): string {
  let out = text;
  const all = [...new Set([...roots, ...PROCESS_ROOTS].map((r) => resolve(r)).filter((r) => r.length > 1))].sort((a, b) => b.length - a.length);
  for (const root of all) out = out.replace(new RegExp(`${escape(root)}(?:[/\\\\][^\\s'"\`,;:()<>]*)?`, 'g'), (path) => basename(path) || '<server path>');
  return out.replace(COMMON_ABSOLUTE, (path) => basename(path.replace(/\\/g, '/')) || '<server path>');
}
