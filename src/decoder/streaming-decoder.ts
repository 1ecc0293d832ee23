/**
 * The one interface every streaming CTC decoder implements (greedy.ts, and the beam search through
 * `BeamStreamingDecoder`): frames in, a partial guess at any time, one result per utterance. The recognizer
 * stream drives it and display rewrites (numerals, punctuation, masked words) wrap it.
 */
import type { BeamSearchDecoder } from './beam.js';

/** One n-best hypothesis; named as Vosk names it, in the library, the CLI's JSON and the server alike. */
export interface Alternative {
  text: string;
  /** The hypothesis' total log score (higher is better; Vosk's `confidence` in its alternatives). */
  confidence: number;
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

/** How texts are shown: a grammar's view (grammar.ts) maps its internal words back to the phrases' spelling. */
export interface TextView {
  result(text: string): string;
  partial(text: string): string;
}

/**
 * The beam search as a `StreamingDecoder`: its best hypothesis first among the alternatives (each with its total
 * score as Vosk's `confidence`), its texts and words shown through `view` when there is one.
 */
export class BeamStreamingDecoder implements StreamingDecoder {
  constructor(
    private readonly beam: BeamSearchDecoder,
    private readonly view: TextView | null = null,
  ) {}

  acceptFrames(logProbs: Float32Array, frames: number): void {
    this.beam.acceptFrames(logProbs, frames);
  }

  partial(): string {
    return this.view ? this.view.partial(this.beam.partial()) : this.beam.partial();
  }

  finalize(): DecoderOutput {
    const r = this.beam.finalize();
    const shown = (text: string): string => (this.view ? this.view.result(text) : text);
    return {
      text: shown(r.text),
      words: r.words.map((w) => ({ ...w, word: shown(w.word) })),
      alternatives: [{ text: shown(r.text), confidence: r.score }, ...r.alternatives.map((a) => ({ text: shown(a.text), confidence: a.score }))],
    };
  }

  reset(): void {
    this.beam.reset();
  }
}
