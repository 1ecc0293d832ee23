import { describe, expect, it } from 'vitest';
import { AcousticModel, WindowBatcher, encodeUtterance } from '../../src/model/index.js';
import { readAudioFile } from '../../src/audio/index.js';
import { computeMfcc } from '../../src/features/index.js';
import { join } from 'node:path';
import { SAMPLES, TINY_MODEL } from '../helpers.js';

describe('WindowBatcher', () => {
  it('gives each stream the same log-probs as running it alone, while streams run concurrently', async () => {
    const model = await AcousticModel.load(TINY_MODEL);
    const files = ['librilight-831-130739-0011.wav', 'tts-espeak-fox.wav', 'digit-8k-fsdd-7.wav'];
    const features = await Promise.all(files.map(async (f) => computeMfcc((await readAudioFile(join(SAMPLES, f))).samples)));
    const alone = await Promise.all(features.map((f) => encodeUtterance(model, f)));
    const batcher = new WindowBatcher(8);
    const together = await Promise.all(features.map((f) => encodeUtterance(model, f, batcher)));
    for (let s = 0; s < files.length; s++) {
      const a = alone[s]!;
      const b = together[s]!;
      expect(b.length).toBe(a.length);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst).toBeLessThan(1e-4);
    }
    await model.release();
  });
});
