/** One recognised word; times in seconds from the start of the stream. */
export interface WordResult {
  word: string;
  start: number;
  end: number;
  /** In [0, 1]. */
  conf: number;
}

export interface Alternative {
  text: string;
  /** Total log score of the hypothesis (higher is better). */
  score: number;
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

/** What a decoder reports, in model steps relative to the utterance start. */
export interface DecoderWord {
  word: string;
  start: number;
  end: number;
  conf: number;
}

export interface DecoderOutput {
  text: string;
  words: DecoderWord[];
  alternatives: Alternative[];
}

/** A streaming CTC decoder: split-invariant, reset between utterances. */
export interface StreamingDecoder {
  acceptFrames(logProbs: Float32Array, frames: number): void;
  partial(): string;
  finalize(): DecoderOutput;
  reset(): void;
}
