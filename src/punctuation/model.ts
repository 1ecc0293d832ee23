/**
 * The shipped punctuation model (models/punctuation/): its LM and case table, loaded on first use and then kept
 * for the life of the thread, since every stream that asks for punctuation shares them read-only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadLanguageModelFile } from '../lm/load.js';
import type { NgramLM } from '../lm/ngram-lm.js';
import { ngramLMFromShared, type SharedNgramData } from '../lm/shared.js';
import { ModelLoadError } from '../model/errors.js';
import { MARK_TOKEN, MARKS, type Mark } from './marks.js';
import { CaseTable, displayTokens } from './truecase.js';
import { PunctuationTrellis, type PauseCue } from './viterbi.js';

export const PUNCTUATION_DIR = fileURLToPath(new URL('../../models/punctuation/', import.meta.url));
export const PUNCTUATION_LM_FILE = 'punctuation-3gram.arpa.gz';
export const CASE_TABLE_FILE = 'case.txt.gz';

/**
 * log10 added for each mark placed: the LM alone is a little shy of marks (precision above recall); these were
 * chosen on the held-out dev units (models/punctuation/README.md), never on the test units.
 */
export const MARK_BONUS: Readonly<Record<Mark, number>> = { comma: 0.2, period: 0.3, question: 0.3 };

/**
 * How pauses bear on marks (see viterbi.ts): measured on real read speech with punctuated transcripts, the
 * recogniser's own word times (models/punctuation/README.md, "Pause cue"). Bins: under 0.15 s, 0.15–0.3, 0.3–0.5,
 * 0.5 s and over; question marks take the periods' values.
 */
export const PAUSE_CUE: PauseCue = {
  edges: [0.15, 0.3, 0.5],
  log10Ratio: { comma: [-1.41, -0.02, 0.82, 1.41], period: [-1.56, -0.7, 0.58, 1.54], question: [-1.56, -0.7, 0.58, 1.54] },
};

/** Where an utterance stands in the speech around it. */
export interface PunctuationContext {
  /** The speech goes on past this utterance's end (cut for length): its last word need not end a sentence. */
  continues?: boolean;
  /** The utterance carries on a sentence the one before it left open: its first word is not a sentence start. */
  midSentence?: boolean;
}

export class PunctuationModel {
  constructor(
    readonly lm: NgramLM,
    readonly cases: CaseTable,
    readonly bonus: Readonly<Partial<Record<Mark, number>>> = MARK_BONUS,
    readonly pauseCue: PauseCue | null = PAUSE_CUE,
  ) {
    for (const m of MARKS) {
      if (!lm.has(MARK_TOKEN[m])) throw new ModelLoadError('BAD_CARD', `punctuation LM has no ${MARK_TOKEN[m]} token`);
    }
  }

  /** Loads a model folder (default: the shipped one); `lm` replaces its LM, e.g. one in shared memory. */
  static load(dir: string = PUNCTUATION_DIR, lm?: NgramLM): PunctuationModel {
    const lmPath = join(dir, PUNCTUATION_LM_FILE);
    const casePath = join(dir, CASE_TABLE_FILE);
    for (const p of lm ? [casePath] : [lmPath, casePath]) {
      if (!existsSync(p)) throw new ModelLoadError('NOT_FOUND', `punctuation model: ${p} is missing`);
    }
    return new PunctuationModel(lm ?? loadLanguageModelFile(lmPath), CaseTable.parse(gunzipSync(readFileSync(casePath)).toString('utf8')));
  }

  /** A decoder state for one stream (its partials reuse the work of the ones before). */
  trellis(): PunctuationTrellis {
    return new PunctuationTrellis(this.lm, this.bonus, this.pauseCue);
  }

  /**
   * Shown forms of an utterance's words, one per word: cased, with the mark that follows it; the last word ends
   * the sentence. Final false: a partial, whose last word's mark is not known yet. `pauses[i]`: seconds of silence
   * after word i, where known (the recogniser's word times), for the pause cue. `context`: where the utterance
   * stands in the speech around it (an utterance cut for length need not end a sentence, nor its successor start one).
   */
  punctuate(
    tokens: readonly string[],
    final = true,
    trellis: PunctuationTrellis = this.trellis(),
    pauses: readonly number[] = [],
    context: PunctuationContext = {},
  ): string[] {
    trellis.update(tokens, pauses);
    return displayTokens(tokens, trellis.marks(final, context.continues ?? false), this.cases, !(context.midSentence ?? false));
  }

  /** `punctuate` over a space-separated transcript. */
  punctuateText(text: string, final = true, trellis?: PunctuationTrellis): string {
    return this.punctuate(text.split(' ').filter((w) => w !== ''), final, trellis).join(' ');
  }
}

let loaded: PunctuationModel | null = null;
let sharedLm: SharedNgramData | null = null;

/**
 * Worker threads handed the shipped LM in shared memory (`loadSharedLM`) score with that one copy instead of
 * parsing their own.
 */
export function useSharedPunctuationLm(data: SharedNgramData): void {
  if (loaded === null) sharedLm = data;
}

/** The shipped model, loaded on the first call in this thread. */
export function defaultPunctuationModel(): PunctuationModel {
  loaded ??= PunctuationModel.load(PUNCTUATION_DIR, sharedLm ? ngramLMFromShared(sharedLm) : undefined);
  return loaded;
}

/** Punctuates and cases one utterance's transcript with the shipped model. */
export function punctuateText(text: string): string {
  return defaultPunctuationModel().punctuateText(text);
}
