// Shared Vitest configuration: every package's vitest.config.ts extends this.
// Plain JS on purpose: Vitest loads config files from node_modules without a TS loader on Node 20.
import { defineConfig, mergeConfig } from 'vitest/config';

/** @param {import('vitest/config').UserConfig} [overrides] */
export function packageConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
        environment: 'node',
        pool: 'forks',
        testTimeout: 60_000,
        hookTimeout: 60_000,
        // JSON results feed the root summary line ("N passed, N failed").
        reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
      },
    }),
    overrides,
  );
}
