/** DI tokens: every constructor dependency is injected by token (tsx/vitest emit no decorator metadata). */
export const JOB_SYSTEM = Symbol('JOB_SYSTEM');
export const API_CONFIG = Symbol('API_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const SSE_HUB = Symbol('SSE_HUB');
export const AUTH_LIMITER = Symbol('AUTH_LIMITER');
