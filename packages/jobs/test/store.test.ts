import { DuckDbMetaStore, PostgresMetaStore } from '../src/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, postgresRequired, startPostgres, type PostgresHandle } from '@panel-lab/test-services';
import { storeContract } from './store-contract.js';

storeContract('embedded DuckDB', async () => ({ store: await DuckDbMetaStore.open(':memory:') }));

// CI installs Debian's postgresql (.ci/install-system.sh); elsewhere these skip with this reason,
// except in CI (or with REQUIRE_POSTGRES=1), where its absence fails.
const missing = !hasPostgres();
if (missing) console.warn('PostgreSQL store tests skipped: PostgreSQL is not installed (apt-get install postgresql)');

describe('PostgreSQL test prerequisites', () => {
  it.runIf(postgresRequired())('has PostgreSQL when CI or REQUIRE_POSTGRES=1 is set', () => {
    expect(missing, 'PostgreSQL is required here: install it (.ci/install-system.sh)').toBe(false);
  });
});

describe.skipIf(missing)('PostgreSQL store', () => {
  let server: PostgresHandle;
  let n = 0;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  storeContract('PostgreSQL', async () => {
    const url = await server.database(`contract_${++n}`);
    return { store: await PostgresMetaStore.open({ url }), openPeer: () => PostgresMetaStore.open({ url, poolSize: 4 }) };
  });

  it('opening from several processes at once creates the schema once', async () => {
    const url = await server.database('concurrent_open');
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresMetaStore.open({ url, poolSize: 2 })));
    await Promise.all(stores.map((s) => s.close()));
  });

  it('names the server without its password when it cannot connect', async () => {
    await expect(PostgresMetaStore.open({ url: 'postgres://u:secret@127.0.0.1:1/db' })).rejects.toThrow(/cannot open the job store at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db/);
  });
});
