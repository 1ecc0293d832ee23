import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudioFile } from '../../src/audio/index.js';
import { createRecognizer, defaultModels, mergeResults, StreamStateError, type RecognitionResult, type Recognizer } from '../../src/recognizer/index.js';
import { ROOT, SAMPLES, TINY_MODEL, defaultModelDir, randomSplits, rng } from '../helpers.js';

const MODEL = defaultModelDir() ?? TINY_MODEL;
const LM = existsSync(join(ROOT, 'models', 'default.json')) ? defaultModels().languageModel ?? '' : '';

async function streamed(recognizer: Recognizer, samples: Float32Array, rate: number, seed: number): Promise<RecognitionResult> {
  const stream = recognizer.createStream();
  const results: RecognitionResult[] = [];
  let from = 0;
  const random = rng(seed);
  for (const to of randomSplits(samples.length, random, Math.round(rate / 2))) {
    stream.acceptWaveform(samples.subarray(from, to), rate);
    from = to;
    // Decode at random moments, as a server would between messages.
    if (random() < 0.3) {
      await stream.decode();
      expect(typeof stream.partial().text).toBe('string');
      // isEndpoint is sherpa-onnx's name for hasResult: the two must agree before and after each pop
      expect(stream.isEndpoint()).toBe(stream.hasResult());
      while (stream.hasResult()) {
        results.push(stream.popResult()!);
        expect(stream.isEndpoint()).toBe(stream.hasResult());
      }
    }
  }
  results.push(await stream.finish());
  return mergeResults(results);
}

describe.each([
  ['greedy', { decoding: 'greedy' as const }],
  ['beam + LM', { decoding: 'beam' as const, lm: existsSync(LM) ? LM : (false as const), lmLookahead: false }],
  ['beam + LM with look-ahead', { decoding: 'beam' as const, lm: existsSync(LM) ? LM : (false as const), lmLookahead: true }],
])('streaming equals batch (%s)', (_name, options) => {
  let recognizer: Recognizer;
  beforeAll(async () => {
    // Short endpoint settings so the long file is cut into several utterances.
    recognizer = await createRecognizer({ model: MODEL, ...options, endpoint: { trailingSilence: 0.5, maxUtterance: 8 } });
  });
  afterAll(async () => recognizer.close());

  for (const file of ['long-librilight-248.wav', 'stereo-44k-librilight-831-130739-0012.wav']) {
    it(`${file}: text, words and times identical for 2 random packetisations`, async () => {
      const audio = await readAudioFile(join(SAMPLES, file));
      // Feed the stereo file at its native 44.1 kHz so the stream's own resampler is exercised.
      const raw = file.startsWith('stereo') ? await nativeMono(join(SAMPLES, file)) : { samples: audio.samples, rate: 16000 };
      const batch = await recognizer.transcribe(raw.samples, raw.rate);
      for (const seed of [1, 2]) {
        const live = await streamed(recognizer, raw.samples, raw.rate, seed);
        expect(live).toEqual(batch);
      }
      for (const w of batch.words) {
        expect(w.start).toBeLessThanOrEqual(w.end);
        expect(w.end).toBeLessThanOrEqual(audio.source.seconds + 0.05);
        expect(w.conf).toBeGreaterThanOrEqual(0);
        expect(w.conf).toBeLessThanOrEqual(1);
      }
      for (let i = 1; i < batch.words.length; i++) expect(batch.words[i]!.start).toBeGreaterThanOrEqual(batch.words[i - 1]!.end - 1e-9);
    });
  }
});

async function nativeMono(path: string): Promise<{ samples: Float32Array; rate: number }> {
  const { decodeAudio, downmix } = await import('../../src/audio/index.js');
  const { readFile } = await import('node:fs/promises');
  const decoded = await decodeAudio(await readFile(path));
  return { samples: downmix(decoded.channels), rate: decoded.sampleRate };
}

describe('RecognizerStream misuse', () => {
  it('gives clear errors and keeps accepted audio', async () => {
    const recognizer = await createRecognizer({ model: MODEL, decoding: 'greedy' });
    const stream = recognizer.createStream();
    stream.acceptWaveform(new Float32Array(8000), 16000);
    expect(() => stream.acceptWaveform(new Float32Array(10), 8000)).toThrow(StreamStateError);
    // @ts-expect-error: untyped callers may pass arrays
    expect(() => stream.acceptWaveform([0, 1, 2], 16000)).toThrow(/Float32Array/);
    const result = await stream.finish();
    expect(result.end).toBeCloseTo(0.48, 1);
    expect(() => stream.acceptWaveform(new Float32Array(10))).toThrow(/after finish/);
    stream.reset();
    stream.acceptWaveform(new Float32Array(10), 8000);
    await recognizer.close();
  });

  it('refuses bad endpoint settings', async () => {
    await expect(createRecognizer({ model: MODEL, decoding: 'greedy', endpoint: { trailingSilence: -1 } })).rejects.toThrow(/trailingSilence/);
  });
});
