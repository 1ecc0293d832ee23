/**
 * The language side of the beam search: everything a prefix scores besides its acoustics. A word-level n-gram LM
 * prices each word when it ends (at a space, and at the end of the utterance with </s>), plus a bonus per word; a
 * lexicon trie charges a partial word the unknown-word cost as soon as it can no longer become a known word; an
 * optional look-ahead prices a partial word, while it grows, at the best LM probability of any word it can still
 * become; hotwords earn their boost character by character. All of it is per prefix node, computed once when the
 * node is created and stored in the trie (`ext`), so the frame loop only adds numbers.
 */
import type { NgramLM } from '../lm/ngram-lm.js';
import { DEFAULT_HOTWORD_BOOST, type BeamSearchOptions } from './beam-options.js';
import { HotwordTrie } from './hotwords.js';
import { LexiconTrie, lexiconFor } from './lexicon.js';
import { lookaheadFor, type LmLookahead } from './lm-lookahead.js';
import { ROOT, type PrefixTrie } from './prefix-trie.js';

/** What the frame loop asks of the language side (pyctcdecode's language-model interface, for a prefix trie). */
export interface PrefixScorer {
  /** LM context slots each trie node needs. */
  readonly contextWidth: number;
  /**
   * Upper bounds of what creating a child by a space, or by any other token, adds to its parent's ext (Infinity:
   * no bound). The frame loop skips creating prefixes that cannot survive pruning even with that gain.
   */
  readonly maxGainSpace: number;
  readonly maxGainChar: number;
  /** Fills the root's language state (ext, look-ahead, hotword, lexicon, LM context). */
  initRoot(trie: PrefixTrie, root: number): void;
  /** Fills the language state of `child`, just added to the trie as `parent` + token `c`. */
  extend(trie: PrefixTrie, parent: number, c: number, child: number): void;
  /** What ending the utterance at node n adds: its last word, </s>, the hotword match it stands in. */
  finalExtra(trie: PrefixTrie, n: number): number;
  /** Each word's log10 LM probability after the words before it; null for an unknown word; null for all without an LM. */
  wordLog10s(words: readonly string[]): Array<number | null> | null;
}

/** The n-gram LM, unknown-word, look-ahead and hotword scoring of `BeamSearchOptions`. */
export class WordScorer implements PrefixScorer {
  readonly contextWidth: number;
  readonly maxGainSpace: number;
  readonly maxGainChar: number;
  private readonly space: number;
  private readonly lm: NgramLM | null;
  private readonly lmWeight: number; // alpha · ln 10
  private readonly beta: number;
  private readonly useEos: boolean;
  private readonly oovLog10: number | undefined;
  /** Weighted natural-log cost added per character outside the vocabulary. */
  private readonly oovCharCost: number;
  private readonly lexicon: LexiconTrie | null;
  private readonly lookahead: LmLookahead | null;
  private readonly hotwordOovLog10: number;
  private readonly hotwords: HotwordTrie | null;
  // LM scratch: a context buffer per length, and the context after the word completeWord just scored.
  private readonly ctxBufs: Int32Array[];
  private readonly tmpCtx: Int32Array;
  private tmpCtxLen = 0;

  /** `tokenOf`: the vocabulary's one-character tokens (blank excluded); `space`: the space token. */
  constructor(options: BeamSearchOptions, tokenOf: ReadonlyMap<string, number>, space: number) {
    this.space = space;
    this.lm = options.lm ?? null;
    this.lmWeight = (options.alpha ?? 0.5) * Math.LN10;
    this.beta = options.beta ?? 1.0;
    this.useEos = options.useEos ?? true;
    this.oovLog10 = options.oovLog10;
    this.oovCharCost = (options.oovCharLog10 ?? 0) * this.lmWeight;
    this.hotwordOovLog10 = options.hotwordOovLog10 ?? -4;
    this.lexicon = this.lm ? lexiconFor(this.lm, tokenOf) : null;
    this.lookahead = options.lmLookahead && this.lm && this.lexicon ? lookaheadFor(this.lm, this.lexicon) : null;
    const hw = options.hotwords ?? [];
    this.hotwords = hw.length > 0 ? new HotwordTrie(hw, tokenOf, space, options.hotwordBoost ?? DEFAULT_HOTWORD_BOOST) : null;
    this.contextWidth = this.lm ? Math.max(0, this.lm.order - 1) : 0;
    // LM and unknown-word scores are log-probabilities (≤ 0) times a non-negative weight; only the word bonus can
    // raise a child above its parent. Hotword boosts and unusual settings are not bounded here.
    const bounded = (options.skipHopeless ?? true) && !this.hotwords && this.lmWeight >= 0 && this.oovCharCost <= 0 && !(this.oovLog10 !== undefined && this.oovLog10 > 0);
    this.maxGainChar = bounded ? 0 : Infinity;
    this.maxGainSpace = bounded ? (this.lm ? Math.max(0, this.beta) : 0) : Infinity;
    this.ctxBufs = Array.from({ length: this.contextWidth + 1 }, (_, n) => new Int32Array(n));
    this.tmpCtx = new Int32Array(this.contextWidth);
  }

