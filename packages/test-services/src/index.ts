export { freePort } from './free-port.js';
export { hasRedisServer, startRedis, type RedisHandle } from './redis.js';
export { hasPostgres, postgresBin, postgresRequired, startPostgres, type PostgresHandle } from './postgres.js';
