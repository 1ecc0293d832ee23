import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudioFile } from '../../src/audio/index.js';
import { defaultPunctuationModel } from '../../src/punctuation/model.js';
import { displayTokens } from '../../src/punctuation/truecase.js';
import { transcribeFiles } from '../../src/recognizer/batch.js';
import { createRecognizer, type RecognitionResult, type Recognizer } from '../../src/recognizer/index.js';
import { writeNumerals } from '../../src/text/numerals.js';
import { readManifest } from '../../src/util/manifest.js';
import { SAMPLES, SAMPLE_MANIFEST, TINY_MODEL, defaultModelDir, randomSplits, rng } from '../helpers.js';
import { streamBesideTwin } from './twin-streams.js';

// Punctuation on real audio: the option changes how words are shown and nothing else.
const MODEL = defaultModelDir() ?? TINY_MODEL;

/** A shown word back to the recogniser's: its trailing mark gone, lowercase. */
const plainWord = (shown: string): string => shown.replace(/[,.?]$/, '').toLowerCase();

/** `previous`: the utterance shown before this one in the same stream. */
function expectPunctuationOf(plain: RecognitionResult, shown: RecognitionResult, previous?: RecognitionResult): void {
  expect(shown.words.map((w) => plainWord(w.word))).toEqual(plain.words.map((w) => w.word));
  expect(shown.words.map((w) => [w.start, w.end, w.conf])).toEqual(plain.words.map((w) => [w.start, w.end, w.conf]));
  expect(shown.text).toBe(shown.words.map((w) => w.word).join(' '));
  expect([shown.start, shown.end]).toEqual([plain.start, plain.end]);
  // Only an utterance cut for length inside running speech ends without a sentence mark, and the one after it carries
  // its sentence on.
  const midSentence = previous !== undefined && previous.text !== '' && !/[.?]$/.test(previous.text);
  // it is the shipped model's reading of this utterance's words and the pauses between them, on their own, ending
  // a sentence or (cut for length) leaving it open
  const model = defaultPunctuationModel();
  const words = plain.words.map((w) => w.word);
  const pauses = plain.words.map((w, i) => (i + 1 < plain.words.length ? plain.words[i + 1]!.start - w.end : Number.NaN));
  const readings = [false, true].map((continues) => model.punctuate(words, true, model.trellis(), pauses, { continues, midSentence }).join(' '));
  expect(readings).toContain(shown.text);
  if (shown.words.length > 0 && !midSentence) expect(shown.text).toMatch(/^[^a-z]/);
}

