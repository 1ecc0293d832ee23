import type { WordMask } from '../text/mask-words.js';
import type { DecoderOutput, StreamingDecoder } from './types.js';

/**
 * A decoder whose results, word entries, alternatives and partials show `mask`'s words as asterisks. Applied
 * last, to what the reader sees (after numerals and punctuation), so "Damn," becomes "****,".
 */
export function withMaskedWords(decoder: StreamingDecoder, mask: WordMask): StreamingDecoder {
  return {
    acceptFrames: (logProbs, frames) => decoder.acceptFrames(logProbs, frames),
    partial: () => mask.maskText(decoder.partial()),
    reset: (boundary) => decoder.reset(boundary),
    finalize: (boundary): DecoderOutput => {
      const out = decoder.finalize(boundary);
      return {
        text: mask.maskText(out.text),
        words: out.words.map((w) => ({ ...w, word: mask.maskWord(w.word) })),
        alternatives: out.alternatives.map((a) => ({ ...a, text: mask.maskText(a.text) })),
      };
    },
  };
}
