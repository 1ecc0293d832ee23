import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudioFile } from '../../src/audio/index.js';
import { computeMfcc } from '../../src/features/index.js';
import { AcousticModel, ModelLoadError } from '../../src/model/index.js';
import { ChunkedEncoder, encodeUtterance } from '../../src/model/encoder.js';
import { SAMPLES, TINY_MODEL, rng, tempDir } from '../helpers.js';

/** The tiny model with a sliding-mean-normalisation block added to its card. */
function tinyWithCmn(cmn: unknown): string {
  const dir = join(tempDir(), 'model');
  cpSync(TINY_MODEL, dir, { recursive: true });
  const card = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
  card.cmn = cmn;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(card));
  return dir;
}

function priorMean(dir: string): number[] {
  const card = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { normalization: { mean: number[] }; featureConfig: { mfccCoefficients: number } };
  return card.normalization.mean.slice(0, card.featureConfig.mfccCoefficients);
}

describe('a model trained with sliding-window CMN', () => {
  it('streams the same log-probs however the frames are cut, and differs from the model without it', async () => {
    const dir = tinyWithCmn({ window: 300, priorFrames: 100, priorMean: priorMean(TINY_MODEL) });
    const model = await AcousticModel.load(dir);
    const plain = await AcousticModel.load(TINY_MODEL);
    expect(model.card.cmn?.window).toBe(300);
    const audio = await readAudioFile(join(SAMPLES, 'librilight-831-130739-0004.wav'));
    const frames = computeMfcc(audio.samples);
    const whole = await encodeUtterance(model, frames);

    const random = rng(11);
    const encoder = new ChunkedEncoder(model);
    const parts: number[] = [];
    const dim = frames.dim;
    for (let f = 0; f < frames.frames;) {
      const n = Math.min(frames.frames - f, 1 + Math.floor(random() * 40));
      encoder.pushFrames({ data: frames.data.slice(f * dim, (f + n) * dim), frames: n, dim });
      f += n;
      for (let out = await encoder.next(); out; out = await encoder.next()) parts.push(...out.data);
    }
    encoder.finishInput();
    for (let out = await encoder.next(); out; out = await encoder.next()) parts.push(...out.data);
    expect(Float32Array.from(parts)).toEqual(whole);

    const without = await encodeUtterance(plain, frames);
    expect(without.length).toBe(whole.length);
    let diff = 0;
    for (let i = 0; i < whole.length; i++) diff = Math.max(diff, Math.abs(whole[i]! - without[i]!));
    expect(diff).toBeGreaterThan(1e-3);
    await model.release();
    await plain.release();
  });

  it('refuses a card whose cmn block does not fit the features', async () => {
    const dir = tinyWithCmn({ window: 300, priorFrames: 100, priorMean: [1, 2, 3] });
    const error = await AcousticModel.load(dir).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).code).toBe('BAD_CARD');
    expect((error as ModelLoadError).message).toMatch(/cmn\.priorMean must be 30 finite numbers/);
  });
});
