import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { feols } from '../src/index.js';
import { syntheticPanel } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('results never pin their input data', () => {
  it('a frame fitted on is collectable while its result stays alive', async () => {
    let frame: ReturnType<typeof syntheticPanel> | null = syntheticPanel({ units: 50, periods: 6, seed: 3 });
    const ref = new WeakRef(frame);
    const fit = feols('y ~ x1 | id + t', frame, { vcov: { cluster: 'id' } });
    frame = null;
    // A WeakRef target survives until the current job ends: collect on a later turn.
    await new Promise((r) => setImmediate(r));
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
    expect(ref.deref()).toBeUndefined();
    expect(fit.coefficients).toHaveLength(1);
  });
});
