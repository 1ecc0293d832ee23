/**
 * Word and character error rates over a corpus. Errors are summed over utterances and divided
 * by the summed reference length (the standard corpus-level WER), not averaged per utterance,
 * so short utterances do not dominate.
 */
import { align } from '../util/align.js';
import { normalizeText } from './normalize.js';

export { align, type AlignmentStep } from '../util/align.js';

export interface EditCounts {
  substitutions: number;
  deletions: number;
  insertions: number;
}

export interface WerResult extends EditCounts {
  /** (S + D + I) / refWords over the corpus; 0 when there are no reference words and no insertions. */
  wer: number;
  /** Character edits / refChars. Characters include the single spaces between words. */
  cer: number;
  /** Character-level breakdown behind `cer`. */
  charEdits: EditCounts;
  refWords: number;
  refChars: number;
  utterances: number;
}

/** The S/D/I breakdown of `align(ref, hyp)`. */
export function editCounts<T>(ref: readonly T[], hyp: readonly T[]): EditCounts {
  const out: EditCounts = { substitutions: 0, deletions: 0, insertions: 0 };
  if (ref.length === 0) return { ...out, insertions: hyp.length };
  if (hyp.length === 0) return { ...out, deletions: ref.length };
  for (const step of align(ref, hyp)) {
    if (step.op === 'substitution') out.substitutions++;
    else if (step.op === 'deletion') out.deletions++;
    else if (step.op === 'insertion') out.insertions++;
  }
  return out;
}

/**
 * For each hypothesis word, whether it is correct: matched to an equal reference word by `align`. The reference is
 * normalised with `normalizeText`; hypothesis words are taken as they are (the recogniser's alphabet), so the
 * flags line up one to one with a result's `words`.
 */
export function hypothesisWordsCorrect(reference: string, hypothesisWords: readonly string[]): boolean[] {
  const ref = normalizeText(reference);
  const refWords = ref.length ? ref.split(' ') : [];
  const correct = new Array<boolean>(hypothesisWords.length).fill(false);
  for (const step of align(refWords, hypothesisWords)) if (step.op === 'match') correct[step.hyp] = true;
  return correct;
}

export interface WerOptions {
  /** Apply `normalizeText` to both sides first (default true). */
  normalize?: boolean;
}

/** Accumulates utterance pairs; call `result()` at any time for the corpus figures so far. */
export class WerAccumulator {
  private readonly normalize: boolean;
  private words: EditCounts = { substitutions: 0, deletions: 0, insertions: 0 };
  private chars: EditCounts = { substitutions: 0, deletions: 0, insertions: 0 };
  private refWords = 0;
  private refChars = 0;
  private utterances = 0;

  constructor(options: WerOptions = {}) {
    this.normalize = options.normalize ?? true;
  }

  /** Adds one utterance and returns its own word-level edit counts. */
  add(reference: string, hypothesis: string): EditCounts & { refWords: number } {
    const ref = this.normalize ? normalizeText(reference) : reference.trim().replace(/\s+/g, ' ');
    const hyp = this.normalize ? normalizeText(hypothesis) : hypothesis.trim().replace(/\s+/g, ' ');
    const refW = ref.length ? ref.split(' ') : [];
    const hypW = hyp.length ? hyp.split(' ') : [];
    const w = editCounts(refW, hypW);
    const c = editCounts([...ref], [...hyp]);
    addInto(this.words, w);
    addInto(this.chars, c);
    this.refWords += refW.length;
    this.refChars += ref.length;
    this.utterances++;
    return { ...w, refWords: refW.length };
  }

  result(): WerResult {
    return {
      wer: rate(this.words, this.refWords),
      cer: rate(this.chars, this.refChars),
      ...this.words,
      charEdits: { ...this.chars },
      refWords: this.refWords,
      refChars: this.refChars,
      utterances: this.utterances,
    };
  }
}

function addInto(acc: EditCounts, e: EditCounts): void {
  acc.substitutions += e.substitutions;
  acc.deletions += e.deletions;
  acc.insertions += e.insertions;
}

function rate(e: EditCounts, refLen: number): number {
  const errors = e.substitutions + e.deletions + e.insertions;
  if (refLen === 0) return errors === 0 ? 0 : Infinity;
  return errors / refLen;
}

/** Corpus WER/CER over (reference, hypothesis) pairs. */
export function computeWer(
  pairs: Iterable<{ reference: string; hypothesis: string }>,
  options: WerOptions = {},
): WerResult {
  const acc = new WerAccumulator(options);
  for (const p of pairs) acc.add(p.reference, p.hypothesis);
  return acc.result();
}
