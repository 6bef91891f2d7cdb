#!/bin/sh
# Run by each image's build stage after `npm run build` and `npm prune --omit=dev`: leaves what the
# services run (the compiled dist/ of each package, its data files, production node_modules) and
# removes the TypeScript sources, tests, the CLI and the benchmarks. Nothing runs through tsx in
# production: it must be gone, and every service entry must load from dist/ with plain node.
set -eu
rm -rf apps/cli benchmarks scripts docs .ci tsconfig*.json node_modules/@panel-lab/cli node_modules/@panel-lab/benchmarks
for d in packages/* apps/*; do
  rm -rf "$d/src" "$d/test" "$d/test-results" "$d/vitest.config.ts" "$d"/tsconfig*.json "$d"/dist/*.tsbuildinfo
done
rm -rf node_modules/tsx
if node -e "import('tsx').then(() => process.exit(0), () => process.exit(1))"; then
  echo "compiled-only: tsx is still installed" >&2
  exit 1
fi
node --input-type=module -e "
await import('./apps/api/dist/main.js');
await import('./apps/worker/dist/main.js');
console.log('compiled-only: api and worker entries load from dist/ without tsx');
"
