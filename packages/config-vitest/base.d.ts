import type { UserConfig } from 'vitest/config';

/** The export condition under which workspace packages point at their TypeScript sources. */
export const SOURCE_CONDITION: '@panel-lab/source';
export function packageConfig(overrides?: UserConfig): UserConfig;
