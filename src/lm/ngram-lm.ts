/**
 * In-memory back-off n-gram model with ARPA (Katz / KenLM) query semantics:
 *   log10 P(w | h) = p(h w)                      if the n-gram h w is listed,
 *                  = bo(h) + log10 P(w | h')     otherwise, h' = h without its oldest word,
 * where bo(h) = 0 when h itself is not listed.
 *
 * Storage per order n: parallel typed arrays, entry i = (ctx[i], word[i]) where ctx is the
 * entry index of the (n-1)-word prefix in the order n-1 table (unigrams are indexed by word id
 * directly). An index maps (ctx, word) → entry: a PairHash (one probe per query step) for models parsed from ARPA
 * text, or ContextRanges (a binary search, a tenth of the memory) for binary files, whose entries are sorted.
 */
import type { ContextRanges } from './context-ranges.js';
import type { PairHash } from './pair-hash.js';

/** (context entry, word) → entry index, or -1: a hash (ARPA text loads) or sorted ranges (binary loads). */
export type NgramIndex = PairHash | ContextRanges;

export interface NgramTable {
  /** Entry index of the (n-1)-gram prefix in the previous order's table (0 for unigrams). */
  readonly ctx: Int32Array;
  /** Last word id of the n-gram. */
  readonly word: Int32Array;
  /** log10 probability. */
  readonly prob: Float32Array;
  /** log10 back-off weight (0 when absent); null for the highest order. */
  readonly backoff: Float32Array | null;
  /** (ctx, word) → entry; null for unigrams, whose entry index is the word id. */
  readonly index: NgramIndex | null;
}

/** KenLM's score for a word absent from the vocabulary when the model has no <unk>. */
export const DEFAULT_UNK_LOG10 = -100;

export class NgramLM {
  readonly order: number;
  /** Word strings by id. */
  readonly words: readonly string[];
  /** Id of `<s>` or -1. */
  readonly bos: number;
  /** Id of `</s>` or -1. */
  readonly eos: number;
  /** Id of `<unk>`, or -1 if the model has none. `wordId` returns this for unknown words. */
  readonly unkId: number;
  /** log10 probability used for a word id of -1 (unknown word, model without `<unk>`). */
  readonly unkLog10: number;
  /** Number of n-grams per order, index 0 = unigrams. */
  readonly counts: readonly number[];
  /** The file the model was read from (absolute path), or null: tells the shipped LM from others once loaded. */
  sourcePath: string | null = null;

  private readonly vocab: ReadonlyMap<string, number>;
  private readonly tables: readonly NgramTable[];
  /** suffixIdx[m] = entry index of the m most recent context words in the order-m table. */
  private readonly suffixIdx: Int32Array;

  constructor(vocab: ReadonlyMap<string, number>, words: readonly string[], tables: readonly NgramTable[]) {
    this.vocab = vocab;
    this.words = words;
    this.tables = tables;
    this.order = tables.length;
    this.counts = tables.map((t) => t.word.length);
    this.bos = vocab.get('<s>') ?? -1;
    this.eos = vocab.get('</s>') ?? -1;
    this.unkId = vocab.get('<unk>') ?? -1;
    this.unkLog10 = this.unkId >= 0 ? tables[0]!.prob[this.unkId]! : DEFAULT_UNK_LOG10;
    this.suffixIdx = new Int32Array(this.order + 1);
  }

  get vocabSize(): number {
    return this.words.length;
  }

  /** Word id, or `unkId` (possibly -1) when the word is not in the vocabulary. */
  wordId(word: string): number {
    return this.vocab.get(word) ?? this.unkId;
  }

  /** True if the word is in the vocabulary (distinct from mapping to `<unk>`). */
  has(word: string): boolean {
    return this.vocab.has(word);
  }

  /** The order-n table (1-based order), for inspection and tests. */
  table(order: number): NgramTable {
    const t = this.tables[order - 1];
    if (!t) throw new RangeError(`order ${order} not in 1..${this.order}`);
    return t;
  }

  /** Entry index of an n-gram of word ids in its order's table, or -1. */
  find(ids: ArrayLike<number>): number {
    const n = ids.length;
    if (n === 0 || n > this.order) return -1;
    let idx = ids[0]!;
    if (idx < 0 || idx >= this.words.length) return -1;
    for (let k = 1; k < n; k++) {
      const w = ids[k]!;
      if (w < 0) return -1;
      idx = this.tables[k]!.index!.get(idx, w);
      if (idx < 0) return -1;
    }
    return idx;
  }

  /**
   * log10 P(word | context) with back-off. `context` lists word ids oldest first; only the
   * last order-1 are used. Ids < 0 in the context cut it (nothing older is used).
   */
  score(context: ArrayLike<number>, word: number): number {
    const k = context.length;
    const maxM = Math.min(k, this.order - 1);
    const sfx = this.suffixIdx;
    // Entry indices of each context suffix; a suffix that is not listed stays -1.
    let usable = 0;
    for (let m = 1; m <= maxM; m++) {
      const w = context[k - m]!;
      if (w < 0) break;
      usable = m;
    }
    for (let m = 1; m <= usable; m++) {
      let idx = context[k - m]!;
      for (let j = k - m + 1; j < k && idx >= 0; j++) {
        idx = this.tables[j - (k - m)]!.index!.get(idx, context[j]!);
      }
      sfx[m] = idx;
    }
    let acc = 0;
    if (word < 0 || word >= this.words.length) return this.unkLog10;
    for (let m = usable; m >= 1; m--) {
      const ci = sfx[m]!;
      if (ci < 0) continue;
      const t = this.tables[m]!;
      const e = t.index!.get(ci, word);
      if (e >= 0) return acc + t.prob[e]!;
      acc += this.tables[m - 1]!.backoff![ci]!;
    }
    return acc + this.tables[0]!.prob[word]!;
  }
}
