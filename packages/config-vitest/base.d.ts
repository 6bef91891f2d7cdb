import type { UserConfig } from 'vitest/config';

export function packageConfig(overrides?: UserConfig): UserConfig;
