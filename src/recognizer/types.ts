import type { Alternative } from '../decoder/streaming-decoder.js';

// The decoder side of a result (decoder words in model steps, the streaming-decoder interface) lives in the decoder.
export type { Alternative, DecoderOutput, DecoderWord, StreamingDecoder, UtteranceBoundary } from '../decoder/streaming-decoder.js';

/** One recognised word; times in seconds from the start of the stream. */
export interface WordResult {
  word: string;
  start: number;
  end: number;
  /** In [0, 1]. */
  conf: number;
}

/** The result of one utterance (between endpoints), or of a whole stream once merged. */
export interface RecognitionResult {
  text: string;
  words: WordResult[];
  /** n-best hypotheses, best first (beam search only). */
  alternatives: Alternative[];
  /** Audio span covered, in seconds from the stream start. */
  start: number;
  end: number;
}

export interface PartialResult {
  text: string;
}
