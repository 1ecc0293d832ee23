import { HearkenError } from '../util/errors.js';

/** Machine-readable reason an audio input was refused. */
export type AudioErrorCode =
  | 'EMPTY'
  | 'NOT_RIFF'
  | 'NOT_WAVE'
  | 'TRUNCATED_HEADER'
  | 'TRUNCATED_DATA'
  | 'MISSING_FMT'
  | 'MISSING_DATA'
  | 'UNSUPPORTED_CODEC'
  | 'UNSUPPORTED_BIT_DEPTH'
  | 'BAD_CHANNELS'
  | 'BAD_SAMPLE_RATE'
  | 'BAD_BLOCK_ALIGN'
  | 'TOO_LARGE'
  | 'TOO_LONG'
  | 'UNKNOWN_CONTAINER'
  | 'DECODE_FAILED'
  | 'BAD_PCM_FORMAT'
  | 'NON_FINITE_SAMPLE';

/** Every refusal of audio input is an AudioFormatError with a code and a message a person can act on. */
export class AudioFormatError extends HearkenError<AudioErrorCode> {
  constructor(code: AudioErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'AudioFormatError';
  }
}
