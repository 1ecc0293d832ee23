import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transcribeFiles } from '../../src/recognizer/batch.js';
import { createRecognizer, type RecognitionResult, type Recognizer } from '../../src/recognizer/index.js';
import { MaskWordsError } from '../../src/text/mask-words.js';
import { readManifest } from '../../src/util/manifest.js';
import { SAMPLE_MANIFEST, TINY_MODEL, defaultModelDir } from '../helpers.js';
import { streamBesideTwin } from './twin-streams.js';

// Masking on real audio: the option replaces listed words' letters with asterisks and changes nothing else.
const MODEL = defaultModelDir() ?? TINY_MODEL;
// common words, so that the fixtures say some of them
const MASKED = ['the', 'and', 'you', 'her', 'his', 'a', 'to', 'of'];
const isMasked = (word: string): boolean => MASKED.includes(word.replace(/[^a-z']/gi, '').toLowerCase());
const stars = (word: string): string => word.replace(/[a-z']+/gi, (letters) => '*'.repeat(letters.length));
const masked = (text: string): string => text.split(' ').map((w) => (isMasked(w) ? stars(w) : w)).join(' ');

function expectMaskOf(plain: RecognitionResult, shown: RecognitionResult): void {
  expect(shown.words.map((w) => w.word)).toEqual(plain.words.map((w) => (isMasked(w.word) ? '*'.repeat(w.word.length) : w.word)));
  expect(shown.words.map((w) => [w.start, w.end, w.conf])).toEqual(plain.words.map((w) => [w.start, w.end, w.conf]));
  expect(shown.text).toBe(masked(plain.text));
  expect([shown.start, shown.end]).toEqual([plain.start, plain.end]);
  expect(shown.alternatives.map((a) => a.text)).toEqual(plain.alternatives.map((a) => masked(a.text)));
}

// Each test decodes fixtures with the shipped model: generous limits, since CI machines may be loaded.
describe('maskWords on real audio', { timeout: 300_000 }, () => {
  let recognizer: Recognizer;
  beforeAll(async () => {
    recognizer = await createRecognizer({ model: MODEL });
  });
  afterAll(async () => recognizer.close());

  it('masks the listed words in results, word entries, alternatives and partials, on every fixture', async () => {
    let maskedWords = 0;
    for (const entry of (await readManifest(SAMPLE_MANIFEST)).filter((e) => !e.path.includes('long-'))) {
      const { shown, plain } = await streamBesideTwin(recognizer, entry.path, { maskWords: MASKED }, (stream, twin) => {
        expect(stream.partial().text).toBe(masked(twin.partial().text));
      });
      expect(shown.length).toBe(plain.length);
      shown.forEach((u, i) => expectMaskOf(plain[i]!, u));
      maskedWords += shown.flatMap((u) => u.words).filter((w) => /^\*+$/.test(w.word)).length;
    }
    expect(maskedWords).toBeGreaterThan(5);
  });

  it('masks what the reader sees: after numerals and punctuation ("The" → "***", "her." → "***.")', async () => {
    const entry = (await readManifest(SAMPLE_MANIFEST)).find((e) => e.path.includes('stella'))!;
    const display = { numerals: true, punctuate: true };
    const shown = await recognizer.transcribeFile(entry.path, { ...display, maskWords: MASKED.map((w) => w.toUpperCase()) });
    const unmasked = await recognizer.transcribeFile(entry.path, display);
    expect(shown.text).toBe(masked(unmasked.text));
    expect(shown.text).toMatch(/\*/);
    expect(shown.words.map((w) => w.word)).toEqual(unmasked.words.map((w) => (isMasked(w.word) ? stars(w.word) : w.word)));
  });

  it('a bad list is a MaskWordsError before any audio, for a stream and for a batch', async () => {
    expect(() => recognizer.createStream({ maskWords: ['two words'] })).toThrow(MaskWordsError);
    await expect(transcribeFiles(['no-such-file.wav'], { maskWords: ['ok', 'not ok'] })).rejects.toThrow(expect.objectContaining({ code: 'BAD_MASK_WORD' }));
  });
});
