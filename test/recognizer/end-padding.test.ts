import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOISE_FLOOR_BLOCK, readAudioFile } from '../../src/audio/index.js';
import { createRecognizer, type Recognizer } from '../../src/recognizer/index.js';
import { computeWer } from '../../src/text/wer.js';
import { readManifest } from '../../src/util/manifest.js';
import { SAMPLES, SAMPLE_MANIFEST, TINY_MODEL, defaultModelDir, rms } from '../helpers.js';

const MODEL = defaultModelDir() ?? TINY_MODEL;
const REAL_MODEL = MODEL !== TINY_MODEL;

/** The audio up to the end of its last block within 30 dB of its loudest: speech to the final sample. */
function cutTrailingSilence(x: Float32Array): Float32Array {
  const blocks = Math.floor(x.length / NOISE_FLOOR_BLOCK);
  const level = Array.from({ length: blocks }, (_, b) => rms(x, b * NOISE_FLOOR_BLOCK, (b + 1) * NOISE_FLOOR_BLOCK));
  const loudest = Math.max(...level);
  let last = blocks - 1;
  while (last > 0 && level[last]! < loudest * 0.0316) last--;
  return x.subarray(0, (last + 1) * NOISE_FLOOR_BLOCK);
}

describe('end padding (quiet noise heard after the audio when a stream finishes)', () => {
  let padded: Recognizer;
  let bare: Recognizer;
  beforeAll(async () => {
    padded = await createRecognizer({ model: MODEL });
    bare = await createRecognizer({ model: MODEL, endPadding: 0 });
  });
  afterAll(async () => {
    await padded.close();
    await bare.close();
  });

  it('places no word and no result end in the padding', async () => {
    for (const entry of await readManifest(SAMPLE_MANIFEST)) {
      const audio = await readAudioFile(entry.path);
      for (const samples of [audio.samples, cutTrailingSilence(audio.samples)]) {
        const end = samples.length / audio.sampleRate;
        const result = await padded.transcribe(samples, audio.sampleRate);
        expect(result.end).toBeLessThanOrEqual(end + 0.0005);
        for (const w of result.words) expect(w.end, `${entry.file}: ${w.word}`).toBeLessThanOrEqual(end + 0.0005);
        // the model steps run on into the padding, and the result is cut back to the audio's own end, not short of it
        expect(result.end, entry.file).toBeGreaterThanOrEqual(end - 0.0005);
      }
    }
  });

  it.runIf(REAL_MODEL)('keeps the last words of real speech cut right after them (WER bound against the uncut files)', async () => {
    const real = (await readManifest(SAMPLE_MANIFEST)).filter((e) => e.file.includes('librilight'));
    type Pair = { reference: string; hypothesis: string };
    const pairs: Record<'uncut' | 'cut' | 'cutBare', Pair[]> = { uncut: [], cut: [], cutBare: [] };
    for (const entry of real) {
      const audio = await readAudioFile(entry.path);
      const cut = cutTrailingSilence(audio.samples);
      expect(cut.length).toBeLessThan(audio.samples.length); // there was silence to cut
      pairs.uncut.push({ reference: entry.transcript, hypothesis: (await padded.transcribe(audio.samples, audio.sampleRate)).text });
      pairs.cut.push({ reference: entry.transcript, hypothesis: (await padded.transcribe(cut, audio.sampleRate)).text });
      pairs.cutBare.push({ reference: entry.transcript, hypothesis: (await bare.transcribe(cut, audio.sampleRate)).text });
    }
    const uncut = computeWer(pairs.uncut).wer;
    const cut = computeWer(pairs.cut).wer;
    const cutBare = computeWer(pairs.cutBare).wer;
    console.log(`real fixtures WER: uncut ${(uncut * 100).toFixed(1)} %, trailing silence cut ${(cut * 100).toFixed(1)} % (without end padding ${(cutBare * 100).toFixed(1)} %)`);
    expect(cut).toBeLessThanOrEqual(uncut + 0.03);
  });

  it('rejects a padding that is not a number of seconds from 0 to 5, before loading anything', async () => {
    for (const endPadding of [-0.1, Number.NaN, 6, Number.POSITIVE_INFINITY, '0.3' as unknown as number]) {
      await expect(createRecognizer({ model: join(SAMPLES, 'no-such-model'), endPadding })).rejects.toThrow(/endPadding must be a number of seconds from 0 to 5/);
    }
  });
});
