import type { PunctuationModel } from '../punctuation/model.js';
import type { DecoderOutput, StreamingDecoder } from './types.js';

/** A shown word ends a sentence. */
const endsSentence = (shown: string | undefined): boolean => shown !== undefined && /[.?]$/.test(shown);

/**
 * A decoder whose results and partials are punctuated and cased for display. Each utterance is punctuated on its
 * own and ends with a sentence mark, unless it was cut for length inside running speech: then its last word takes
 * whatever mark fits, or none, and an utterance that carries on an open sentence starts without a capital. In
 * results the pause after each word weighs on the mark there (the pause cue, src/punctuation/viterbi.ts); partials,
 * which carry no word times, are punctuated from the words alone. A word entry carries its shown form ("London,",
 * "Tired.") with its times and confidence unchanged. A partial's last word has no mark yet (the utterance goes on),
 * and partials cost only their new words: the stream's trellis keeps the work done for the words they share.
 * `stepSeconds`: the length of a model step, the unit of the decoder's word times.
 */
export function withPunctuation(decoder: StreamingDecoder, model: PunctuationModel, stepSeconds: number): StreamingDecoder {
  const trellis = model.trellis();
  const words = (text: string): string[] => text.split(' ').filter((w) => w !== '');
  /** This utterance carries on a sentence the last one, cut for length, left open. */
  let midSentence = false;
  /** What `midSentence` becomes if the next utterance continues this one. */
  let leavesOpen = false;
  return {
    acceptFrames: (logProbs, frames) => decoder.acceptFrames(logProbs, frames),
    partial: () => model.punctuate(words(decoder.partial()), false, trellis, [], { midSentence }).join(' '),
    reset: (boundary) => {
      decoder.reset(boundary);
      trellis.clear();
      midSentence = (boundary?.continues ?? false) && leavesOpen;
      leavesOpen = false;
    },
    finalize: (boundary): DecoderOutput => {
      const out = decoder.finalize(boundary);
      const context = { continues: boundary?.continues ?? false, midSentence };
      // the silence after each word, for the pause cue (word times are in model steps)
      const pauses = out.words.map((w, i) => (i + 1 < out.words.length ? (out.words[i + 1]!.start - w.end) * stepSeconds : Number.NaN));
      const shown = model.punctuate(out.words.map((w) => w.word), true, trellis, pauses, context);
      leavesOpen = shown.length === 0 ? midSentence : !endsSentence(shown[shown.length - 1]);
      return {
        text: shown.join(' '),
        words: out.words.map((w, i) => ({ ...w, word: shown[i]! })),
        // the n-best are whole utterances too; each gets its own trellis so the stream's stays on the best
        alternatives: out.alternatives.map((a) => ({ ...a, text: model.punctuate(words(a.text), true, model.trellis(), [], context).join(' ') })),
      };
    },
  };
}
