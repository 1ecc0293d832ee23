/**
 * The beam search's prefixes as a trie of integer node ids: a node is its parent's prefix plus one token, so
 * extending a prefix is one hash probe and everything derived from a prefix is computed once, when its node is
 * created. Nodes are a struct of typed arrays, grown by doubling, so millions of them cost the GC nothing; the
 * arrays are replaced when they grow, so callers index them through the trie (`trie.ext[n]`), never keep them.
 *
 * What the fields mean is the search's business (beam.ts for the acoustic bookkeeping, word-scorer.ts for the
 * language side); the trie allocates, links, compacts and walks them.
 */
import { PairHash } from '../util/pair-hash.js';

/** The empty prefix: always node 0. */
export const ROOT = 0;

/** The tokens along a prefix, with the frame and posterior each was emitted at. */
export interface PrefixPath {
  tokens: number[];
  frames: number[];
  probs: number[];
}

export class PrefixTrie {
  /** LM context slots per node (`ctx` holds `contextWidth` word ids per node). */
  readonly contextWidth: number;
  private cap = 0;
  private nodeCount = 0;
  private readonly children = new PairHash(1 << 12);
  private compactAt: number;

  parent = new Int32Array(0);
  token = new Int32Array(0);
  /** Score added on the path besides the acoustic one: LM, word bonus, hotword bonus, look-ahead (natural log). */
  ext = new Float64Array(0);
  /** The weighted look-ahead of the partial word ending at each node, included in its ext (0 without one). */
  la = new Float64Array(0);
  /** Hotword-trie state after the node's token. */
  hot = new Int32Array(0);
  /** Emission frame and posterior of the node's token. */
  frame = new Int32Array(0);
  prob = new Float32Array(0);
  /** Highest acoustic log-probability (logaddexp(pb, pnb)) of a node over its current stay in the beam. */
  peakAc = new Float64Array(0);
  /** LM context (word ids, oldest first) after the node's last completed word, and its length. */
  ctxLen = new Uint8Array(0);
  ctx = new Int32Array(0);
  /** Lexicon-trie node of the partial word ending at each node, -1 once it left the vocabulary. */
  lex = new Int32Array(0);
  /** Whether the unknown-word cost of the word in progress was already charged. */
  oovPaid = new Uint8Array(0);
  /** Last frame the node was in the beam (-2: never). */
  beamStamp = new Int32Array(0);
  /** Frame of the node's candidate slot, and the slot (a node is one candidate per frame). */
  slotStamp = new Int32Array(0);
  slotOf = new Int32Array(0);

  /** `compactNodes`: nodes allowed before `compact` is due (doubled while more than half survive it). */
  constructor(contextWidth: number, compactNodes: number) {
    this.contextWidth = contextWidth;
    this.compactAt = compactNodes;
    this.grow(1 << 12);
  }

  /** Nodes the trie has memory for (about 60 bytes each): what a stream's search costs. */
  get capacity(): number {
    return this.cap;
  }

  /** More nodes than the compaction threshold. */
  get compactionDue(): boolean {
    return this.nodeCount > this.compactAt;
  }

  /** Forgets every node (keeps the memory); the next `alloc` is the root. */
  clear(): void {
    this.nodeCount = 0;
    this.children.clear();
    this.beamStamp.fill(-2);
    this.slotStamp.fill(-1);
  }

  /** A new node id; its fields hold whatever was there before. */
  alloc(): number {
    if (this.nodeCount === this.cap) this.grow(this.cap * 2);
    return this.nodeCount++;
  }

  /** The node for prefix n + token c, or -1 when it is not in the trie. */
  child(n: number, c: number): number {
    return this.children.get(n, c);
  }

  /** Allocates the node for prefix n + token c (not yet in the trie) and links it; the caller fills the rest. */
  addChild(n: number, c: number): number {
    const ch = this.alloc();
    this.parent[ch] = n;
    this.token[ch] = c;
    this.children.set(n, c, ch);
    return ch;
  }

