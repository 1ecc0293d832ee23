/**
 * Static linear interpolation of two back-off n-gram models into one ARPA model (as SRILM's `ngram -mix-lm` does).
 *
 * Every n-gram listed by either model is listed by the mixture with
 *   P(w | h) = (1 - λ) P_A(w | h) + λ P_B(w | h),
 * each side's probability taken with its own back-off (0 where that model does not know w). The back-off weight of
 * each context is then recomputed so that the mixture's distribution after it sums to one:
 *   bo(h) = (1 - Σ_listed P(w | h)) / (1 - Σ_listed P(w | h')),  h' = h without its oldest word,
 * with P(w | h') the mixture's own (listed or backed-off) probability. N-grams listed by neither model back off in
 * the mixture, which approximates the true mixture there; listed ones are exact.
 *
 * Why: a small in-domain text (audiobook transcripts) added to a large general one is drowned by it; kept apart and
 * mixed with a weight chosen on held-out text, it counts for what it predicts.
 */
import { formatLog10 } from './build.js';
import type { NgramLM } from './ngram-lm.js';

export interface MixOptions {
  /** Weight λ of the second model, in [0, 1]. */
  weight: number;
}

/** Fixed-width key: each merged word id becomes two UTF-16 code units, so slicing a key slices words. */
function code(id: number): string {
  return String.fromCharCode(id >>> 16, id & 0xffff);
}

function decode(key: string, i: number): number {
  return (key.charCodeAt(2 * i) << 16) | key.charCodeAt(2 * i + 1);
}

/** Listed n-grams of one model as merged-vocabulary keys, per order (index 0 = unigrams). */
function listedKeys(lm: NgramLM, mergedId: Int32Array): string[][] {
  const out: string[][] = [];
  for (let n = 1; n <= lm.order; n++) {
    const t = lm.table(n);
    const keys: string[] = new Array<string>(t.word.length);
    const lower = out[n - 2];
    for (let i = 0; i < t.word.length; i++) {
      const w = code(mergedId[t.word[i]!]!);
      keys[i] = n === 1 ? w : lower![t.ctx[i]!]! + w;
    }
    out.push(keys);
  }
  return out;
}

/** Mixes two models of the same order; returns ARPA text. */
export function mixArpa(a: NgramLM, b: NgramLM, options: MixOptions): string {
  const lambda = options.weight;
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`mixture weight must be in [0, 1], got ${lambda}`);
  if (a.order !== b.order) throw new RangeError(`models of different orders (${a.order} and ${b.order}) cannot be mixed`);
  const order = a.order;

  // Merged vocabulary: A's words in A's order, then B's new ones.
  const words: string[] = [...a.words];
  const index = new Map<string, number>(words.map((w, i) => [w, i]));
  for (const w of b.words) {
    if (!index.has(w)) {
      index.set(w, words.length);
      words.push(w);
    }
  }
  const toMerged = (lm: NgramLM): Int32Array => Int32Array.from(lm.words, (w) => index.get(w)!);
  // Merged id -> the model's own id, -1 where it does not know the word.
  const fromMerged = (lm: NgramLM): Int32Array => Int32Array.from(words, (w) => (lm.has(w) ? lm.wordId(w) : -1));
  const aIds = fromMerged(a);
  const bIds = fromMerged(b);
  const listedA = listedKeys(a, toMerged(a));
  const listedB = listedKeys(b, toMerged(b));
  const bos = index.get('<s>') ?? -1;

  /** P_model(last word | the words before it) for a merged key, 0 where the model does not know the word. */
  const ctxBuf = new Int32Array(order);
  function probOf(lm: NgramLM, ids: Int32Array, key: string): number {
    const n = key.length / 2;
    const w = ids[decode(key, n - 1)]!;
    if (w < 0) return 0;
    // A context word the model does not know cuts the context there (score() stops at ids < 0).
    for (let i = 0; i < n - 1; i++) ctxBuf[i] = ids[decode(key, i)]!;
    return 10 ** lm.score(ctxBuf.subarray(0, n - 1), w);
  }

  // Mixture probabilities of every n-gram either model lists.
  const prob: Array<Map<string, number>> = [];
  for (let n = 1; n <= order; n++) {
    const m = new Map<string, number>();
    for (const keys of [listedA[n - 1]!, listedB[n - 1]!]) {
      for (const key of keys) {
        if (m.has(key)) continue;
        if (n === 1 && decode(key, 0) === bos) continue; // <s> is never predicted
        m.set(key, (1 - lambda) * probOf(a, aIds, key) + lambda * probOf(b, bIds, key));
      }
    }
    prob.push(m);
  }

  // Back-off weights, lowest order first: a context's mixture probabilities at the order below are needed.
  const backoff: Array<Map<string, number>> = [];
  /** The mixture model's P(last word | rest) for a key of any order, backing off as the written ARPA will. */
  function mixtureProb(key: string): number {
    const n = key.length / 2;
    const listed = prob[n - 1]!.get(key);
    if (listed !== undefined) return listed;
    if (n === 1) return 0;
    const bo = backoff[n - 2]!.get(key.slice(0, -2)) ?? 1;
    return bo * mixtureProb(key.slice(2));
  }
  for (let n = 1; n < order; n++) {
    const kept = new Map<string, number>();
    const lowerKept = new Map<string, number>();
    for (const [key, p] of prob[n]!) {
      const ctx = key.slice(0, -2);
      kept.set(ctx, (kept.get(ctx) ?? 0) + p);
      lowerKept.set(ctx, (lowerKept.get(ctx) ?? 0) + mixtureProb(key.slice(2)));
    }
    const bo = new Map<string, number>();
    for (const [ctx, mass] of kept) {
      const num = Math.max(1 - mass, 1e-12);
      const den = Math.max(1 - lowerKept.get(ctx)!, 1e-12);
      bo.set(ctx, num / den);
    }
    backoff.push(bo);
  }

  const keyWords = (key: string): string => {
    const n = key.length / 2;
    const out: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = words[decode(key, i)]!;
    return out.join(' ');
  };
  const hasBos = bos >= 0;
  const counts = prob.map((m, i) => m.size + (i === 0 && hasBos ? 1 : 0));
  const out: string[] = ['', '\\data\\'];
  counts.forEach((c, i) => out.push(`ngram ${i + 1}=${c}`));
  for (let n = 1; n <= order; n++) {
    out.push('', `\\${n}-grams:`);
    const bo = n < order ? backoff[n - 1]! : null;
    const line = (p: string, key: string): string => {
      const w = bo?.get(key);
      return w !== undefined && w !== 1 ? `${p}\t${keyWords(key)}\t${formatLog10(w)}` : `${p}\t${keyWords(key)}`;
    };
    if (n === 1 && hasBos) out.push(line('-99', code(bos)));
    for (const [key, p] of prob[n - 1]!) out.push(line(formatLog10(p), key));
  }
  out.push('', '\\end\\', '');
  return out.join('\n');
}