  initRoot(trie: PrefixTrie, root: number): void {
    trie.ext[root] = 0;
    trie.la[root] = 0;
    trie.hot[root] = 0;
    trie.lex[root] = LexiconTrie.ROOT;
    trie.oovPaid[root] = 0;
    if (this.lm && this.lm.bos >= 0 && this.contextWidth > 0) {
      trie.ctx[root * this.contextWidth] = this.lm.bos;
      trie.ctxLen[root] = 1;
    } else {
      trie.ctxLen[root] = 0;
    }
  }

  extend(trie: PrefixTrie, n: number, c: number, ch: number): void {
    let e = trie.ext[n]!;
    let h = 0;
    let inHotword = false;
    if (this.hotwords) {
      const hn = trie.hot[n]!;
      inHotword = c === this.space && hn !== 0 && this.hotwords.child(hn, this.space) >= 0;
      h = this.hotwords.step(hn, trie.token[n]!, c);
      e += this.hotwords.delta;
    }
    const W = this.contextWidth;
    const laParent = trie.la[n]!;
    let la = 0;
    if (c === this.space) {
      trie.lex[ch] = LexiconTrie.ROOT;
      trie.oovPaid[ch] = 0;
    } else if (this.lexicon) {
      const ln = trie.lex[n]!;
      const next = ln >= 0 ? this.lexicon.child(ln, c) : -1;
      trie.lex[ch] = next;
      trie.oovPaid[ch] = trie.oovPaid[n]!;
      if (next >= 0 && this.lookahead) {
        la = this.weighted(this.lookahead.bound(this.contextOf(trie, n), next));
        e += la - laParent;
      }
      // Charged once, when the partial word is outside the vocabulary and not (or no longer) a hotword match; a
      // look-ahead already charged is replaced, so the word pays the worse of the two and a child never outscores
      // its parent (what lets the frame loop skip hopeless prefixes).
      if (next < 0 && !trie.oovPaid[n] && h === 0) {
        const charge = this.weighted(this.unknownLog10(this.contextOf(trie, n)));
        e += this.lookahead ? Math.min(0, charge - laParent) : charge;
        trie.oovPaid[ch] = 1;
      } else if (next < 0) {
        e -= laParent;
      }
      if (next < 0 && h === 0) e += this.oovCharCost;
    }
    trie.la[ch] = la;
    if (c === this.space && this.lm) {
      e += this.settleWord(trie, n, inHotword);
      trie.ctxLen[ch] = this.tmpCtxLen;
      for (let i = 0; i < this.tmpCtxLen; i++) trie.ctx[ch * W + i] = this.tmpCtx[i]!;
    } else {
      trie.ctxLen[ch] = trie.ctxLen[n]!;
      for (let i = 0; i < W; i++) trie.ctx[ch * W + i] = trie.ctx[n * W + i]!;
    }
    trie.ext[ch] = e;
    trie.hot[ch] = h;
  }

