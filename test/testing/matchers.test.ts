import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudioFile } from '../../src/audio/decode.js';
import { computeWer } from '../../src/text/wer.js';
import {
  formatAlignment,
  scoreTranscript,
  sharedRecognizer,
  toTranscribeAs,
  transcriptionScore,
  type TranscriptionMatchers,
} from '../../src/testing/index.js';
import { SAMPLES } from '../helpers.js';

declare module 'vitest' {
  interface Matchers<T = any> extends TranscriptionMatchers<T> {}
}

expect.extend({ toTranscribeAs });

const FOX = join(SAMPLES, 'tts-espeak-fox.wav');
const FOX_TEXT = 'the quick brown fox jumps over the lazy dog';

describe('scoreTranscript (no model)', () => {
  it('scores as hearken eval does: normalised, the same WER as computeWer', () => {
    const reference = 'Press 1 for Sales.';
    const hypothesis = 'press one for the sale';
    const score = scoreTranscript(reference, hypothesis);
    expect(score.reference).toBe('press one for sales');
    expect(score.hypothesis).toBe('press one for the sale');
    expect(score.wer).toBe(computeWer([{ reference, hypothesis }]).wer);
    expect(score.substitutions + score.deletions + score.insertions).toBe(score.alignment.filter((c) => c.op !== 'match').length);
    expect(score.alignment.filter((c) => c.op !== 'insertion').map((c) => c.expected).join(' ')).toBe(score.reference);
    expect(score.alignment.filter((c) => c.op !== 'deletion').map((c) => c.heard).join(' ')).toBe(score.hypothesis);
  });

  it('an empty reference with words heard is an infinite WER, with nothing heard a perfect one', () => {
    expect(scoreTranscript('', 'hello').wer).toBe(Infinity);
    expect(scoreTranscript('', '').wer).toBe(0);
    expect(scoreTranscript('hello there', '').deletions).toBe(2);
  });

  it('formatAlignment puts each expected word over its heard word and marks the errors', () => {
    const score = scoreTranscript('press one for sales', 'press won for sales please');
    const [expectedLine, heardLine, marksLine] = formatAlignment(score.alignment).split('\n') as [string, string, string];
    expect(expectedLine.startsWith('expected: ')).toBe(true);
    expect(heardLine.startsWith('heard:    ')).toBe(true);
    // columns line up: each heard word starts where its expected word starts
    for (const word of ['press', 'for', 'sales']) expect(heardLine.indexOf(` ${word}`)).toBe(expectedLine.indexOf(` ${word}`));
    expect(heardLine.indexOf('won')).toBe(expectedLine.indexOf('one'));
    expect(marksLine[expectedLine.indexOf('one')]).toBe('S');
    expect(marksLine[heardLine.indexOf('please')]).toBe('I');
    expect(expectedLine.slice(heardLine.indexOf('please'))).toMatch(/^\*{6}$/);
  });
});

describe('toTranscribeAs and transcriptionScore (shipped model)', { timeout: 300_000 }, () => {
  it('a fixture passes against its transcript, and fails against other words with WER, expected and heard text aligned', async () => {
    await expect(FOX).toTranscribeAs(FOX_TEXT, { maxWer: 0.2 });
    const failure = await expect(FOX).toTranscribeAs('press one for sales').then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(failure).toBeInstanceOf(Error);
    const message = failure!.message;
    expect(message).toMatch(/WER [\d.]+ \(\d+ errors/);
    expect(message).toContain('"press one for sales"');
    expect(message).toMatch(/^expected: [* ]*press +one +for +sales$/m);
    expect(message).toMatch(/^heard: {4}the +quick +brown +fox/m);
    const score = await transcriptionScore(FOX, 'press one for sales');
    expect(message).toContain(`heard: "${score.heardText}"`);
    expect(score.wer).toBeGreaterThan(0.5);
  });

  it('.not inverts it', async () => {
    await expect(FOX).not.toTranscribeAs('press one for sales', { maxWer: 0.5 });
    await expect(expect(FOX).not.toTranscribeAs(FOX_TEXT, { maxWer: 0.2 })).rejects.toThrow(/not to transcribe as/);
  });

  it('samples in memory score as the file does', async () => {
    const audio = await readAudioFile(FOX);
    const fromFile = await transcriptionScore(FOX, FOX_TEXT);
    const fromSamples = await transcriptionScore({ samples: audio.samples, sampleRate: audio.sampleRate }, FOX_TEXT);
    expect(fromSamples.hypothesis).toBe(fromFile.hypothesis);
    expect(fromSamples.wer).toBe(fromFile.wer);
    expect(fromFile.wer).toBe(scoreTranscript(FOX_TEXT, fromFile.heardText).wer);
  });

  it('loads the recognizer once per worker', async () => {
    const first = sharedRecognizer();
    expect(sharedRecognizer()).toBe(first);
    const recognizer = await first;
    await transcriptionScore(FOX, FOX_TEXT);
    expect(await sharedRecognizer()).toBe(recognizer);
  });

  it('bad arguments are errors, not failed matches', async () => {
    await expect(transcriptionScore(FOX, 42 as unknown as string)).rejects.toThrow(TypeError);
    await expect(transcriptionScore(7 as unknown as string, 'seven')).rejects.toThrow(TypeError);
    await expect(expect(FOX).toTranscribeAs(FOX_TEXT, { maxWer: -1 })).rejects.toThrow(RangeError);
    await expect(transcriptionScore(join(SAMPLES, 'no-such-file.wav'), 'x')).rejects.toThrow();
  });
});
