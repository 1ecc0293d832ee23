import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AcousticModel } from '../../src/model/index.js';
import { TINY_MODEL, shippedModels } from '../helpers.js';

interface Reference {
  windows: { features: number[][]; logProbs: number[][] }[];
}

describe.each([TINY_MODEL, ...shippedModels()])('ONNX parity with the PyTorch exporter: %s', (dir) => {
  it('runs the reference windows chunk by chunk, carrying states, within 1e-4', async () => {
    const model = await AcousticModel.load(dir);
    const reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as Reference;
    expect(reference.windows.length).toBeGreaterThanOrEqual(3);
    let states = model.initialStates(1);
    let worst = 0;
    for (const window of reference.windows) {
      expect(window.features).toHaveLength(model.windowSteps);
      const out = await model.runWindows(Float32Array.from(window.features.flat()), states, 1);
      states = out.states;
      const expected = window.logProbs.flat();
      expect(out.logProbs.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(out.logProbs[i]! - expected[i]!));
    }
    expect(worst).toBeLessThan(1e-4);
    await model.release();
  });
});