describe('punctuation on real audio', () => {
  let recognizer: Recognizer;
  beforeAll(async () => {
    recognizer = await createRecognizer({ model: MODEL });
  });
  afterAll(async () => recognizer.close());

  it('changes only how words are shown, on every fixture, utterance by utterance, in results and partials', async () => {
    const model = defaultPunctuationModel();
    let utteranceCount = 0;
    for (const entry of await readManifest(SAMPLE_MANIFEST)) {
      const { shown, plain } = await streamBesideTwin(recognizer, entry.path, { punctuate: true }, (stream, twin) => {
        const partial = stream.partial().text;
        // a partial of an utterance that carries on a sentence left open starts without a capital
        const words = twin.partial().text.split(' ').filter(Boolean);
        expect([false, true].map((midSentence) => model.punctuate(words, false, model.trellis(), [], { midSentence }).join(' '))).toContain(partial);
        expect(partial.split(' ').filter(Boolean).map(plainWord).join(' ')).toBe(twin.partial().text);
      });
      expect(shown.length).toBe(plain.length);
      shown.forEach((u, i) => expectPunctuationOf(plain[i]!, u, shown[i - 1]));
      utteranceCount += shown.filter((u) => u.words.length > 0).length;
    }
    expect(utteranceCount).toBeGreaterThan(10);
  });

  it('streaming equals batch: results and partials do not depend on packet cuts', async () => {
    const file = join(SAMPLES, 'long-librilight-248.wav');
    const audio = await readAudioFile(file);
    const batch = await recognizer.transcribe(audio.samples, audio.sampleRate, { punctuate: true });
    const stream = recognizer.createStream({ punctuate: true });
    const twin = recognizer.createStream({ punctuate: true });
    const results: RecognitionResult[] = [];
    let from = 0;
    let twinFrom = 0;
    for (const [k, to] of randomSplits(audio.samples.length, rng(11), 24000).entries()) {
      stream.acceptWaveform(audio.samples.subarray(from, to), audio.sampleRate);
      from = to;
      await stream.decode();
      while (stream.hasResult()) results.push(stream.popResult()!);
      if (k % 5 !== 4) continue;
      // every fifth cut the twin catches up in one piece: with the same audio in, the same partial out
      twin.acceptWaveform(audio.samples.subarray(twinFrom, to), audio.sampleRate);
      twinFrom = to;
      await twin.decode();
      while (twin.hasResult()) twin.popResult();
      expect(twin.partial().text).toBe(stream.partial().text);
    }
    results.push(await stream.finish());
    const streamed = results.filter((r) => r.text !== '');
    expect(streamed.map((r) => r.text).join(' ')).toBe(batch.text);
    expect(streamed.flatMap((r) => r.words)).toEqual(batch.words);
    // several utterances, each ending a sentence or, cut for length, leaving it to the next
    expect(streamed.length).toBeGreaterThan(1);
    streamed.forEach((r, i) => {
      const open = i > 0 && !/[.?]$/.test(streamed[i - 1]!.text);
      expect(r.text).toMatch(open ? /^[a-zA-Z0-9]/ : /^[A-Z0-9]/);
    });
    expect(streamed[streamed.length - 1]!.text).toMatch(/[.?]$/);
  });

  it('an utterance cut for length inside running speech leaves its sentence open, and the next carries it on', async () => {
    const file = join(SAMPLES, 'long-librilight-248.wav');
    const model = defaultPunctuationModel();
    const audio = await readAudioFile(file);
    const stream = recognizer.createStream({ punctuate: true, endpoint: { maxUtterance: 5 } });
    stream.acceptWaveform(audio.samples, audio.sampleRate);
    await stream.decode();
    const utterances: RecognitionResult[] = [];
    while (stream.hasResult()) utterances.push(stream.popResult()!);
    utterances.push(await stream.finish());
    const spoken = utterances.filter((u) => u.words.length > 0);
    // 70 s cut every 5 s or so: most cuts fall inside sentences, and the text no longer shows each as a sentence end
    expect(spoken.length).toBeGreaterThan(10);
    const open = spoken.filter((u) => !/[.?]$/.test(u.text));
    expect(open.length).toBeGreaterThan(spoken.length / 3);
    spoken.forEach((u, i) => {
      if (i === 0 || /[.?]$/.test(spoken[i - 1]!.text)) return;
      // carried on: the first word shown as inside a sentence (lowercase unless the case table or "I" says otherwise)
      const first = u.words[0]!.word.replace(/[,.?]$/, '');
      expect(first).toBe(displayTokens([first.toLowerCase()], [null], model.cases, false)[0]);
    });
    // the stream's end always ends a sentence
    expect(spoken[spoken.length - 1]!.text).toMatch(/[.?]$/);
  });

  it('composes with numerals: numbers written first, then punctuation', async () => {
    const file = join(SAMPLES, 'digits-8k-fsdd-4159.wav');
    const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const numerals = await recognizer.transcribeFile(file, { grammar: digits, endpoint: false, numerals: true });
    const both = await recognizer.transcribeFile(file, { grammar: digits, endpoint: false, numerals: true, punctuate: true });
    expectPunctuationOf(numerals, both);
    const plain = await recognizer.transcribeFile(file, { grammar: digits, endpoint: false });
    expect(numerals.words.map((w) => w.word)).toEqual(writeNumerals(plain.words.map((w) => w.word)).map((s) => s.text));
  });

  it('batch on worker threads (one shared copy of the punctuation LM) gives what a stream here gives', async () => {
    const files = ['tts-espeak-fox.wav', 'tts-flite-stella.wav', 'librilight-831-130739-0004.wav'].map((f) => join(SAMPLES, f));
    const outcomes = await transcribeFiles(files, { recognizer: { model: MODEL }, punctuate: true, workers: 2 });
    for (const [i, file] of files.entries()) {
      const outcome = outcomes[i]!;
      expect(outcome.ok).toBe(true);
      if (outcome.ok) expect(outcome.result).toEqual(await recognizer.transcribeFile(file, { punctuate: true }));
    }
  });
});
