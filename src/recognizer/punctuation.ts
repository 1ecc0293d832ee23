import type { PunctuationModel } from '../punctuation/model.js';
import type { DecoderOutput, StreamingDecoder } from './types.js';

/**
 * A decoder whose results and partials are punctuated and cased for display. Each utterance is punctuated on
 * its own and ends with a sentence mark. In results the pause after each word weighs on the mark there (the
 * pause cue, src/punctuation/viterbi.ts); partials, which carry no word times, are punctuated from the words
 * alone. A word entry carries its shown form ("London,", "Tired.") with its times and confidence unchanged. A
 * partial's last word has no mark yet (the utterance goes on), and partials cost only their new words: the
 * stream's trellis keeps the work done for the words they share. `stepSeconds`: the length of a model step, the
 * unit of the decoder's word times.
 */
export function withPunctuation(decoder: StreamingDecoder, model: PunctuationModel, stepSeconds: number): StreamingDecoder {
  const trellis = model.trellis();
  const words = (text: string): string[] => text.split(' ').filter((w) => w !== '');
  return {
    acceptFrames: (logProbs, frames) => decoder.acceptFrames(logProbs, frames),
    partial: () => model.punctuate(words(decoder.partial()), false, trellis).join(' '),
    reset: () => {
      decoder.reset();
      trellis.clear();
    },
    finalize: (): DecoderOutput => {
      const out = decoder.finalize();
      // the silence after each word, for the pause cue (word times are in model steps)
      const pauses = out.words.map((w, i) => (i + 1 < out.words.length ? (out.words[i + 1]!.start - w.end) * stepSeconds : Number.NaN));
      const shown = model.punctuate(out.words.map((w) => w.word), true, trellis, pauses);
      return {
        text: shown.join(' '),
        words: out.words.map((w, i) => ({ ...w, word: shown[i]! })),
        // the n-best are whole utterances too; each gets its own trellis so the stream's stays on the best
        alternatives: out.alternatives.map((a) => ({ ...a, text: model.punctuateText(a.text) })),
      };
    },
  };
}
