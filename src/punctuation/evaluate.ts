/**
 * Held-out measures of the punctuation model, on corpus units stripped to what the recogniser writes.
 *
 * Marks are scored slot by slot (the slot after each word holds no mark or one), the usual measure for
 * punctuation restoration: per mark precision, recall and F1, and all marks together (a mark in the right slot
 * but of the wrong kind counts against both). The last slot of a unit is left out of these: there the text
 * ends, the model must put a sentence mark, and counting the certain period would flatter it; what it chooses
 * there (period or question) is reported on its own. A sentence boundary is a period or question mark, of
 * either kind. Case accuracy is over the words whose written form the source shows, as shown by the model
 * (after its own punctuation); the baseline shown beside it capitalises only the first word.
 */
import type { CorpusUnit } from './build.js';
import { endsSentence, type Mark } from './marks.js';
import type { PunctuationModel } from './model.js';

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  /** Marks of this kind in the reference. */
  support: number;
}

export interface PunctuationScores {
  units: number;
  words: number;
  marks: Record<Mark, Prf>;
  /** All marks, the kind counting. */
  overall: Prf;
  sentenceBoundary: Prf;
  /** Share of units whose last mark (period or question) is the reference's. */
  finalMarkAccuracy: number;
  caseAccuracy: number;
  /** The same words with only each unit's first word capitalised (and "I"). */
  caseBaseline: number;
  /** Accuracy on the words the reference capitalises mid-sentence (proper nouns and "I"). */
  capitalisedRecall: number;
}

class Counts {
  tp = 0;
  fp = 0;
  fn = 0;
  score(): Prf {
    const precision = this.tp + this.fp > 0 ? this.tp / (this.tp + this.fp) : 0;
    const recall = this.tp + this.fn > 0 ? this.tp / (this.tp + this.fn) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support: this.tp + this.fn };
  }
}

function stripMark(shown: string): string {
  return shown.replace(/[,.?]$/, '');
}

function markOfShown(shown: string): Mark | null {
  const c = shown[shown.length - 1];
  return c === ',' ? 'comma' : c === '.' ? 'period' : c === '?' ? 'question' : null;
}

export function evaluatePunctuation(model: PunctuationModel, units: Iterable<CorpusUnit>): PunctuationScores {
  const perMark: Record<Mark, Counts> = { comma: new Counts(), period: new Counts(), question: new Counts() };
  const overall = new Counts();
  const boundary = new Counts();
  let unitsSeen = 0;
  let words = 0;
  let finalRight = 0;
  let caseRight = 0;
  let baselineRight = 0;
  let caseTotal = 0;
  let capsRight = 0;
  let capsTotal = 0;
  const trellis = model.trellis();
  for (const unit of units) {
    const tokens = unit.flatMap((s) => s.words);
    const refMarks = unit.flatMap((s) => s.marks);
    const refForms = unit.flatMap((s) => s.forms);
    const refForced = unit.flatMap((s) => s.capsForced);
    if (tokens.length === 0) continue;
    const shown = model.punctuate(tokens, true, trellis);
    unitsSeen++;
    words += tokens.length;
    shown.forEach((s, i) => {
      const hyp = markOfShown(s);
      const ref = refMarks[i] ?? null;
      if (i === tokens.length - 1) {
        if (hyp === ref) finalRight++;
      } else {
        for (const m of ['comma', 'period', 'question'] as const) {
          if (hyp === m && ref === m) perMark[m].tp++;
          else if (hyp === m) perMark[m].fp++;
          else if (ref === m) perMark[m].fn++;
        }
        if (hyp !== null && hyp === ref) overall.tp++;
        else {
          if (hyp !== null) overall.fp++;
          if (ref !== null) overall.fn++;
        }
        const hb = endsSentence(hyp);
        const rb = endsSentence(ref);
        if (hb && rb) boundary.tp++;
        else if (hb) boundary.fp++;
        else if (rb) boundary.fn++;
      }
      const form = refForms[i];
      if (form === null || form === undefined) return;
      caseTotal++;
      const got = stripMark(s);
      if (got === form) caseRight++;
      const word = tokens[i]!;
      const base = word === 'i' || word.startsWith("i'") ? `I${word.slice(1)}` : i === 0 ? word[0]!.toUpperCase() + word.slice(1) : word;
      if (base === form) baselineRight++;
      if (!refForced[i] && form !== word) {
        capsTotal++;
        if (got === form) capsRight++;
      }
    });
  }
  return {
    units: unitsSeen,
    words,
    marks: { comma: perMark.comma.score(), period: perMark.period.score(), question: perMark.question.score() },
    overall: overall.score(),
    sentenceBoundary: boundary.score(),
    finalMarkAccuracy: unitsSeen > 0 ? finalRight / unitsSeen : 0,
    caseAccuracy: caseTotal > 0 ? caseRight / caseTotal : 0,
    caseBaseline: caseTotal > 0 ? baselineRight / caseTotal : 0,
    capitalisedRecall: capsTotal > 0 ? capsRight / capsTotal : 0,
  };
}
