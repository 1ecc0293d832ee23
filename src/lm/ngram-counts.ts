/**
 * Compact n-gram counting for the ARPA builder, sized for corpora of tens of millions of words.
 *
 * The corpus is held once as word ids (`<s> w1 .. wn </s>` per sentence, end to end in one Int32Array). An
 * n-gram is then named by the position of its last word, so every list below is a few typed arrays and no
 * n-gram is ever a string or a Map entry (V8's Map stops at 2^24 entries, and string keys cost ~60 bytes
 * each). Each order is counted by a stable LSD radix sort of the n-gram positions by their word ids, which
 * leaves equal n-grams adjacent, in lexicographic order, with their first occurrence first.
 */

export const BOS = 0;
export const EOS = 1;
export const UNK = 2;

/** Sentences as word ids, laid end to end: `<s> w1 .. wn </s> <s> ...`. */
export class TokenCorpus {
  readonly vocab = new Map<string, number>([['<s>', BOS], ['</s>', EOS], ['<unk>', UNK]]);
  readonly words: string[] = ['<s>', '</s>', '<unk>'];
  sentences = 0;
  private buf = new Int32Array(1 << 16);
  private length = 0;

  add(ws: readonly string[]): void {
    const need = this.length + ws.length + 2;
    if (need > this.buf.length) {
      const grown = new Int32Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf[this.length++] = BOS;
    for (const w of ws) {
      let id = this.vocab.get(w);
      if (id === undefined) {
        id = this.words.length;
        this.vocab.set(w, id);
        this.words.push(w);
      }
      this.buf[this.length++] = id;
    }
    this.buf[this.length++] = EOS;
    this.sentences++;
  }

  /** The ids written so far (a view: do not keep it across `add`). */
  get tokens(): Int32Array {
    return this.buf.subarray(0, this.length);
  }
}

/** The distinct n-grams of one order (n ≥ 2), in lexicographic order of their word ids. */
export interface NgramList {
  readonly n: number;
  /** Position of the last word of the n-gram's first occurrence in the token stream. */
  readonly pos: Uint32Array;
  /** Raw count. */
  readonly count: Uint32Array;
}

/** Stable LSD radix sort of `items` by `key(item, d)`, digit d = 0 least significant, `radixBits` bits each. */
function radixSort(items: Uint32Array, key: (item: number, digit: number) => number, digitCount: number, radixBits: number): Uint32Array {
  const size = 1 << radixBits;
  const hist = new Uint32Array(size);
  let src: Uint32Array = items;
  let dst: Uint32Array = new Uint32Array(items.length);
  for (let d = 0; d < digitCount; d++) {
    hist.fill(0);
    for (let i = 0; i < src.length; i++) hist[key(src[i]!, d)]!++;
    let sum = 0;
    for (let b = 0; b < size; b++) {
      const c = hist[b]!;
      hist[b] = sum;
      sum += c;
    }
    for (let i = 0; i < src.length; i++) {
      const it = src[i]!;
      dst[hist[key(it, d)]!++] = it;
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** Bits per radix digit and digits per word id for a vocabulary of `vocabSize` words. */
function wordDigits(vocabSize: number): { bits: number; perWord: number } {
  const bits = Math.max(1, Math.ceil(Math.log2(Math.max(2, vocabSize))));
  const perWord = Math.ceil(bits / 16);
  return { bits: Math.ceil(bits / perWord), perWord };
}

/** Counts the distinct n-grams of order `n` (≥ 2) that lie within one sentence and do not end at `<s>`. */
export function countNgrams(tokens: Int32Array, n: number, vocabSize: number): NgramList {
  let total = 0;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === BOS) start = i;
    else if (i - n + 1 >= start) total++;
  }
  const positions = new Uint32Array(total);
  let k = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === BOS) start = i;
    else if (i - n + 1 >= start) positions[k++] = i;
  }
  const { bits, perWord } = wordDigits(vocabSize);
  const mask = (1 << bits) - 1;
  // digit d: word (n - 1 - floor(d / perWord)) from the n-gram's start, i.e. offset floor(d / perWord) back from its end
  const sorted = radixSort(
    positions,
    (p, d) => (tokens[p - Math.floor(d / perWord)]! >>> (bits * (d % perWord))) & mask,
    n * perWord,
    bits,
  );
  const pos = new Uint32Array(sorted.length);
  const count = new Uint32Array(sorted.length);
  let u = -1;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (u >= 0 && compareAt(tokens, p, pos[u]!, n) === 0) {
      count[u]!++;
    } else {
      u++;
      pos[u] = p;
      count[u] = 1;
    }
  }
  return { n, pos: pos.slice(0, u + 1), count: count.slice(0, u + 1) };
}

/** Compares the `len` words ending at `a` with those ending at `b`, first word most significant. */
function compareAt(tokens: Int32Array, a: number, b: number, len: number): number {
  for (let k = len - 1; k >= 0; k--) {
    const d = tokens[a - k]! - tokens[b - k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Index of the (n-1)-word suffix of each n-gram in the order n-1 list (its word id when n = 2). */
export function suffixIndex(tokens: Int32Array, list: NgramList, lower: NgramList | null): Uint32Array {
  const out = new Uint32Array(list.pos.length);
  const m = list.n - 1;
  for (let j = 0; j < out.length; j++) {
    const p = list.pos[j]!;
    if (!lower) {
      out[j] = tokens[p]!;
      continue;
    }
    let lo = 0;
    let hi = lower.pos.length - 1;
    for (;;) {
      if (lo > hi) throw new Error('internal: n-gram suffix missing from the lower order');
      const mid = (lo + hi) >>> 1;
      const c = compareAt(tokens, lower.pos[mid]!, p, m);
      if (c === 0) {
        out[j] = mid;
        break;
      }
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return out;
}

/**
 * Index of the (n-1)-word prefix (context) of each n-gram in the order n-1 list (its word id when n = 2). Both
 * lists are in lexicographic order, so the prefixes are met in order and one forward walk finds them all.
 */
export function prefixIndex(tokens: Int32Array, list: NgramList, lower: NgramList | null): Uint32Array {
  const out = new Uint32Array(list.pos.length);
  const m = list.n - 1;
  let q = 0;
  for (let j = 0; j < out.length; j++) {
    const p = list.pos[j]! - 1;
    if (!lower) {
      out[j] = tokens[p]!;
      continue;
    }
    while (compareAt(tokens, lower.pos[q]!, p, m) < 0) q++;
    if (compareAt(tokens, lower.pos[q]!, p, m) !== 0) throw new Error('internal: n-gram prefix missing from the lower order');
    out[j] = q;
  }
  return out;
}

/** Indices 0..count-1 ordered by `pos` (first occurrence): the order the n-grams were first seen in the text. */
export function firstSeenOrder(pos: Uint32Array): Uint32Array {
  const idx = new Uint32Array(pos.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return radixSort(idx, (i, d) => (pos[i]! >>> (16 * d)) & 0xffff, 2, 16);
}
