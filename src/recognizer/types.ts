/** One recognised word; times in seconds from the start of the stream. */
export interface WordResult {
  word: string;
  start: number;
  end: number;
  /** In [0, 1]. */
  conf: number;
}

/** One n-best hypothesis; named as Vosk names it, in the library, the CLI's JSON and the server alike. */
export interface Alternative {
  text: string;
  /** The hypothesis' total log score (higher is better; Vosk's `confidence` in its alternatives). */
  confidence: number;
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

/** How an utterance ends and the next begins. */
export interface UtteranceBoundary {
  /**
   * The speech goes on past the end of this utterance: it was cut for length at a word boundary, not ended by a
   * pause or by the end of the stream (default false). Display decoders then leave the sentence open.
   */
  continues?: boolean;
}

/** A streaming CTC decoder: split-invariant, reset between utterances. */
export interface StreamingDecoder {
  acceptFrames(logProbs: Float32Array, frames: number): void;
  partial(): string;
  finalize(boundary?: UtteranceBoundary): DecoderOutput;
  /** Starts the next utterance; `continues` (as given to the finalize before it) when it carries on that one's speech. */
  reset(boundary?: UtteranceBoundary): void;
}
