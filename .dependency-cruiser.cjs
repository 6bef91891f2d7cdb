// Enforces the dependency direction of DESIGN.md: a package may import only packages of a
// strictly lower layer, never an app, never another package's internals, and nothing under
// packages/ may import NestJS. Run by `npm test` (check:deps).
const fs = require('node:fs');
const path = require('node:path');

// Layer of each workspace package (directory name under packages/). Lower layers know nothing of higher ones.
const LAYERS = {
  'config-vitest': 0,
  testing: 0,
  'test-services': 0,
  panel: 1,
  compute: 1,
  carbon: 2,
  regression: 2,
  'compute-cpu': 2,
  'compute-tfjs': 2,
  'compute-gpujs': 2,
  'compute-conformance': 2,
  datasets: 3,
  resample: 3,
  did: 4,
  ann: 4,
  report: 5,
  analysis: 6,
  jobs: 7,
};

const present = fs.readdirSync(path.join(__dirname, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(__dirname, 'packages', d.name, 'package.json')))
  .map((d) => d.name);
const unknown = present.filter((name) => !(name in LAYERS));
if (unknown.length > 0) {
  throw new Error(`.dependency-cruiser.cjs: give packages/${unknown.join(', packages/')} a layer in LAYERS`);
}

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const layerRules = present.map((name) => {
  const higherOrSame = present.filter((other) => other !== name && LAYERS[other] >= LAYERS[name]);
  return {
    name: `layer-${name}`,
    comment: `packages/${name} (layer ${LAYERS[name]}) may import only packages of a lower layer`,
    severity: 'error',
    from: { path: `^packages/${esc(name)}/src/` },
    to: { path: higherOrSame.length ? `^packages/(${higherOrSame.map(esc).join('|')})/` : '^$' },
  };
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'packages-never-import-apps',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-nest-in-packages',
      comment: 'NestJS belongs to the apps only',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { path: '@nestjs/' },
    },
    {
      name: 'one-entry-point-per-package',
      comment: 'import another package by its name (its src/index.ts), never its internals',
      severity: 'error',
      from: { path: '^(packages|apps)/([^/]+)/' },
      to: { path: '^packages/[^/]+/', pathNot: ['^packages/$2/', '^packages/[^/]+/src/index\\.ts$', '^packages/config-vitest/'] },
    },
    {
      name: 'apps-are-separate',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|test-results|\\.turbo)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    preserveSymlinks: false,
  },
};
