import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioFormatError, readAudioFile } from '../../src/audio/index.js';
import { createRecognizer, type Recognizer } from '../../src/recognizer/index.js';
import { SAMPLES, TINY_MODEL, defaultModelDir } from '../helpers.js';

const MODEL = defaultModelDir() ?? TINY_MODEL;

describe('transcribing a file as a stream (bounded memory)', { timeout: 300_000 }, () => {
  let recognizer: Recognizer;
  beforeAll(async () => {
    recognizer = await createRecognizer({ model: MODEL });
  });
  afterAll(async () => recognizer.close());

  it.each([
    'long-librilight-248.wav',
    'stereo-44k-librilight-831-130739-0012.wav',
    'compressed/librilight-831-130739-0011.opus',
    'compressed/librilight-831-130739-0011.mp3',
  ])('gives %s the transcript of the whole file decoded in memory', async (name) => {
    const path = join(SAMPLES, name);
    const inMemory = await readAudioFile(path);
    const whole = await recognizer.transcribe(inMemory.samples, inMemory.sampleRate);
    const streamed = await recognizer.transcribeFile(path);
    expect(streamed.text).not.toBe('');
    expect({ text: streamed.text, words: streamed.words, start: streamed.start, end: streamed.end })
      .toEqual({ text: whole.text, words: whole.words, start: whole.start, end: whole.end });
    expect(streamed.segments.map((s) => s.text).join(' ')).toBe(streamed.text);
    if (name.startsWith('long-')) expect(streamed.segments.length).toBeGreaterThan(1);
  });

  it('refuses a file longer than maxDuration with TOO_LONG', async () => {
    const err = await recognizer.transcribeFile(join(SAMPLES, 'long-librilight-248.wav'), { maxDuration: 60 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioFormatError);
    expect((err as AudioFormatError).code).toBe('TOO_LONG');
  });
});
