import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJobSystem, QueueUnavailableError, type JobSystem, type QueueOutagePolicy } from '../src/index.js';
import { HeldExecutor, until } from './held-executor.js';

// JobService's side of the queue-outage contract (queue-outage.ts), without Redis: an executor
// that waits outages out (queueOutage set) gets submits accepted with a note while its queue is
// down; one that does not is refused (503). The real Redis restart: apps/worker/test/queue.test.ts.

const spec = { dataset: { source: 'example', name: 'mpdta' }, analyses: [{ id: 'stats', estimator: 'describe' }] };
const placebo = { dataset: { source: 'example', name: 'mpdta' }, outcome: 'lemp', cohort: 'first.treat', draws: 20, chunkSize: 10, se: false };
const down = () => new QueueUnavailableError('the job queue (Redis at 127.0.0.1:9) is unavailable: connect ECONNREFUSED');

class DownExecutor extends HeldExecutor {
  constructor(readonly queueOutage?: QueueOutagePolicy) {
    super();
  }
  override async checkAvailable(): Promise<void> {
    throw down();
  }
}

describe('submit while the queue is down (JobService)', () => {
  let dataDir: string | undefined;
  let sys: JobSystem | undefined;
  const open = async (executor: HeldExecutor) => {
    dataDir = await mkdtemp(join(tmpdir(), 'panel-lab-outage-'));
    sys = await openJobSystem({ dataDir, executor });
    return sys;
  };
  afterEach(async () => {
    await sys?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    sys = dataDir = undefined;
  });

  it('an executor that waits outages out: accepted with the note, handed over, failed with the bound message', async () => {
    const executor = new DownExecutor({ where: '127.0.0.1:9', boundMs: 1500 });
    const s = await open(executor);
    const job = await s.jobs.submitAnalysis('t', spec);
    expect(job.state).toBe('queued');
    expect(job.notes).toHaveLength(1);
    expect(job.notes[0]).toMatch(/: the job queue \(Redis at 127\.0\.0\.1:9\) was unreachable at submit; the job is added once it is back \(failed after 1500 ms, PANEL_LAB_QUEUE_DOWN_MS\)$/);
    await until(() => executor.holding.includes(job.id), 5000, 'the task handed to the executor');
    executor.fail(job.id, new QueueUnavailableError('the job queue (Redis at 127.0.0.1:9) stayed unreachable for 1501 ms (bound 1500 ms, PANEL_LAB_QUEUE_DOWN_MS): x; submit it again'));
    const done = await s.jobs.waitFor('t', job.id, 5000);
    expect(done.state).toBe('failed');
    expect(done.error?.message).toMatch(/stayed unreachable for 1501 ms \(bound 1500 ms, PANEL_LAB_QUEUE_DOWN_MS\)/);
  });

  it('a placebo chunk whose hand-over passed the bound is not tried again', async () => {
    const executor = new DownExecutor({ where: '127.0.0.1:9', boundMs: 1500 });
    const s = await open(executor);
    const job = await s.jobs.submitPlacebo('t', placebo);
    const chunk = `${job.id}-c00000`;
    await until(() => executor.holding.includes(chunk), 5000, 'the first chunk');
    executor.fail(chunk, new QueueUnavailableError('the job queue (Redis at 127.0.0.1:9) stayed unreachable for 1501 ms (bound 1500 ms, PANEL_LAB_QUEUE_DOWN_MS): x'));
    const done = await s.jobs.waitFor('t', job.id, 5000);
    expect(done.state).toBe('failed');
    expect(executor.started.filter((id) => id === chunk)).toHaveLength(1);
  });

  it('an executor that does not wait outages out: the submit is refused (503) and nothing is recorded', async () => {
    const s = await open(new DownExecutor());
    await expect(s.jobs.submitAnalysis('t', spec)).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(await s.jobs.list('t')).toEqual([]);
  });
});
