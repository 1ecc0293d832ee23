import { ContextRanges } from '../lm/context-ranges.js';
import type { NgramLM } from '../lm/ngram-lm.js';
import type { LexiconTrie } from './lexicon.js';

/**
 * Language-model look-ahead for a partial word: an upper bound of log10 P(w | context) over every vocabulary word w
 * that the partial word can still become (the words below its lexicon-trie node).
 *
 * Without it a word pays its LM cost only when it ends, so a beam fills with unpriced partial words, and the one
 * that would have won is pruned before it is priced. A unigram look-ahead (measured twice, training/README.md) prices
 * the short frequent words that follow "of" or "in the" at their context-free probability and did worse than none;
 * this one uses the hypothesis' own context, with the back-off model's structure:
 *
 *   P(w | u v) = p3(u v w)                 if listed, else bo(u v) + P(w | v)
 *   P(w | v)   = p2(v w)                   if listed, else bo(v) + p1(w)
 *
 * so max over a subtree S is at most max(max listed p3 in S, bo(u v) + max(max listed p2 in S, bo(v) + max p1 in S)).
 * It is exact unless the word that attains a back-off term is itself listed (then it is an upper bound, which is what
 * a look-ahead needs: a partial word never pays more than the best word it can become, and the bound only falls as
 * the word grows). The per-context maxima over listed successors are built on first use and cached.
 */
export class LmLookahead {
  private readonly lm: NgramLM;
  private readonly lexicon: LexiconTrie;
  /** Highest unigram log10 probability of a word below each lexicon node. */
  private readonly unigramMax: Float32Array;
  /** Listed successors: bigram entries by their first word, trigram entries by their bigram (null below order 3). */
  private readonly bigrams: Successors;
  private readonly trigrams: Successors | null;
  private readonly bigramMaps = new Map<number, Map<number, number>>();
  private readonly trigramMaps = new Map<number, Map<number, number>>();
  private readonly maxCachedContexts: number;

  constructor(lm: NgramLM, lexicon: LexiconTrie, maxCachedContexts = 4096) {
    this.lm = lm;
    this.lexicon = lexicon;
    this.maxCachedContexts = maxCachedContexts;
    const uni = lm.table(1).prob;
    const max = new Float32Array(lexicon.nodes).fill(-Infinity);
    for (let w = 0; w < lm.vocabSize; w++) {
      const p = uni[w]!;
      for (let node = lexicon.nodeOfWord(w); node >= 0; node = lexicon.parentOf(node)) {
        if (max[node]! >= p) break; // an ancestor already holds at least p, so every ancestor above it does
        max[node] = p;
      }
    }
    this.unigramMax = max;
    this.bigrams = lm.order >= 2 ? successors(lm, 2) : { start: new Int32Array(1), entries: null };
    this.trigrams = lm.order >= 3 ? successors(lm, 3) : null;
  }

  /**
   * Upper bound of log10 P(w | context) over the words below lexicon node `node`; `context` lists word ids oldest
   * first (only the last two are used; an id < 0 cuts it). -Infinity when no word lies below the node.
   */
  bound(context: ArrayLike<number>, node: number): number {
    const uniMax = this.unigramMax[node]!;
    const k = context.length;
    const v = k >= 1 ? context[k - 1]! : -1;
    if (v < 0 || this.lm.order < 2) return uniMax;
    const lm = this.lm;
    const boV = lm.table(1).backoff![v]!;
    let best = boV + uniMax;
    const listed2 = this.successorMax(this.bigramMaps, v, this.bigrams, 2).get(node);
    if (listed2 !== undefined && listed2 > best) best = listed2;
    const u = k >= 2 ? context[k - 2]! : -1;
    if (u < 0 || !this.trigrams) return best;
    const uv = lm.table(2).index!.get(u, v);
    if (uv < 0) return best;
    best += lm.table(2).backoff![uv]!;
    const listed3 = this.successorMax(this.trigramMaps, uv, this.trigrams, 3).get(node);
    if (listed3 !== undefined && listed3 > best) best = listed3;
    return best;
  }

  /** For one context, the highest listed log10 probability below each lexicon node that has a listed successor. */
  private successorMax(cache: Map<number, Map<number, number>>, context: number, { start, entries }: Successors, order: 2 | 3): Map<number, number> {
    let map = cache.get(context);
    if (map) return map;
    map = new Map();
    const { word: words, prob } = this.lm.table(order);
    for (let i = start[context]!; i < start[context + 1]!; i++) {
      const e = entries ? entries[i]! : i;
      const p = prob[e]!;
      for (let node = this.lexicon.nodeOfWord(words[e]!); node >= 0; node = this.lexicon.parentOf(node)) {
        const had = map.get(node);
        if (had !== undefined && had >= p) break;
        map.set(node, p);
      }
    }
    // A bounded cache: contexts are many over a long stream, and rebuilding a rare one is cheap.
    if (cache.size >= this.maxCachedContexts) cache.clear();
    cache.set(context, map);
    return map;
  }
}

/** A table's entries by context: entries[start[c] .. start[c + 1]) have context c; null entries = the table's own order. */
interface Successors {
  start: Int32Array;
  entries: Int32Array | null;
}

/**
 * The order-n table's entries by context. A binary-loaded table is already sorted by context and its index holds the
 * ranges, so they are used as they are; a hash-indexed (ARPA) table is grouped here.
 */
function successors(lm: NgramLM, order: 2 | 3): Successors {
  const t = lm.table(order);
  if (t.index instanceof ContextRanges) return { start: t.index.arrays().start, entries: null };
  const [start, entries] = groupByContext(t.ctx, lm.counts[order - 2]!);
  return { start, entries };
}

/** Entries grouped by their context index (a counting sort): entries[start[c] .. start[c + 1]) have context c. */
function groupByContext(ctx: Int32Array, contexts: number): [Int32Array, Int32Array] {
  const start = new Int32Array(contexts + 1);
  for (let i = 0; i < ctx.length; i++) start[ctx[i]! + 1]!++;
  for (let c = 0; c < contexts; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, contexts);
  const entries = new Int32Array(ctx.length);
  for (let i = 0; i < ctx.length; i++) entries[fill[ctx[i]!]!++] = i;
  return [start, entries];
}

const cache = new WeakMap<NgramLM, WeakMap<LexiconTrie, LmLookahead>>();

/** One look-ahead per LM and lexicon, shared by every decoder (streams create decoders often). */
export function lookaheadFor(lm: NgramLM, lexicon: LexiconTrie): LmLookahead {
  let byLexicon = cache.get(lm);
  if (!byLexicon) {
    byLexicon = new WeakMap();
    cache.set(lm, byLexicon);
  }
  let la = byLexicon.get(lexicon);
  if (!la) {
    la = new LmLookahead(lm, lexicon);
    byLexicon.set(lexicon, la);
  }
  return la;
}
