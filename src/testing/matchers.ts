/**
 * Speech assertions for other apps' tests: does this audio (an IVR prompt, a TTS output, a recording) say that?
 * `transcriptionScore` returns the figures for any assertion style; `toTranscribeAs` is a matcher for
 * `expect.extend` in vitest or jest.
 */
import type { Recognizer, StreamOptions } from '../recognizer/recognizer.js';
import { formatAlignment, scoreTranscript, type TranscriptScore } from './score.js';
import { sharedRecognizer } from './shared-recognizer.js';

/** Audio to transcribe: a file path (WAV, FLAC, Ogg, MP3; relative to the working directory), or samples. */
export type SpeechInput = string | { samples: Float32Array; sampleRate: number };

export interface TranscriptionOptions extends StreamOptions {
  /** Transcribe with this recognizer instead of the shared one (the shipped model and LM, loaded once per worker). */
  recognizer?: Recognizer;
}

export interface TranscribeAsOptions extends TranscriptionOptions {
  /** The most word error rate that still passes (default 0: every word right). */
  maxWer?: number;
}

export interface TranscriptionScore extends TranscriptScore {
  /** What the recognizer heard, as it wrote it (before normalisation). */
  heardText: string;
}

/** Transcribes `audio` and scores it against `expected`: WER, both texts as scored, and the word alignment. */
export async function transcriptionScore(audio: SpeechInput, expected: string, options: TranscriptionOptions = {}): Promise<TranscriptionScore> {
  if (typeof expected !== 'string') throw new TypeError(`the expected transcript must be a string, got ${typeof expected}`);
  const { recognizer: given, ...streamOptions } = options;
  const recognizer = given ?? (await sharedRecognizer());
  let heardText: string;
  if (typeof audio === 'string') {
    heardText = (await recognizer.transcribeFile(audio, streamOptions)).text;
  } else if (audio !== null && typeof audio === 'object' && audio.samples instanceof Float32Array) {
    heardText = (await recognizer.transcribe(audio.samples, audio.sampleRate, streamOptions)).text;
  } else {
    throw new TypeError('expected audio: a file path, or { samples: Float32Array, sampleRate }');
  }
  return { ...scoreTranscript(expected, heardText), heardText };
}

/** What a vitest or jest matcher returns. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

const describeAudio = (audio: unknown): string =>
  typeof audio === 'string' ? audio : audio !== null && typeof audio === 'object' ? 'the audio' : String(audio);

/**
 * `await expect(audio).toTranscribeAs('press one for sales', { maxWer: 0.2 })`: passes when the audio's WER
 * against the expected text is at most `maxWer` (default 0). A failure says the WER, and the expected and heard
 * words aligned. Register with `expect.extend({ toTranscribeAs })`.
 */
export async function toTranscribeAs(
  this: { isNot?: boolean } | void,
  received: SpeechInput,
  expected: string,
  options: TranscribeAsOptions = {},
): Promise<MatcherResult> {
  const { maxWer = 0, ...rest } = options;
  if (typeof maxWer !== 'number' || !(maxWer >= 0)) throw new RangeError(`maxWer must be a number ≥ 0, got ${String(maxWer)}`);
  const score = await transcriptionScore(received, expected, rest);
  const pass = score.wer <= maxWer;
  const isNot = (this as { isNot?: boolean } | undefined)?.isNot === true;
  const verdict = isNot ? 'not to transcribe as' : 'to transcribe as';
  const errors = score.substitutions + score.deletions + score.insertions;
  return {
    pass,
    message: () =>
      `expected ${describeAudio(received)} ${verdict} "${expected}" with WER ≤ ${maxWer}; ` +
      `WER ${score.wer.toFixed(3)} (${errors} errors: ${score.substitutions} S, ${score.deletions} D, ${score.insertions} I)\n` +
      `heard: "${score.heardText}"\n${formatAlignment(score.alignment)}`,
    actual: score.hypothesis,
    expected: score.reference,
  };
}
