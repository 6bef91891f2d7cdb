export { configFromEnv, parseApiKeys } from './config.js';
export type { ApiConfig } from './config.js';
export { startApiServer } from './server.js';
export type { ApiServer } from './server.js';
export { AppModule } from './app.module.js';
export { toHttp } from './errors.filter.js';
export { JsonLogger } from './logger.js';
