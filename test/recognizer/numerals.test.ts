import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecognizer, type RecognitionResult, type Recognizer } from '../../src/recognizer/index.js';
import { computeWer } from '../../src/text/index.js';
import { digitsToWords } from '../../src/text/numbers.js';
import { writeNumerals } from '../../src/text/numerals.js';
import { readManifest } from '../../src/util/manifest.js';
import { SAMPLES, SAMPLE_MANIFEST, TINY_MODEL, defaultModelDir } from '../helpers.js';
import { streamBesideTwin } from './twin-streams.js';

// Numbers as numerals on real audio: the option rewrites the recogniser's words and nothing else.
const MODEL = defaultModelDir() ?? TINY_MODEL;
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Digit strings read back one digit word per digit, to score them against a spoken reference. */
function spokenDigits(text: string): string {
  return text
    .split(' ')
    .map((w) => (/^\d+$/.test(w) ? digitsToWords(w) : w))
    .join(' ');
}

function expectNumeralsOf(plain: RecognitionResult, numerals: RecognitionResult): void {
  const spans = writeNumerals(plain.words.map((w) => w.word));
  expect(numerals.words.map((w) => w.word)).toEqual(spans.map((s) => s.text));
  expect(numerals.text).toBe(numerals.words.map((w) => w.word).join(' '));
  spans.forEach((s, i) => {
    const parts = plain.words.slice(s.from, s.to);
    const merged = numerals.words[i]!;
    expect(merged.start).toBe(parts[0]!.start);
    expect(merged.end).toBe(parts[parts.length - 1]!.end);
    // a number is right only if all its words are
    expect(merged.conf).toBeCloseTo(parts.reduce((p, w) => p * w.conf, 1), 2);
  });
  expect([numerals.start, numerals.end]).toEqual([plain.start, plain.end]);
}

describe('numerals on real audio', () => {
  let recognizer: Recognizer;
  beforeAll(async () => {
    recognizer = await createRecognizer({ model: MODEL });
  });
  afterAll(async () => recognizer.close());

  it('writes spoken digits as one number with the times of its words, within a WER bound', async () => {
    const file = join(SAMPLES, 'digits-8k-fsdd-4159.wav');
    // one utterance: the endpointer would otherwise cut the digit string at the reader's pauses, and numbers are
    // written per utterance, as a stream delivers them
    const plain = await recognizer.transcribeFile(file, { grammar: DIGITS, endpoint: false });
    const numerals = await recognizer.transcribeFile(file, { grammar: DIGITS, endpoint: false, numerals: true });
    expectNumeralsOf(plain, numerals);
    expect(computeWer([{ reference: 'four one five nine', hypothesis: spokenDigits(numerals.text) }]).wer).toBeLessThanOrEqual(0.5);
    expect(numerals.words.length).toBeLessThan(plain.words.length); // the digits did become one number
  });

  it('changes nothing but numbers on every fixture, utterance by utterance, in results and partials', async () => {
    for (const entry of await readManifest(SAMPLE_MANIFEST)) {
      const { shown, plain } = await streamBesideTwin(recognizer, entry.path, { numerals: true }, (stream, twin) => {
        expect(stream.partial().text).toBe(writeNumerals(twin.partial().text.split(' ').filter(Boolean)).map((s) => s.text).join(' '));
      });
      expect(shown.length).toBe(plain.length);
      shown.forEach((numerals, i) => expectNumeralsOf(plain[i]!, numerals));
    }
  });
});
