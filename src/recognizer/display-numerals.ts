import { writeNumerals, writeNumeralsInText } from '../text/numerals.js';
import type { DecoderOutput, DecoderWord, StreamingDecoder } from './types.js';

/**
 * The words of a number phrase merged into one: it spans them all, and it is right only if every one of them is,
 * so its confidence is the product of theirs.
 */
export function mergeNumeralWords(words: readonly DecoderWord[]): DecoderWord[] {
  return writeNumerals(words.map((w) => w.word)).map((span) => {
    const parts = words.slice(span.from, span.to);
    if (parts.length === 1) return parts[0]!;
    return {
      word: span.text,
      start: parts[0]!.start,
      end: parts[parts.length - 1]!.end,
      conf: parts.reduce((p, w) => p * w.conf, 1),
    };
  });
}

/** A decoder whose results and partials write numbers as numerals ("1984", "21st", "3.14", "50%"). */
export function withNumerals(decoder: StreamingDecoder): StreamingDecoder {
  return {
    acceptFrames: (logProbs, frames) => decoder.acceptFrames(logProbs, frames),
    partial: () => writeNumeralsInText(decoder.partial()),
    reset: (boundary) => decoder.reset(boundary),
    finalize: (boundary): DecoderOutput => {
      const out = decoder.finalize(boundary);
      return {
        text: writeNumeralsInText(out.text),
        words: mergeNumeralWords(out.words),
        alternatives: out.alternatives.map((a) => ({ ...a, text: writeNumeralsInText(a.text) })),
      };
    },
  };
}
