import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PunctuationModel } from '../../src/punctuation/model.js';
import { createRecognizer, type Recognizer } from '../../src/recognizer/index.js';
import type { RecognitionResult } from '../../src/recognizer/types.js';
import { SAMPLES, defaultModelDir } from '../helpers.js';

/** Share of the gaps between consecutive words in `range` (seconds) that the punctuated words mark. */
function markedShare(words: RecognitionResult['words'], range: [number, number]): { share: number; gaps: number } {
  let gaps = 0;
  let marked = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    const pause = words[i + 1]!.start - words[i]!.end;
    if (pause < range[0] || pause >= range[1]) continue;
    gaps++;
    if (/[,.?]$/.test(words[i]!.word)) marked++;
  }
  return { share: gaps === 0 ? 0 : marked / gaps, gaps };
}

describe.runIf(defaultModelDir() !== null)('pause cue on real speech (the 70 s Libri-light fixture)', () => {
  const file = join(SAMPLES, 'long-librilight-248.wav');
  let recognizer: Recognizer;
  let plain: RecognitionResult;
  let punctuated: RecognitionResult;
  beforeAll(async () => {
    recognizer = await createRecognizer();
    plain = await recognizer.transcribeFile(file);
    punctuated = await recognizer.transcribeFile(file, { punctuate: true });
  });
  afterAll(async () => {
    await recognizer.close();
  });

  it('punctuates the same words with the same times', () => {
    expect(punctuated.words.map((w) => w.word.replace(/[,.?]$/, '').toLowerCase())).toEqual(plain.words.map((w) => w.word.toLowerCase()));
    expect(punctuated.words.map((w) => [w.start, w.end])).toEqual(plain.words.map((w) => [w.start, w.end]));
  });

  it('marks the reader\'s long pauses, more of them than the words alone do, and few of the words run together', () => {
    const long = markedShare(punctuated.words, [0.5, Infinity]);
    const short = markedShare(punctuated.words, [0, 0.15]);
    expect(long.gaps).toBeGreaterThanOrEqual(8);
    expect(short.gaps).toBeGreaterThan(100);
    // measured 2026-12-04: 12 of 12 long pauses marked (8 of 12 from the words alone), 3 of ~170 short gaps
    expect(long.share).toBeGreaterThanOrEqual(0.8);
    expect(short.share).toBeLessThan(0.1);
    // the model on the same words as one text, with their pauses and without
    const model = PunctuationModel.load();
    const words = plain.words.map((w) => w.word);
    const pauses = plain.words.map((w, i) => (i + 1 < plain.words.length ? plain.words[i + 1]!.start - w.end : Number.NaN));
    const shown = (marks: string[]): RecognitionResult['words'] => plain.words.map((w, i) => ({ ...w, word: marks[i]! }));
    const withCue = markedShare(shown(model.punctuate(words, true, model.trellis(), pauses)), [0.5, Infinity]).share;
    const wordsAlone = markedShare(shown(model.punctuate(words)), [0.5, Infinity]).share;
    expect(withCue).toBeGreaterThan(wordsAlone);
  });
});

