/**
 * The n-gram index of a table whose entries are sorted by (context, word), as binary LM files store them: entry
 * range [start[ctx], start[ctx + 1]) holds the context's words in ascending order, and a lookup is a binary search
 * there. It costs 4 bytes per context where a PairHash costs 24 to 48 bytes per entry (two keys and a value, at a
 * load factor between 1/4 and 1/2), which is most of a large model's memory.
 */
export interface ContextRangesArrays {
  /** start[c] = first entry with context c; length = number of contexts + 1. */
  start: Int32Array;
  /** Word id per entry (the table's own `word` array), ascending within each context's range. */
  word: Int32Array;
}

export class ContextRanges {
  private readonly start: Int32Array;
  private readonly word: Int32Array;

  constructor(arrays: ContextRangesArrays) {
    const { start, word } = arrays;
    if (start.length < 1 || start[start.length - 1] !== word.length) {
      throw new RangeError('ContextRanges: start must end at the number of entries');
    }
    this.start = start;
    this.word = word;
  }

  /** Builds the ranges of a table sorted by (ctx, word); throws if it is not sorted that way. */
  static fromSorted(ctx: Int32Array, word: Int32Array, contexts: number): ContextRanges {
    const start = new Int32Array(contexts + 1);
    for (let i = 0; i < ctx.length; i++) {
      const c = ctx[i]!;
      if (c < 0 || c >= contexts) throw new RangeError(`ContextRanges: entry ${i} has context ${c}, outside 0..${contexts - 1}`);
      if (i > 0 && (c < ctx[i - 1]! || (c === ctx[i - 1]! && word[i]! <= word[i - 1]!))) {
        throw new RangeError(`ContextRanges: entry ${i} is out of (context, word) order`);
      }
      start[c + 1]!++;
    }
    for (let c = 0; c < contexts; c++) start[c + 1]! += start[c]!;
    return new ContextRanges({ start, word });
  }

  /** The arrays (live, not copies), e.g. to copy them into shared memory. */
  arrays(): ContextRangesArrays {
    return { start: this.start, word: this.word };
  }

  get size(): number {
    return this.word.length;
  }

  /** Entry index of (ctx, word), or -1. */
  get(ctx: number, word: number): number {
    if (ctx < 0 || ctx + 1 >= this.start.length) return -1;
    const words = this.word;
    let lo = this.start[ctx]!;
    let hi = this.start[ctx + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const w = words[mid]!;
      if (w === word) return mid;
      if (w < word) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