  finalExtra(trie: PrefixTrie, n: number): number {
    let extra = 0;
    const hn = trie.hot[n]!;
    let inHotword = false;
    if (this.hotwords) {
      inHotword = hn !== 0 && this.hotwords.child(hn, this.space) >= 0;
      extra += this.hotwords.close(hn);
    }
    const lm = this.lm;
    if (!lm) return extra;
    const W = this.contextWidth;
    let len: number;
    let ctxSrc: Int32Array;
    if (n !== ROOT && trie.token[n] !== this.space) {
      extra += this.settleWord(trie, n, inHotword);
      len = this.tmpCtxLen;
      ctxSrc = this.tmpCtx;
    } else {
      len = trie.ctxLen[n]!;
      ctxSrc = trie.ctx.subarray(n * W, n * W + W);
    }
    if (this.useEos && lm.eos >= 0) {
      const ctx = this.ctxBufs[len]!;
      for (let i = 0; i < len; i++) ctx[i] = ctxSrc[i]!;
      extra += this.lmWeight * lm.score(ctx, lm.eos);
    }
    return extra;
  }

  wordLog10s(words: readonly string[]): Array<number | null> | null {
    const lm = this.lm;
    if (!lm) return null;
    const W = this.contextWidth;
    const ctx: number[] = lm.bos >= 0 && W > 0 ? [lm.bos] : [];
    return words.map((word) => {
      const known = lm.has(word);
      const id = known ? lm.wordId(word) : lm.unkId;
      const log10 = known ? lm.score(ctx, id) : null;
      if (W > 0) {
        ctx.push(id);
        if (ctx.length > W) ctx.shift();
      }
      return log10;
    });
  }

  /**
   * What completing the word ending at node n adds to its ext: its LM score and word bonus (completeWord), less the
   * look-ahead charged while it grew. A word outside the vocabulary pays at most its look-ahead's price again (a
   * known word's own probability is never above its look-ahead), so completing a word gains at most the bonus.
   */
  private settleWord(trie: PrefixTrie, n: number, inHotword: boolean): number {
    const settled = this.completeWord(trie, n, inHotword) - trie.la[n]!;
    return this.lookahead && !inHotword ? Math.min(this.beta, settled) : settled;
  }

  /**
   * LM score (alpha-weighted, natural log, plus word bonus) of the word ending at node n, given
   * n's context; leaves the context extended by that word in tmpCtx/tmpCtxLen.
   */
  private completeWord(trie: PrefixTrie, n: number, inHotword: boolean): number {
    const lm = this.lm!;
    const W = this.contextWidth;
    const ctx = this.contextOf(trie, n);
    const len = ctx.length;
    const wordId = this.lexicon!.wordId(trie.lex[n]!);
    const known = wordId >= 0;
    const id = known ? wordId : lm.unkId;
    let log10: number;
    if (known) log10 = lm.score(ctx, id);
    else if (trie.oovPaid[n]) log10 = 0;
    else log10 = this.unknownLog10(ctx);
    if (inHotword && log10 < this.hotwordOovLog10) log10 = this.hotwordOovLog10;
    // Shift the new word into the (order-1)-word context.
    if (W > 0) {
      if (len < W) {
        for (let i = 0; i < len; i++) this.tmpCtx[i] = ctx[i]!;
        this.tmpCtx[len] = id;
        this.tmpCtxLen = len + 1;
      } else {
        for (let i = 1; i < W; i++) this.tmpCtx[i - 1] = ctx[i]!;
        this.tmpCtx[W - 1] = id;
        this.tmpCtxLen = W;
      }
    } else {
      this.tmpCtxLen = 0;
    }
    return this.weighted(log10) + this.beta;
  }

  /** alpha-weighted natural-log LM score; a forbidden word (-Infinity) stays forbidden even with alpha 0. */
  private weighted(log10: number): number {
    return log10 === -Infinity ? -Infinity : this.lmWeight * log10;
  }

  /** Node n's LM context (word ids, oldest first) in the scratch buffer of its length. */
  private contextOf(trie: PrefixTrie, n: number): Int32Array {
    const len = trie.ctxLen[n]!;
    const ctx = this.ctxBufs[len]!;
    for (let i = 0; i < len; i++) ctx[i] = trie.ctx[n * this.contextWidth + i]!;
    return ctx;
  }

  /** log10 cost of an unknown word after context `ctx`: the option, else the LM's <unk> in context, else -10. */
  private unknownLog10(ctx: Int32Array): number {
    if (this.oovLog10 !== undefined) return this.oovLog10;
    const lm = this.lm!;
    return lm.unkId < 0 ? -10 : lm.score(ctx, lm.unkId);
  }
}
