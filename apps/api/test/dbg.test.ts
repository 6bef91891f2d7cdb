import { it } from 'vitest';
import { api, KEY_A, startTestServer, tempDir } from './helpers.js';
it('dbg', async () => {
  const tmp = await tempDir('dbg-');
  console.log('start');
  const server = await startTestServer(tmp.dir, { redisUrl: 'redis://127.0.0.1:9' });
  console.log('started');
  const res = await api(server.url, KEY_A).post('/v1/analyses', { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 's', estimator: 'describe' }] });
  console.log(res.status, await res.text());
  console.log((await fetch(`${server.url}/ready`)).status);
  const t = Date.now();
  await server.close();
  console.log('closed', Date.now() - t);
}, 30000);
