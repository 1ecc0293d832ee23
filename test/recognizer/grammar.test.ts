import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudioFile } from '../../src/audio/index.js';
import { GrammarError, UNKNOWN_WORD } from '../../src/decoder/grammar.js';
import { createRecognizer, mergeResults, type RecognitionResult, type Recognizer } from '../../src/recognizer/index.js';
import { computeWer } from '../../src/text/index.js';
import { SAMPLES, TINY_MODEL, defaultModelDir, randomSplits, rng } from '../helpers.js';

// Grammar decoding on real audio. Bounds, not transcripts: a better acoustic model only gets closer.
const MODEL = defaultModelDir() ?? TINY_MODEL;
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'oh'];
const STELLA = 'please call stella and ask her to bring these things with her from the store';

function words(r: RecognitionResult): string[] {
  return r.text.split(' ').filter(Boolean);
}

describe('grammar (Vosk phrase list) on real audio', () => {
  let recognizer: Recognizer;
  beforeAll(async () => {
    recognizer = await createRecognizer({ model: MODEL });
  });
  afterAll(async () => recognizer.close());

  it('recognises spoken digits as digit words only, within a WER bound', async () => {
    const refs: Array<[string, string]> = [
      ['digits-8k-fsdd-4159.wav', 'four one five nine'],
      ['digit-8k-fsdd-7.wav', 'seven'],
    ];
    const pairs: Array<{ reference: string; hypothesis: string }> = [];
    for (const [file, ref] of refs) {
      const r = await recognizer.transcribeFile(join(SAMPLES, file), { grammar: DIGITS });
      for (const w of words(r)) expect(DIGITS).toContain(w);
      expect(r.words.map((w) => w.word)).toEqual(words(r));
      pairs.push({ reference: ref, hypothesis: r.text });
    }
    expect(computeWer(pairs).wer).toBeLessThanOrEqual(0.4);
  });

  it('decodes a sentence of the grammar as that sentence, at least as well as open dictation', async () => {
    const grammar = ['please call stella', 'call bob and ask him to bring the car', STELLA, 'stop'];
    const file = join(SAMPLES, 'tts-flite-stella.wav');
    const restricted = await recognizer.transcribeFile(file, { grammar });
    const wer = (hypothesis: string) => computeWer([{ reference: STELLA, hypothesis }]).wer;
    expect(wer(restricted.text)).toBeLessThanOrEqual(0.1);
    const open = await recognizer.transcribeFile(file);
    expect(wer(restricted.text)).toBeLessThanOrEqual(wer(open.text));
  });

  it('reports speech outside the grammar as [unk] when the grammar lists it', async () => {
    const r = await recognizer.transcribeFile(join(SAMPLES, 'tts-flite-stella.wav'), { grammar: [...DIGITS, '[unk]'] });
    const ws = words(r);
    for (const w of ws) expect([...DIGITS, UNKNOWN_WORD]).toContain(w);
    expect(ws).toContain(UNKNOWN_WORD);
    expect(r.words.map((w) => w.word)).toEqual(ws);
    for (const alt of r.alternatives) for (const w of alt.text.split(' ').filter(Boolean)) expect([...DIGITS, UNKNOWN_WORD]).toContain(w);
  });

  it('gives the same result streamed in random packets as in one piece, with grammar words only in partials', async () => {
    const audio = await readAudioFile(join(SAMPLES, 'digits-8k-fsdd-4159.wav'));
    const grammar = [...DIGITS, '[unk]'];
    const whole = await recognizer.transcribe(audio.samples, audio.sampleRate, { grammar });
    for (const seed of [1, 2]) {
      const stream = recognizer.createStream({ grammar });
      const random = rng(seed);
      const parts: RecognitionResult[] = [];
      let from = 0;
      for (const to of randomSplits(audio.samples.length, random, 2000)) {
        stream.acceptWaveform(audio.samples.subarray(from, to), audio.sampleRate);
        from = to;
        if (random() < 0.3) {
          await stream.decode();
          for (const w of stream.partial().text.split(' ').filter(Boolean)) expect(grammar).toContain(w);
          while (stream.hasResult()) parts.push(stream.popResult()!);
        }
      }
      parts.push(await stream.finish());
      expect(mergeResults(parts)).toEqual(whole);
    }
  });

  it('decodes with the beam search even on a greedy recognizer', async () => {
    const greedy = await createRecognizer({ model: MODEL, decoding: 'greedy' });
    try {
      const file = join(SAMPLES, 'digits-8k-fsdd-4159.wav');
      // one utterance: a result merged from several (a pause ended one) carries no alternatives
      const a = await greedy.transcribeFile(file, { grammar: DIGITS, endpoint: false });
      for (const w of words(a)) expect(DIGITS).toContain(w);
      expect(a.alternatives.length).toBeGreaterThan(0);
    } finally {
      await greedy.close();
    }
  });

  it('rejects a bad phrase list when the stream is created', () => {
    expect(() => recognizer.createStream({ grammar: ['yes', ''] })).toThrow(GrammarError);
    expect(() => recognizer.createStream({ grammar: ['[unk]'] })).toThrow(/besides \[unk\]/);
  });
});
