/**
 * How close a transcript is to the text it should be: the WER and the word alignment behind it, as the testing
 * API reports them. Both sides are normalised as `hearken eval` scores them (src/text/normalize.ts), so case,
 * punctuation and "21st" versus "twenty first" never count as errors.
 */
import { normalizeText } from '../text/normalize.js';
import { align, computeWer, type AlignmentStep, type EditCounts } from '../text/wer.js';

/** One column of an alignment: the expected word and the heard one, either absent for a deletion or insertion. */
export interface AlignedWord {
  op: AlignmentStep['op'];
  /** The reference word ('' for an insertion). */
  expected: string;
  /** The hypothesis word ('' for a deletion). */
  heard: string;
}

export interface TranscriptScore extends EditCounts {
  /** Word error rate: (substitutions + deletions + insertions) / reference words; Infinity for an empty reference with words heard. */
  wer: number;
  /** The reference as scored (normalised). */
  reference: string;
  /** The hypothesis as scored (normalised). */
  hypothesis: string;
  /** Word by word, in order. */
  alignment: AlignedWord[];
}

const words = (text: string): string[] => (text === '' ? [] : text.split(' '));

/** Scores `hypothesis` against `reference` (one utterance). */
export function scoreTranscript(reference: string, hypothesis: string): TranscriptScore {
  const ref = normalizeText(reference);
  const hyp = normalizeText(hypothesis);
  const { wer, substitutions, deletions, insertions } = computeWer([{ reference: ref, hypothesis: hyp }], { normalize: false });
  const refWords = words(ref);
  const hypWords = words(hyp);
  const alignment = align(refWords, hypWords).map((step) => ({
    op: step.op,
    expected: step.ref >= 0 ? refWords[step.ref]! : '',
    heard: step.hyp >= 0 ? hypWords[step.hyp]! : '',
  }));
  return { wer, substitutions, deletions, insertions, reference: ref, hypothesis: hyp, alignment };
}

const MARK: Record<AlignmentStep['op'], string> = { match: '', substitution: 'S', deletion: 'D', insertion: 'I' };

/**
 * The alignment as three lines, one column per word: expected, heard (`*` fills a missing word), and the kind of
 * each error (S substitution, D deletion, I insertion), e.g.
 *
 *     expected: press one for sales
 *     heard:    press one for ***** please
 *                                 D     I
 */
export function formatAlignment(alignment: readonly AlignedWord[]): string {
  const expected: string[] = [];
  const heard: string[] = [];
  const marks: string[] = [];
  for (const column of alignment) {
    const width = Math.max(column.expected.length, column.heard.length, 1);
    expected.push((column.expected || '*'.repeat(width)).padEnd(width));
    heard.push((column.heard || '*'.repeat(width)).padEnd(width));
    marks.push(MARK[column.op].padEnd(width));
  }
  return [`expected: ${expected.join(' ')}`, `heard:    ${heard.join(' ')}`, `          ${marks.join(' ')}`]
    .map((line) => line.trimEnd())
    .join('\n');
}
