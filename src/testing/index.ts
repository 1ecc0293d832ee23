/**
 * `hearken/testing`: speech assertions for the tests of voice apps. See README "Testing voice apps".
 *
 *     import { expect } from 'vitest';
 *     import { toTranscribeAs } from 'hearken/testing';
 *     expect.extend({ toTranscribeAs });
 *     await expect('prompts/welcome.wav').toTranscribeAs('press one for sales', { maxWer: 0.2 });
 */
export {
  toTranscribeAs,
  transcriptionScore,
  type MatcherResult,
  type SpeechInput,
  type TranscribeAsOptions,
  type TranscriptionOptions,
  type TranscriptionScore,
} from './matchers.js';
export { formatAlignment, scoreTranscript, type AlignedWord, type TranscriptScore } from './score.js';
export { sharedRecognizer } from './shared-recognizer.js';
import type { TranscribeAsOptions } from './matchers.js';

/**
 * The matcher's type, for a test runner's declaration merging, e.g. for vitest:
 * `declare module 'vitest' { interface Matchers<T = any> extends TranscriptionMatchers<T> {} }`.
 */
export interface TranscriptionMatchers<R = unknown> {
  toTranscribeAs(expected: string, options?: TranscribeAsOptions): Promise<R>;
}