  /** The prefix at node n as text (`vocab[token]` joined, outer spaces trimmed). */
  textOf(n: number, vocab: readonly string[]): string {
    let s = '';
    for (let k = n; k !== ROOT; k = this.parent[k]!) s = vocab[this.token[k]!]! + s;
    return s.trim();
  }

  /** The tokens from the root to node n, with their emission frames and posteriors. */
  path(n: number): PrefixPath {
    const tokens: number[] = [];
    const frames: number[] = [];
    const probs: number[] = [];
    for (let k = n; k !== ROOT; k = this.parent[k]!) {
      tokens.push(this.token[k]!);
      frames.push(this.frame[k]!);
      probs.push(this.prob[k]!);
    }
    tokens.reverse();
    frames.reverse();
    probs.reverse();
    return { tokens, frames, probs };
  }

  /**
   * Drops nodes that are neither in `live[0..liveCount)` nor ancestors of one, and renumbers `live` in place. Ids
   * keep their order, so tie-breaking by node order (and thus the search's result) is unchanged.
   */
  compact(live: Int32Array, liveCount: number): void {
    const count = this.nodeCount;
    const keep = new Uint8Array(count);
    keep[ROOT] = 1;
    for (let i = 0; i < liveCount; i++) {
      for (let k = live[i]!; k !== ROOT && !keep[k]; k = this.parent[k]!) keep[k] = 1;
    }
    const newId = new Int32Array(count).fill(-1);
    const W = this.contextWidth;
    let j = 0;
    for (let i = 0; i < count; i++) {
      if (!keep[i]) continue;
      newId[i] = j;
      if (j !== i) {
        this.parent[j] = i === ROOT ? -1 : newId[this.parent[i]!]!;
        this.token[j] = this.token[i]!;
        this.ext[j] = this.ext[i]!;
        this.la[j] = this.la[i]!;
        this.hot[j] = this.hot[i]!;
        this.frame[j] = this.frame[i]!;
        this.prob[j] = this.prob[i]!;
        this.peakAc[j] = this.peakAc[i]!;
        this.ctxLen[j] = this.ctxLen[i]!;
        this.lex[j] = this.lex[i]!;
        this.oovPaid[j] = this.oovPaid[i]!;
        this.beamStamp[j] = this.beamStamp[i]!;
        for (let w = 0; w < W; w++) this.ctx[j * W + w] = this.ctx[i * W + w]!;
      } else if (i !== ROOT) {
        this.parent[j] = newId[this.parent[i]!]!;
      }
      j++;
    }
    this.beamStamp.fill(-2, j);
    this.slotStamp.fill(-1);
    this.children.clear();
    for (let k = 1; k < j; k++) this.children.set(this.parent[k]!, this.token[k]!, k);
    for (let i = 0; i < liveCount; i++) live[i] = newId[live[i]!]!;
    this.nodeCount = j;
    if (j > this.compactAt / 2) this.compactAt *= 2;
  }

  private grow(cap: number): void {
    this.parent = grown(this.parent, cap);
    this.token = grown(this.token, cap);
    this.hot = grown(this.hot, cap);
    this.frame = grown(this.frame, cap);
    this.beamStamp = grown(this.beamStamp, cap, -2);
    this.slotStamp = grown(this.slotStamp, cap, -1);
    this.slotOf = grown(this.slotOf, cap);
    this.ctx = grown(this.ctx, cap * this.contextWidth);
    this.lex = grown(this.lex, cap);
    this.oovPaid = grown(this.oovPaid, cap);
    this.ext = grown(this.ext, cap);
    this.la = grown(this.la, cap);
    this.prob = grown(this.prob, cap);
    this.peakAc = grown(this.peakAc, cap);
    this.ctxLen = grown(this.ctxLen, cap);
    this.cap = cap;
  }
}

type NodeArray = Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** A copy of `a` of length n, the new slots set to `fill`. */
function grown<A extends NodeArray>(a: A, n: number, fill = 0): A {
  const b = new (a.constructor as new (length: number) => A)(n);
  if (fill !== 0) b.fill(fill);
  b.set(a as ArrayLike<number>);
  return b;
}
