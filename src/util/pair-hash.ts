/**
 * Open-addressing hash from a pair of non-negative int32 keys to a non-negative int32 value.
 * Used for n-gram lookup ((context index, word id) → entry) and for the decoder's prefix trie
 * ((parent node, token) → child). Flat typed arrays keep millions of entries cheap for the GC,
 * which a Map<string, number> would not.
 */
export interface PairHashArrays {
  keyA: Int32Array;
  keyB: Int32Array;
  values: Int32Array;
  count: number;
}

export class PairHash {
  private keyA: Int32Array;
  private keyB: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 16) {
    let cap = 16;
    // Load factor ≤ 0.5 keeps linear probing short.
    while (cap < expected * 2) cap *= 2;
    this.keyA = new Int32Array(cap).fill(-1);
    this.keyB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The table's arrays (live, not copies), e.g. to copy them into shared memory. */
  arrays(): PairHashArrays {
    return { keyA: this.keyA, keyB: this.keyB, values: this.values, count: this.count };
  }

  /** A hash over arrays made by `arrays()` (used as they are: no copy, so they may be shared memory). */
  static fromArrays(arrays: PairHashArrays): PairHash {
    const { keyA, keyB, values, count } = arrays;
    const cap = keyA.length;
    if (cap < 2 || (cap & (cap - 1)) !== 0 || keyB.length !== cap || values.length !== cap || count * 2 > cap) {
      throw new RangeError('PairHash arrays must share one power-of-two length at most half full');
    }
    const h = new PairHash(1);
    h.keyA = keyA;
    h.keyB = keyB;
    h.values = values;
    h.mask = cap - 1;
    h.count = count;
    return h;
  }

  private static slot(a: number, b: number, mask: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h & mask;
  }

  /** Value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const keyA = this.keyA;
    let s = PairHash.slot(a, b, this.mask);
    for (;;) {
      const ka = keyA[s]!;
      if (ka === -1) return -1;
      if (ka === a && this.keyB[s] === b) return this.values[s]!;
      s = (s + 1) & this.mask;
    }
  }

  /** Inserts or overwrites. Keys must be ≥ 0 (-1 marks empty slots). */
  set(a: number, b: number, value: number): void {
    if ((this.count + 1) * 2 > this.keyA.length) this.grow();
    let s = PairHash.slot(a, b, this.mask);
    for (;;) {
      const ka = this.keyA[s]!;
      if (ka === -1) {
        this.keyA[s] = a;
        this.keyB[s] = b;
        this.values[s] = value;
        this.count++;
        return;
      }
      if (ka === a && this.keyB[s] === b) {
        this.values[s] = value;
        return;
      }
      s = (s + 1) & this.mask;
    }
  }

  clear(): void {
    this.keyA.fill(-1);
    this.count = 0;
  }

  private grow(): void {
    const oldA = this.keyA;
    const oldB = this.keyB;
    const oldV = this.values;
    const cap = oldA.length * 2;
    this.keyA = new Int32Array(cap).fill(-1);
    this.keyB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldA.length; i++) {
      if (oldA[i]! !== -1) this.set(oldA[i]!, oldB[i]!, oldV[i]!);
    }
  }
}
