import type { PunctuationModel } from '../punctuation/model.js';
import type { DecoderOutput, StreamingDecoder } from './types.js';

/**
 * A decoder whose results and partials are punctuated and cased for display. Each utterance is punctuated on
 * its own and ends with a sentence mark; a word entry carries its shown form ("London,", "Tired.") with its
 * times and confidence unchanged. A partial's last word has no mark yet (the utterance goes on), and partials
 * cost only their new words: the stream's trellis keeps the work done for the words they share.
 */
export function withPunctuation(decoder: StreamingDecoder, model: PunctuationModel): StreamingDecoder {
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
      const shown = model.punctuate(out.words.map((w) => w.word), true, trellis);
      return {
        text: shown.join(' '),
        words: out.words.map((w, i) => ({ ...w, word: shown[i]! })),
        // the n-best are whole utterances too; each gets its own trellis so the stream's stays on the best
        alternatives: out.alternatives.map((a) => ({ ...a, text: model.punctuateText(a.text) })),
      };
    },
  };
}
