/**
 * Builds the punctuation model from punctuated text: a hidden-event n-gram LM (modified Kneser-Ney, by the
 * project's own ARPA builder) over words with the marks as tokens between them, and a case table.
 *
 * Consecutive sentences are grouped into units of one to three (cycling), and each unit is one LM "sentence"
 * between <s> and </s>: that is what the recogniser hands over, an utterance that starts a sentence and ends
 * one, sometimes with more sentences inside. Every 20th unit is held out for measuring (`split`), and every
 * 20th one ten units later for any tuning, so that neither is seen by the model it measures.
 */
import { gzipSync } from 'node:zlib';
import { arpaFileBytes } from '../lm/arpa.js';
import { buildArpaWithStats, type BuildStats } from '../lm/build.js';
import { readPunctuatedSentences, type CorpusSentence } from './corpus.js';
import { MARK_TOKEN } from './marks.js';
import { CASE_TABLE_FILE, PUNCTUATION_LM_FILE } from './model.js';

export type Split = 'train' | 'dev' | 'test';

/** A unit: consecutive sentences of one text, as one utterance would hold them. */
export type CorpusUnit = CorpusSentence[];

export function splitOf(unitIndex: number): Split {
  const r = unitIndex % 20;
  return r === 19 ? 'test' : r === 9 ? 'dev' : 'train';
}

/** Units of consecutive sentences (1, 2, 3, 1, 2, 3, ... long; cut short where the text is broken), with their split. */
export function* readUnits(lines: Iterable<string>): Generator<{ unit: CorpusUnit; split: Split }> {
  let unit: CorpusUnit = [];
  let index = 0;
  const size = (i: number): number => 1 + (i % 3);
  for (const sentence of readPunctuatedSentences(lines)) {
    if (unit.length > 0 && (!sentence.joinsPrevious || unit.length >= size(index))) {
      yield { unit, split: splitOf(index) };
      index++;
      unit = [];
    }
    unit.push(sentence);
  }
  if (unit.length > 0) yield { unit, split: splitOf(index) };
}

/** The unit as the LM's tokens: each word followed by its mark's token, if any. */
export function unitTokens(unit: CorpusUnit): string[] {
  const out: string[] = [];
  for (const s of unit) {
    s.words.forEach((w, i) => {
      out.push(w);
      const m = s.marks[i];
      if (m) out.push(MARK_TOKEN[m]);
    });
  }
  return out;
}

export interface CaseTableOptions {
  /** Fewest sightings (where case is free) before a word's capital counts (default 2). */
  minCount?: number;
  /** Share of those sightings that must be capitalised (default 0.7: clearly more often than not). */
  minShare?: number;
}

/** Counts written forms where the case is the writer's choice, not the sentence's. */
export class CaseCounter {
  private readonly counts = new Map<string, Map<string, number>>();

  add(unit: CorpusUnit): void {
    for (const s of unit) {
      s.words.forEach((w, i) => {
        const form = s.forms[i];
        if (form === null || form === undefined || s.capsForced[i]) return;
        let forms = this.counts.get(w);
        if (!forms) this.counts.set(w, (forms = new Map()));
        forms.set(form, (forms.get(form) ?? 0) + 1);
      });
    }
  }

  /** Words written with capitals clearly more often than not, as their most frequent such form; sorted. */
  table(options: CaseTableOptions = {}): string[] {
    const minCount = options.minCount ?? 2;
    const minShare = options.minShare ?? 0.7;
    const out: string[] = [];
    for (const [word, forms] of this.counts) {
      let total = 0;
      let capitalised = 0;
      let best = '';
      let bestCount = 0;
      for (const [form, n] of forms) {
        total += n;
        if (form === word) continue;
        capitalised += n;
        if (n > bestCount || (n === bestCount && form < best)) [best, bestCount] = [form, n];
      }
      if (total >= minCount && capitalised >= minShare * total) out.push(best);
    }
    return out.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : a < b ? -1 : 1));
  }
}

export interface PunctuationBuildOptions {
  /** N-gram order (default 3). */
  order?: number;
  /** Count thresholds per order, as for `hearken lm build --prune` (default [0, 1, 1]: singletons above unigrams go). */
  prune?: readonly number[];
  caseTable?: CaseTableOptions;
}

export interface PunctuationBuild {
  arpa: string;
  /** One written form per line, for the words whose display form is not lowercase. */
  caseTable: string;
  stats: BuildStats & { units: Record<Split, number> };
}

export const DEFAULT_PUNCTUATION_PRUNE: readonly number[] = [0, 1, 1];

/** Builds the model from corpus lines (held-out units are left out of both parts). */
export function buildPunctuationModel(lines: Iterable<string>, options: PunctuationBuildOptions = {}): PunctuationBuild {
  const units: Record<Split, number> = { train: 0, dev: 0, test: 0 };
  const caseCounter = new CaseCounter();
  const training: string[] = [];
  for (const { unit, split } of readUnits(lines)) {
    units[split]++;
    if (split !== 'train') continue;
    training.push(unitTokens(unit).join(' '));
    caseCounter.add(unit);
  }
  const { arpa, stats } = buildArpaWithStats(training, {
    order: options.order ?? 3,
    prune: options.prune ?? DEFAULT_PUNCTUATION_PRUNE,
    prepare: (line) => line.split(' '),
  });
  const table = caseCounter.table(options.caseTable);
  return { arpa, caseTable: table.length > 0 ? `${table.join('\n')}\n` : '', stats: { ...stats, units } };
}

/** The model folder's files as bytes, by name (gzip level 9, which writes no time stamp: the same text, the same bytes). */
export function punctuationModelFiles(build: PunctuationBuild): Record<string, Buffer> {
  return {
    [PUNCTUATION_LM_FILE]: arpaFileBytes(PUNCTUATION_LM_FILE, build.arpa),
    [CASE_TABLE_FILE]: gzipSync(Buffer.from(build.caseTable, 'utf8'), { level: 9 }),
  };
}
