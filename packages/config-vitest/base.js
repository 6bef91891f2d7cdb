// Shared Vitest configuration: every package's vitest.config.ts extends this.
// Plain JS on purpose: Vitest loads config files from node_modules without a TS loader on Node 20.
import { defineConfig, mergeConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under this condition (their `import` condition
// is the build in dist/), so tests run the sources without a prior build.
export const SOURCE_CONDITION = '@panel-lab/source';
// Vite's defaults (defaultClientConditions / defaultServerConditions), which `conditions` replaces.
const CLIENT_CONDITIONS = ['module', 'browser', 'development|production'];
const SERVER_CONDITIONS = ['module', 'node', 'development|production'];

/** @param {import('vitest/config').UserConfig} [overrides] */
export function packageConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      resolve: { conditions: [SOURCE_CONDITION, ...CLIENT_CONDITIONS] },
      ssr: { resolve: { conditions: [SOURCE_CONDITION, ...SERVER_CONDITIONS], externalConditions: [SOURCE_CONDITION] } },
      test: {
        include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
        environment: 'node',
        pool: 'forks',
        // Node's own resolution in the test process and its worker threads (which inherit execArgv).
        execArgv: [`--conditions=${SOURCE_CONDITION}`],
        testTimeout: 60_000,
        hookTimeout: 60_000,
        // JSON results feed the root summary line ("N passed, N failed").
        reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
      },
    }),
    overrides,
  );
}
