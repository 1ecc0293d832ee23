import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudioFile } from '../../src/audio/index.js';
import { computeMfcc, type FeatureFrames } from '../../src/features/index.js';
import { AcousticModel, PhaseEnsembleEncoder, drainEncoder, encodeUtterance } from '../../src/model/index.js';
import { SAMPLES, TINY_MODEL } from '../helpers.js';

/** The frames from `skip` on: what the ensemble's member `skip` hears. */
function dropFrames(f: FeatureFrames, skip: number): FeatureFrames {
  return { data: f.data.slice(skip * f.dim), frames: f.frames - skip, dim: f.dim };
}

describe('PhaseEnsembleEncoder', () => {
  let model: AcousticModel;
  let frames: FeatureFrames;
  beforeAll(async () => {
    model = await AcousticModel.load(TINY_MODEL);
    frames = computeMfcc((await readAudioFile(join(SAMPLES, 'librilight-831-130739-0011.wav'))).samples);
  });
  afterAll(() => model.release());

  it('averages the log-probabilities of the model run at each stacking phase, on phase 0’s grid', async () => {
    const V = model.card.vocabulary.length;
    expect(model.card.stack).toBe(3);
    const fused = await encodeUtterance(model, frames, undefined, { phaseEnsemble: true });
    // each member computed on its own, as the plain encoder over audio 0, 10 and 20 ms later
    const members = await Promise.all([0, 1, 2].map((p) => encodeUtterance(model, dropFrames(frames, p))));
    const steps = members[0]!.length / V;
    expect(fused.length).toBe(members[0]!.length);
    expect(members[2]!.length / V).toBeLessThan(steps + 1);
    let worst = 0;
    let apart = 0;
    for (let k = 0; k < steps; k++) {
      // phase 2's step k - 1 lies a third of a step before phase 0's step k, closer than its step k
      const rows = [members[0]!, members[1]!, members[2]!]
        .map((m, p) => ({ m, i: p === 2 ? k - 1 : k }))
        .filter(({ m, i }) => i >= 0 && i < m.length / V);
      const mean = Array.from({ length: V }, (_, v) => rows.reduce((s, { m, i }) => s + m[i * V + v]!, 0) / rows.length);
      const norm = Math.log(mean.reduce((s, x) => s + Math.exp(x), 0));
      for (let v = 0; v < V; v++) {
        worst = Math.max(worst, Math.abs(mean[v]! - norm - fused[k * V + v]!));
        apart = Math.max(apart, Math.abs(members[0]![k * V + v]! - fused[k * V + v]!));
      }
    }
    expect(worst).toBeLessThan(1e-5);
    expect(apart).toBeGreaterThan(1e-2); // the other phases did change the output
  });

  it('gives the same rows in the same blocks however the frames arrive', async () => {
    const whole = await encodeUtterance(model, frames, undefined, { phaseEnsemble: true });
    const encoder = new PhaseEnsembleEncoder(model);
    const blocks: number[] = [];
    const parts: Float32Array[] = [];
    let seed = 7;
    for (let f = 0; f < frames.frames; ) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const n = Math.min(frames.frames - f, 1 + (seed % 23));
      encoder.pushFrames({ data: frames.data.subarray(f * frames.dim, (f + n) * frames.dim), frames: n, dim: frames.dim });
      f += n;
      while (encoder.ready()) {
        const out = await encoder.next();
        if (out) {
          expect(out.firstStep).toBe(encoder.stepsEmitted - out.steps);
          blocks.push(out.steps);
          parts.push(out.data);
        }
      }
    }
    encoder.finishInput();
    while (encoder.ready()) {
      const out = await encoder.next();
      if (out) {
        blocks.push(out.steps);
        parts.push(out.data);
      }
    }
    const joined = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    parts.reduce((o, p) => (joined.set(p, o), o + p.length), 0);
    expect(Array.from(joined)).toEqual(Array.from(whole));
    // the plain encoder's blocks: whole chunks, then the rest
    const C = model.card.chunkFrames;
    expect(blocks.slice(0, -1).every((b) => b === C)).toBe(true);
    expect(blocks.at(-1)!).toBeLessThanOrEqual(C);
  });

  it('starts over after reset()', async () => {
    const encoder = new PhaseEnsembleEncoder(model);
    encoder.pushFrames(dropFrames(frames, 50));
    encoder.finishInput();
    await drainEncoder(encoder);
    encoder.reset();
    expect(encoder.stepsEmitted).toBe(0);
    encoder.pushFrames(frames);
    encoder.finishInput();
    const again = await drainEncoder(encoder);
    expect(Array.from(again)).toEqual(Array.from(await encodeUtterance(model, frames, undefined, { phaseEnsemble: true })));
  });
});
