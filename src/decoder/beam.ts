/**
 * Streaming CTC prefix beam search (Hannun et al. 2014) with word-level n-gram LM fusion and
 * hotword biasing.
 *
 * Prefixes live in a trie of integer node ids (parent pointer + token), so extending a prefix is
 * one hash probe and everything derived from a prefix (LM context and score, hotword state) is
 * computed once, when its node is created. Per frame, each beam entry keeps two acoustic
 * log-probabilities: ending in blank (pb) and ending in a non-blank (pnb). A hypothesis' score is
 * logaddexp(pb, pnb) + ext(node), ext = LM + word bonus + hotword bonus accumulated on the path.
 *
 * Decisions depend only on the frames seen, processed one at a time in order, so results are
 * identical however the input is split across `acceptFrames` calls.
 */
import type { NgramLM } from '../lm/ngram-lm.js';
import { PairHash } from '../util/pair-hash.js';
import { LexiconTrie, lexiconFor } from './lexicon.js';
import { lookaheadFor, type LmLookahead } from './lm-lookahead.js';
import { HotwordTrie, type Hotword } from './hotwords.js';
import { BLANK, DEFAULT_VOCABULARY } from './vocabulary.js';
import { wordConfidence, type ConfidenceCalibration, type WordEvidence } from './confidence.js';
import { align } from '../util/align.js';

export type { Hotword } from './hotwords.js';

/** A hotword's boost (natural log) when it names none. */
export const DEFAULT_HOTWORD_BOOST = 5;

export interface BeamSearchOptions {
  /** Output alphabet, index = token id (default: docs/model-format.md vocabulary). */
  vocabulary?: readonly string[];
  /** Blank token id (default 0). The space token is found in the vocabulary (" "). */
  blank?: number;
  /** Hypotheses kept per frame (default 16). */
  beamWidth?: number;
  /** At most this many non-blank tokens are tried per frame (default 12). */
  topK?: number;
  /** Tokens are tried in order of probability until blank + tried reach this mass (default 0.999). */
  cumulativeProb?: number;
  /** Tokens with a natural-log probability below this are never tried (default -12, about 6e-6). */
  tokenLogProbFloor?: number;
  /**
   * A frame whose blank probability is at least this only extends hypotheses with blank (and the
   * repeat of their last token): no new prefixes, no pruning work (default 0.999; > 1 disables).
   */
  blankSkipProb?: number;
  /** Hypotheses scoring more than this below the best (natural log) are dropped (default 30). */
  beamThreshold?: number;
  /**
   * Skip creating prefixes that provably cannot survive this frame's pruning (default true). Results are the same
   * either way (given an LM whose log-probabilities are ≤ 0); false is for checking exactly that, at about twice
   * the cost with a wide beam.
   */
  skipHopeless?: boolean;
  /** Word-level n-gram LM, applied when a word is completed (at a space and at finalize). */
  lm?: NgramLM | null;
  /**
   * Price a partial word, while it grows, at the best LM probability in its context of any word it can still become
   * (lm-lookahead.ts), settled to the word's own probability when it ends (default false). Final scores are unchanged;
   * what changes is which hypotheses survive pruning: unpriced partial words no longer crowd out priced ones.
   */
  lmLookahead?: boolean;
  /** LM weight (default 0.5); the LM's log10 scores are converted to natural log before weighting. */
  alpha?: number;
  /** Bonus per completed word, natural log (default 1.0; only used with an LM). */
  beta?: number;
  /** Score </s> at finalize (default true). */
  useEos?: boolean;
  /**
   * log10 LM cost of a word the LM does not know. Default: the LM's <unk> probability in context if it
   * has <unk>, otherwise -10 (KenLM's -100 would make unknown words unreachable). It is charged as soon as
   * a partial word leaves the LM's vocabulary (see lexicon.ts), not when the word ends, so hypotheses that
   * run real words together lose early; hotword matches are exempt. -Infinity restricts recognition to the
   * LM's vocabulary (grammars).
   */
  oovLog10?: number;
  /**
   * Extra log10 LM cost per character of a word outside the LM's vocabulary (default 0). With a one-off cost
   * alone, one long unknown "word" costs no more than a short one, so it can swallow several known words; a
   * per-character cost stops that (grammars with `[unk]` use it).
   */
  oovCharLog10?: number;
  /** Phrases to favour. */
  hotwords?: readonly Hotword[];
  /** Boost (natural log, whole phrase) for hotwords without their own (default 5). */
  hotwordBoost?: number;
  /**
   * Lower bound of the log10 LM probability of a word completed inside a hotword match, so a
   * hotword missing from the LM vocabulary is not killed by the unknown-word penalty (default -4).
   */
  hotwordOovLog10?: number;
  /** Alternatives returned besides the best hypothesis (default 4). */
  maxAlternatives?: number;
  /**
   * How word confidences are computed from their evidence (confidence.ts): a calibration fitted for this model and
   * LM, or null (default) for the raw acoustic score.
   */
  confidence?: ConfidenceCalibration | null;
  /** Trie nodes allowed before those unreachable from the beam are compacted away (default 4096; doubled while
   * more than half survive). Bounds a stream's memory: without it a long utterance grows the trie to many MB. */
  compactNodes?: number;
}

export interface WordTiming {
  word: string;
  /** Frame index of the word's first character (frame × frame shift = seconds). */
  start: number;
  /** Frame index after the word's last character (exclusive). */
  end: number;
  /**
   * Confidence in [0, 1]: with a calibration (options.confidence), the fitted probability that the word is right;
   * without, the geometric mean over the word's characters of each one's posterior at its emission frame (the
   * highest over the frames it was repeated on).
   */
  conf: number;
  /** What the confidence was computed from. */
  evidence: WordEvidence;
}

export interface BeamSearchResult {
  text: string;
  words: WordTiming[];
  /** Token ids of the best hypothesis (blanks removed, spaces included). */
  tokens: number[];
  /** Emission frame of each token in `tokens` (non-decreasing). */
  tokenFrames: number[];
  /** Total score of the best hypothesis (natural log: acoustic + alpha·LM + bonuses). */
  score: number;
  /** Other distinct hypotheses, best first. */
  alternatives: Array<{ text: string; score: number }>;
}

const NEG = -Infinity;
const ROOT = 0;

/** Below this share of the beam's probability a rival hypothesis is not worth aligning. */
const RIVAL_MIN_SHARE = 1e-4;

/**
 * For each word of the best hypothesis, the share of the final beam's probability (scores as ranked by finalize,
 * best first) held by hypotheses that have the same word at the same place in a minimum edit alignment.
 */
function beamPosteriors(bestWords: readonly string[], ranked: ReadonlyArray<{ text: string; score: number }>): number[] {
  const top = ranked[0]!.score;
  let total = 0;
  for (const r of ranked) total += Math.exp(r.score - top);
  const share = new Array<number>(bestWords.length).fill(0);
  for (const r of ranked) {
    const weight = Math.exp(r.score - top) / total;
    if (weight < RIVAL_MIN_SHARE && r !== ranked[0]) continue;
    const words = r.text.split(' ').filter((w) => w.length > 0);
    for (const step of align(bestWords, words)) if (step.op === 'match') share[step.ref]! += weight;
  }
  return share.map((x) => Math.min(1, x));
}

/**
 * The k-th largest (0-based) of a[0..n), by quickselect (Hoare partition, median-of-three pivot); reorders a.
 * No NaN in a: callers only pass scores that passed a `>=` comparison.
 */
export function nthLargest(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x > y ? (y > z ? y : x > z ? z : x) : x > z ? x : y > z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // a[lo..j] >= pivot, a[i..hi] <= pivot, anything between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return pivot;
  }
  return a[k]!;
}

function logAdd(a: number, b: number): number {
  if (a === NEG) return b;
  if (b === NEG) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

export class BeamSearchDecoder {
  private readonly vocab: readonly string[];
  private readonly V: number;
  private readonly blank: number;
  private readonly space: number;
  private readonly beamWidth: number;
  private readonly topK: number;
  private readonly cumulativeProb: number;
  private readonly tokenFloor: number;
  private readonly logBlankSkip: number;
  private readonly beamThreshold: number;
  private readonly lm: NgramLM | null;
  private readonly lmWeight: number; // alpha · ln 10
  private readonly beta: number;
  private readonly useEos: boolean;
  private readonly oovLog10: number | undefined;
  /** Weighted natural-log cost added per character outside the vocabulary. */
  private readonly oovCharCost: number;
  /** Upper bounds of what creating a child adds to its parent's ext (Infinity: no bound, never skip). */
  private readonly maxGainSpace: number;
  private readonly maxGainChar: number;
  private readonly lexicon: LexiconTrie | null;
  private readonly lookahead: LmLookahead | null;
  private readonly hotwordOovLog10: number;
  private readonly trie: HotwordTrie | null;
  private readonly maxAlternatives: number;
  private readonly calibration: ConfidenceCalibration | null;

  // Trie node store (struct of arrays, grown by doubling).
  private cap = 0;
  private nodeCount = 0;
  private parent = new Int32Array(0);
  private token = new Int32Array(0);
  private ext = new Float64Array(0);
  /** The weighted look-ahead of the partial word ending at each node, included in its ext (0 without one). */
  private la = new Float64Array(0);
  private hot = new Int32Array(0);
  private frame = new Int32Array(0);
  private prob = new Float32Array(0);
  /** Highest acoustic log-probability (logaddexp(pb, pnb)) of a node over its current stay in the beam. */
  private peakAc = new Float64Array(0);
  private ctxLen = new Uint8Array(0);
  private ctx = new Int32Array(0);
  /** Lexicon-trie node of the partial word ending at each node, -1 once it left the vocabulary. */
  private lex = new Int32Array(0);
  /** Whether the unknown-word cost of the word in progress was already charged. */
  private oovPaid = new Uint8Array(0);
  private beamStamp = new Int32Array(0);
  private slotStamp = new Int32Array(0);
  private slotOf = new Int32Array(0);
  private readonly ctxWidth: number;
  private readonly children = new PairHash(1 << 12);
  private compactAt: number;

  // Current beam, sorted best first.
  private beamSize = 0;
  private readonly beamNode: Int32Array;
  private readonly beamPb: Float64Array;
  private readonly beamPnb: Float64Array;
  private readonly beamScore: Float64Array;
  // Candidates of the frame being processed.
  private candCount = 0;
  private readonly candNode: Int32Array;
  private readonly candPb: Float64Array;
  private readonly candPnb: Float64Array;
  private readonly candScore: Float64Array;
  /** Indices of the candidates that survive the threshold, then the beam cut. */
  private readonly candKept: Int32Array;
  private readonly selectScratch: Float64Array;
  private readonly byCandScore = (a: number, b: number): number => this.candScore[b]! - this.candScore[a]! || a - b;
  // Tokens tried this frame.
  private readonly topTok: Int32Array;
  private readonly topLp: Float64Array;
  // LM scratch.
  private readonly ctxBufs: Int32Array[];
  private readonly tmpCtx: Int32Array;
  private tmpCtxLen = 0;

  private t = 0;
  /** Sum and count of the log of the highest posterior over frames that are not confidently blank. */
  private peakSum = 0;
  private peakFrames = 0;
  private partialNode = -1;
  private partialText = '';

  constructor(options: BeamSearchOptions = {}) {
    this.vocab = options.vocabulary ?? DEFAULT_VOCABULARY;
    this.V = this.vocab.length;
    this.blank = options.blank ?? BLANK;
    this.space = this.vocab.indexOf(' ');
    if (this.space < 0) throw new Error('vocabulary has no space token');
    this.beamWidth = Math.max(1, Math.floor(options.beamWidth ?? 16));
    this.topK = Math.max(1, Math.min(this.V - 1, Math.floor(options.topK ?? 12)));
    this.cumulativeProb = options.cumulativeProb ?? 0.999;
    this.tokenFloor = options.tokenLogProbFloor ?? -12;
    const skip = options.blankSkipProb ?? 0.999;
    this.logBlankSkip = skip > 1 ? Infinity : Math.log(skip);
    this.beamThreshold = options.beamThreshold ?? 30;
    this.lm = options.lm ?? null;
    this.lmWeight = (options.alpha ?? 0.5) * Math.LN10;
    this.beta = options.beta ?? 1.0;
    this.useEos = options.useEos ?? true;
    this.oovLog10 = options.oovLog10;
    this.oovCharCost = (options.oovCharLog10 ?? 0) * this.lmWeight;
    this.hotwordOovLog10 = options.hotwordOovLog10 ?? -4;
    this.maxAlternatives = options.maxAlternatives ?? 4;
    this.calibration = options.confidence ?? null;
    this.compactAt = options.compactNodes ?? 1 << 12;
    const tokenOf = new Map<string, number>();
    this.vocab.forEach((s, i) => {
      if (i !== this.blank && s.length === 1) tokenOf.set(s, i);
    });
    this.lexicon = this.lm ? lexiconFor(this.lm, tokenOf) : null;
    this.lookahead = options.lmLookahead && this.lm && this.lexicon ? lookaheadFor(this.lm, this.lexicon) : null;
    const hw = options.hotwords ?? [];
    this.trie = hw.length > 0 ? new HotwordTrie(hw, tokenOf, this.space, options.hotwordBoost ?? DEFAULT_HOTWORD_BOOST) : null;
    this.ctxWidth = this.lm ? Math.max(0, this.lm.order - 1) : 0;
    // LM and unknown-word scores are log-probabilities (≤ 0) times a non-negative weight; only the word bonus can
    // raise a child above its parent. Hotword boosts and unusual settings are not bounded here.
    const bounded = (options.skipHopeless ?? true) && !this.trie && this.lmWeight >= 0 && this.oovCharCost <= 0 && !(this.oovLog10 !== undefined && this.oovLog10 > 0);
    this.maxGainChar = bounded ? 0 : Infinity;
    this.maxGainSpace = bounded ? (this.lm ? Math.max(0, this.beta) : 0) : Infinity;
    this.ctxBufs = Array.from({ length: this.ctxWidth + 1 }, (_, n) => new Int32Array(n));
    this.tmpCtx = new Int32Array(this.ctxWidth);

    this.beamNode = new Int32Array(this.beamWidth);
    this.beamPb = new Float64Array(this.beamWidth);
    this.beamPnb = new Float64Array(this.beamWidth);
    this.beamScore = new Float64Array(this.beamWidth);
    const maxCand = this.beamWidth * (this.topK + 1);
    this.candNode = new Int32Array(maxCand);
    this.candPb = new Float64Array(maxCand);
    this.candPnb = new Float64Array(maxCand);
    this.candScore = new Float64Array(maxCand);
    this.candKept = new Int32Array(maxCand);
    this.selectScratch = new Float64Array(maxCand);
    this.topTok = new Int32Array(this.topK);
    this.topLp = new Float64Array(this.topK);
    this.grow(1 << 12);
    this.reset();
  }

  /** Frames consumed since the last reset. */
  get framesDecoded(): number {
    return this.t;
  }

  /** Prefix-trie nodes the decoder has memory for (about 60 bytes each): what a stream's search costs. */
  get allocatedNodes(): number {
    return this.cap;
  }

  /** Starts a new utterance (keeps options and allocated memory). */
  reset(): void {
    this.nodeCount = 0;
    this.children.clear();
    this.beamStamp.fill(-2);
    this.slotStamp.fill(-1);
    const root = this.alloc();
    this.parent[root] = -1;
    // The root behaves as if preceded by a space: a leading space merges into it and a hotword can start.
    this.token[root] = this.space;
    this.ext[root] = 0;
    this.la[root] = 0;
    this.hot[root] = 0;
    this.lex[root] = LexiconTrie.ROOT;
    this.oovPaid[root] = 0;
    this.frame[root] = 0;
    this.prob[root] = 1;
    if (this.lm && this.lm.bos >= 0 && this.ctxWidth > 0) {
      this.ctx[0] = this.lm.bos;
      this.ctxLen[root] = 1;
    } else {
      this.ctxLen[root] = 0;
    }
    this.beamSize = 1;
    this.beamNode[0] = root;
    this.beamPb[0] = 0;
    this.beamPnb[0] = NEG;
    this.beamScore[0] = 0;
    this.beamStamp[root] = -1;
    this.peakAc[root] = 0;
    this.t = 0;
    this.peakSum = 0;
    this.peakFrames = 0;
    this.partialNode = -1;
    this.partialText = '';
  }

  /** Consumes `frames` rows of row-major [frames, V] natural-log posteriors. */
  acceptFrames(logProbs: Float32Array, frames: number): void {
    const V = this.V;
    if (!Number.isInteger(frames) || frames < 0) throw new RangeError(`frames must be a non-negative integer, got ${frames}`);
    if (logProbs.length < frames * V) throw new RangeError(`logProbs holds ${logProbs.length} values, need ${frames} x ${V}`);
    for (let f = 0; f < frames; f++) {
      if (this.nodeCount > this.compactAt) this.compact();
      const off = f * V;
      if (logProbs[off + this.blank]! >= this.logBlankSkip) this.blankFrame(logProbs, off);
      else this.fullFrame(logProbs, off);
      this.t++;
    }
  }

  /** Best hypothesis so far, without end-of-utterance scoring (cheap: cached per best node). */
  partial(): string {
    const best = this.beamNode[0]!;
    if (best !== this.partialNode) {
      this.partialNode = best;
      this.partialText = this.textOf(best);
    }
    return this.partialText;
  }

  /**
   * Final result for the frames seen so far: completes the last word with the LM, adds </s>,
   * settles hotword matches and re-ranks. Does not change the decoder state; call `reset()` to
   * start the next utterance.
   */
  finalize(): BeamSearchResult {
    const groups = new Map<string, { score: number; bestNode: number; bestScore: number }>();
    for (let i = 0; i < this.beamSize; i++) {
      const n = this.beamNode[i]!;
      const s = logAdd(this.beamPb[i]!, this.beamPnb[i]!) + this.ext[n]! + this.finalExtra(n);
      if (s === NEG || Number.isNaN(s)) continue;
      const text = this.textOf(n);
      // "cat" and "cat " are different prefixes with the same output: merge their probability.
      const g = groups.get(text);
      if (!g) groups.set(text, { score: s, bestNode: n, bestScore: s });
      else {
        g.score = logAdd(g.score, s);
        if (s > g.bestScore) {
          g.bestScore = s;
          g.bestNode = n;
        }
      }
    }
    // Stable sort: ties keep beam order.
    const ranked = [...groups.entries()].sort((a, b) => b[1].score - a[1].score);
    if (ranked.length === 0) return { text: '', words: [], tokens: [], tokenFrames: [], score: 0, alternatives: [] };
    const [text, best] = ranked[0]!;
    return {
      text,
      ...this.alignment(best.bestNode, ranked.map(([t, g]) => ({ text: t, score: g.score }))),
      score: best.score,
      alternatives: ranked.slice(1, 1 + this.maxAlternatives).map(([t, g]) => ({ text: t, score: g.score })),
    };
  }

  // ---------------------------------------------------------------- frames

  /** Cheap path for confident blank frames: no new prefixes. */
  private blankFrame(lp: Float32Array, off: number): void {
    const lpBlank = lp[off + this.blank]!;
    for (let i = 0; i < this.beamSize; i++) {
      const n = this.beamNode[i]!;
      const pb = this.beamPb[i]!;
      const pnb = this.beamPnb[i]!;
      this.beamPb[i] = logAdd(pb, pnb) + lpBlank;
      this.beamPnb[i] = pnb === NEG ? NEG : pnb + lp[off + this.token[n]!]!;
      this.beamScore[i] = logAdd(this.beamPb[i]!, this.beamPnb[i]!) + this.ext[n]!;
    }
    this.sortBeam();
    this.stampBeam();
  }

  private fullFrame(lp: Float32Array, off: number): void {
    const t = this.t;
    const blank = this.blank;
    const space = this.space;
    const lpBlank = lp[off + blank]!;
    const nTok = this.selectTokens(lp, off, lpBlank);
    this.peakSum += nTok > 0 ? Math.max(lpBlank, this.topLp[0]!) : lpBlank;
    this.peakFrames++;
    this.candCount = 0;
    // Each beam entry's blank extension is a candidate scoring at least its old score + lpBlank, so the best
    // candidate is at least beamScore[0] + lpBlank and, with a full beam, W candidates are at least
    // beamScore[W-1] + lpBlank. A prefix not yet in the trie gets exactly one contribution this frame, so if even
    // the most its score could be falls below those bounds it would be pruned: skip creating it (most of a
    // wide beam's would-be children are such).
    const W = this.beamWidth;
    let cutoff = this.beamScore[0]! + lpBlank - this.beamThreshold;
    if (this.beamSize === W) cutoff = Math.max(cutoff, this.beamScore[W - 1]! + lpBlank);
    cutoff -= 1e-9; // rounding slack: never skip a prefix that might have survived
    for (let i = 0; i < this.beamSize; i++) {
      const n = this.beamNode[i]!;
      const pb = this.beamPb[i]!;
      const pnb = this.beamPnb[i]!;
      const total = logAdd(pb, pnb);
      const last = this.token[n]!;
      this.addCand(n, total + lpBlank, NEG);
      if (pnb !== NEG) {
        // Repeat of the last token without a blank in between collapses into the same prefix.
        const lpl = lp[off + last]!;
        this.addCand(n, NEG, pnb + lpl);
        const p = Math.exp(lpl);
        if (p > this.prob[n]!) this.prob[n] = p;
      }
      for (let k = 0; k < nTok; k++) {
        const c = this.topTok[k]!;
        const lpc = this.topLp[k]!;
        let contribution: number;
        if (c === last) {
          // Same token again needs a blank in between; a repeated space is the same text, so merge.
          if (pb === NEG) continue;
          if (c === space) {
            this.addCand(n, NEG, pb + lpc);
            continue;
          }
          contribution = pb + lpc;
        } else {
          contribution = total + lpc;
        }
        let ch = this.children.get(n, c);
        if (ch < 0) {
          if (contribution + this.ext[n]! + (c === space ? this.maxGainSpace : this.maxGainChar) < cutoff) continue;
          ch = this.newChild(n, c);
        }
        this.enter(ch, t, contribution, lpc);
        this.addCand(ch, NEG, contribution);
      }
    }
    this.selectBeam();
  }

  /**
   * Records the emission frame and posterior of a prefix's last token: when the prefix was not
   * alive on the previous frame, or when this new emission outweighs the most the prefix ever
   * held in its stay (an early, weak extension must not pin the timestamp before the real spike,
   * while a late, weak re-extension of a prefix whose mass already moved on must not move it).
   */
  private enter(node: number, t: number, contribution: number, lp: number): void {
    if (this.beamStamp[node] === t - 1 && contribution <= this.peakAc[node]!) return;
    this.frame[node] = t;
    this.prob[node] = Math.exp(lp);
  }

  /** Non-blank tokens to try this frame, best first, into topTok/topLp; returns how many. */
  private selectTokens(lp: Float32Array, off: number, lpBlank: number): number {
    const K = this.topK;
    const tok = this.topTok;
    const lps = this.topLp;
    let n = 0;
    for (let v = 0; v < this.V; v++) {
      if (v === this.blank) continue;
      const x = lp[off + v]!;
      if (x < this.tokenFloor) continue;
      if (n === K && x <= lps[K - 1]!) continue;
      let j = n < K ? n++ : K - 1;
      while (j > 0 && lps[j - 1]! < x) {
        lps[j] = lps[j - 1]!;
        tok[j] = tok[j - 1]!;
        j--;
      }
      lps[j] = x;
      tok[j] = v;
    }
    let cum = Math.exp(lpBlank);
    let used = 0;
    while (used < n && cum < this.cumulativeProb) {
      cum += Math.exp(lps[used]!);
      used++;
    }
    return used;
  }

  private addCand(node: number, pb: number, pnb: number): void {
    if (this.slotStamp[node] === this.t) {
      const s = this.slotOf[node]!;
      if (pb !== NEG) this.candPb[s] = logAdd(this.candPb[s]!, pb);
      if (pnb !== NEG) this.candPnb[s] = logAdd(this.candPnb[s]!, pnb);
      return;
    }
    const s = this.candCount++;
    this.slotStamp[node] = this.t;
    this.slotOf[node] = s;
    this.candNode[s] = node;
    this.candPb[s] = pb;
    this.candPnb[s] = pnb;
  }

  /**
   * Keeps the best `beamWidth` candidates within `beamThreshold` of the best. Ties keep candidate
   * order (itself derived from beam order and token order), never node ids, which compaction renumbers.
   * A wide beam over many candidates is the decoder's hot loop, so the cut is a linear-time selection
   * of the beamWidth-th score and only the survivors are sorted.
   */
  private selectBeam(): void {
    const W = this.beamWidth;
    const count = this.candCount;
    const score = this.candScore;
    let best = NEG;
    for (let s = 0; s < count; s++) {
      const sc = logAdd(this.candPb[s]!, this.candPnb[s]!) + this.ext[this.candNode[s]!]!;
      score[s] = sc;
      if (sc > best) best = sc;
    }
    const floor = best - this.beamThreshold;
    const kept = this.candKept;
    let n = 0;
    for (let s = 0; s < count; s++) if (score[s]! >= floor) kept[n++] = s;
    if (n > W) {
      // The W-th best score; candidates above it are in, those equal to it are taken in candidate order.
      const scratch = this.selectScratch;
      for (let i = 0; i < n; i++) scratch[i] = score[kept[i]!]!;
      const cut = nthLargest(scratch, n, W - 1);
      let above = 0;
      for (let i = 0; i < n; i++) if (score[kept[i]!]! > cut) above++;
      let ties = W - above;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const s = kept[i]!;
        const sc = score[s]!;
        if (sc > cut || (sc === cut && ties-- > 0)) kept[m++] = s;
      }
      n = m;
    }
    // Survivors (at most W) best first; equal scores keep candidate order.
    kept.subarray(0, n).sort(this.byCandScore);
    for (let i = 0; i < n; i++) {
      const s = kept[i]!;
      this.beamScore[i] = score[s]!;
      this.beamNode[i] = this.candNode[s]!;
      this.beamPb[i] = this.candPb[s]!;
      this.beamPnb[i] = this.candPnb[s]!;
    }
    this.beamSize = n;
    this.stampBeam();
  }

  private stampBeam(): void {
    for (let i = 0; i < this.beamSize; i++) {
      const n = this.beamNode[i]!;
      const ac = logAdd(this.beamPb[i]!, this.beamPnb[i]!);
      this.peakAc[n] = this.beamStamp[n] === this.t - 1 && this.peakAc[n]! > ac ? this.peakAc[n]! : ac;
      this.beamStamp[n] = this.t;
    }
  }

  private sortBeam(): void {
    for (let i = 1; i < this.beamSize; i++) {
      const sc = this.beamScore[i]!;
      const node = this.beamNode[i]!;
      const pb = this.beamPb[i]!;
      const pnb = this.beamPnb[i]!;
      // Stable insertion sort: equal scores keep their previous order.
      this.insertSorted(i, sc, node, pb, pnb);
    }
  }

  /** Moves entries below `from` down while they score lower than `sc`, then places the hypothesis. */
  private insertSorted(from: number, sc: number, node: number, pb: number, pnb: number): void {
    let j = from;
    while (j > 0 && sc > this.beamScore[j - 1]!) {
      this.beamScore[j] = this.beamScore[j - 1]!;
      this.beamNode[j] = this.beamNode[j - 1]!;
      this.beamPb[j] = this.beamPb[j - 1]!;
      this.beamPnb[j] = this.beamPnb[j - 1]!;
      j--;
    }
    this.beamScore[j] = sc;
    this.beamNode[j] = node;
    this.beamPb[j] = pb;
    this.beamPnb[j] = pnb;
  }

  // ---------------------------------------------------------------- prefix trie

  /** Creates the trie node for prefix n + token c (not yet in the trie), deriving its LM, lexicon and hotword state. */
  private newChild(n: number, c: number): number {
    const ch = this.alloc();
    this.parent[ch] = n;
    this.token[ch] = c;
    let e = this.ext[n]!;
    let h = 0;
    let inHotword = false;
    if (this.trie) {
      const hn = this.hot[n]!;
      inHotword = c === this.space && hn !== 0 && this.trie.child(hn, this.space) >= 0;
      h = this.trie.step(hn, this.token[n]!, c);
      e += this.trie.delta;
    }
    const W = this.ctxWidth;
    const laParent = this.la[n]!;
    let la = 0;
    if (c === this.space) {
      this.lex[ch] = LexiconTrie.ROOT;
      this.oovPaid[ch] = 0;
    } else if (this.lexicon) {
      const ln = this.lex[n]!;
      const next = ln >= 0 ? this.lexicon.child(ln, c) : -1;
      this.lex[ch] = next;
      this.oovPaid[ch] = this.oovPaid[n]!;
      if (next >= 0 && this.lookahead) {
        la = this.weighted(this.lookahead.bound(this.contextOf(n), next));
        e += la - laParent;
      }
      // Charged once, when the partial word is outside the vocabulary and not (or no longer) a hotword match; a
      // look-ahead already charged is replaced, so the word pays the worse of the two and a child never outscores
      // its parent (what lets fullFrame skip hopeless prefixes).
      if (next < 0 && !this.oovPaid[n] && h === 0) {
        const charge = this.weighted(this.unknownLog10(this.contextOf(n)));
        e += this.lookahead ? Math.min(0, charge - laParent) : charge;
        this.oovPaid[ch] = 1;
      } else if (next < 0) {
        e -= laParent;
      }
      if (next < 0 && h === 0) e += this.oovCharCost;
    }
    this.la[ch] = la;
    if (c === this.space && this.lm) {
      e += this.settleWord(n, inHotword);
      this.ctxLen[ch] = this.tmpCtxLen;
      for (let i = 0; i < this.tmpCtxLen; i++) this.ctx[ch * W + i] = this.tmpCtx[i]!;
    } else {
      this.ctxLen[ch] = this.ctxLen[n]!;
      for (let i = 0; i < W; i++) this.ctx[ch * W + i] = this.ctx[n * W + i]!;
    }
    this.ext[ch] = e;
    this.hot[ch] = h;
    this.frame[ch] = this.t;
    this.prob[ch] = 0;
    this.children.set(n, c, ch);
    return ch;
  }

  /**
   * What completing the word ending at node n adds to its ext: its LM score and word bonus (completeWord), less the
   * look-ahead charged while it grew. A word outside the vocabulary pays at most its look-ahead's price again (a
   * known word's own probability is never above its look-ahead), so completing a word gains at most the bonus.
   */
  private settleWord(n: number, inHotword: boolean): number {
    const settled = this.completeWord(n, inHotword) - this.la[n]!;
    return this.lookahead && !inHotword ? Math.min(this.beta, settled) : settled;
  }

  /**
   * LM score (alpha-weighted, natural log, plus word bonus) of the word ending at node n, given
   * n's context; leaves the context extended by that word in tmpCtx/tmpCtxLen.
   */
  private completeWord(n: number, inHotword: boolean): number {
    const lm = this.lm!;
    const W = this.ctxWidth;
    const ctx = this.contextOf(n);
    const len = ctx.length;
    const wordId = this.lexicon!.wordId(this.lex[n]!);
    const known = wordId >= 0;
    const id = known ? wordId : lm.unkId;
    let log10: number;
    if (known) log10 = lm.score(ctx, id);
    else if (this.oovPaid[n]) log10 = 0;
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
  private contextOf(n: number): Int32Array {
    const len = this.ctxLen[n]!;
    const ctx = this.ctxBufs[len]!;
    for (let i = 0; i < len; i++) ctx[i] = this.ctx[n * this.ctxWidth + i]!;
    return ctx;
  }

  /** log10 cost of an unknown word after context `ctx`: the option, else the LM's <unk> in context, else -10. */
  private unknownLog10(ctx: Int32Array): number {
    if (this.oovLog10 !== undefined) return this.oovLog10;
    const lm = this.lm!;
    return lm.unkId < 0 ? -10 : lm.score(ctx, lm.unkId);
  }

  /** End-of-utterance score additions for the prefix at node n. */
  private finalExtra(n: number): number {
    let extra = 0;
    const hn = this.hot[n]!;
    let inHotword = false;
    if (this.trie) {
      inHotword = hn !== 0 && this.trie.child(hn, this.space) >= 0;
      extra += this.trie.close(hn);
    }
    const lm = this.lm;
    if (!lm) return extra;
    const W = this.ctxWidth;
    let len: number;
    let ctxSrc: Int32Array;
    if (n !== ROOT && this.token[n] !== this.space) {
      extra += this.settleWord(n, inHotword);
      len = this.tmpCtxLen;
      ctxSrc = this.tmpCtx;
    } else {
      len = this.ctxLen[n]!;
      ctxSrc = this.ctx.subarray(n * W, n * W + W);
    }
    if (this.useEos && lm.eos >= 0) {
      const ctx = this.ctxBufs[len]!;
      for (let i = 0; i < len; i++) ctx[i] = ctxSrc[i]!;
      extra += this.lmWeight * lm.score(ctx, lm.eos);
    }
    return extra;
  }

  private textOf(n: number): string {
    let s = '';
    for (let k = n; k !== ROOT; k = this.parent[k]!) s = this.vocab[this.token[k]!]! + s;
    return s.trim();
  }

  /**
   * Tokens, frames and word timings along the path to node n, with each word's evidence and confidence; `ranked` is
   * the final beam's hypotheses, best (node n's) first, for the beam's agreement on each word.
   */
  private alignment(n: number, ranked: ReadonlyArray<{ text: string; score: number }>): Pick<BeamSearchResult, 'words' | 'tokens' | 'tokenFrames'> {
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
    // A shared ancestor can re-enter the beam later than its descendants were created; clamp so
    // the path's frames never decrease.
    for (let i = frames.length - 2; i >= 0; i--) if (frames[i]! > frames[i + 1]!) frames[i] = frames[i + 1]!;
    const words: WordTiming[] = [];
    // All the words' characters together, for the utterance-level evidence.
    let charLogSum = 0;
    let chars = 0;
    let i = 0;
    while (i < tokens.length) {
      if (tokens[i] === this.space) {
        i++;
        continue;
      }
      let j = i;
      let word = '';
      let logSum = 0;
      while (j < tokens.length && tokens[j] !== this.space) {
        word += this.vocab[tokens[j]!]!;
        logSum += Math.log(Math.max(probs[j]!, 1e-30));
        j++;
      }
      const evidence: WordEvidence = { meanLogProb: logSum / (j - i), lmLog10: null, beamPosterior: 1, chars: j - i, utteranceLogProb: 0, framePeakLogProb: 0 };
      // conf is set below, once the evidence is complete
      words.push({ word, start: frames[i]!, end: frames[j - 1]! + 1, conf: 0, evidence });
      charLogSum += logSum;
      chars += j - i;
      i = j;
    }
    this.scoreWithLm(words);
    const posteriors = beamPosteriors(words.map((w) => w.word), ranked);
    const peak = this.peakFrames > 0 ? this.peakSum / this.peakFrames : 0;
    words.forEach((w, k) => {
      w.evidence.beamPosterior = posteriors[k]!;
      w.evidence.utteranceLogProb = chars > 0 ? charLogSum / chars : 0;
      w.evidence.framePeakLogProb = peak;
      w.conf = wordConfidence(w.evidence, this.calibration);
    });
    // After the clamp above, a word may start on its predecessor's last frame. Words must not overlap, and each
    // keeps at least one frame.
    for (let k = 1; k < words.length; k++) {
      const prev = words[k - 1]!;
      const cur = words[k]!;
      if (prev.end > cur.start) prev.end = Math.max(prev.start + 1, cur.start);
      if (cur.start < prev.end) {
        cur.start = prev.end;
        cur.end = Math.max(cur.end, cur.start + 1);
      }
    }
    // Strip leading/trailing spaces so `tokens` spells `text`.
    let a = 0;
    let b = tokens.length;
    while (a < b && tokens[a] === this.space) a++;
    while (b > a && tokens[b - 1] === this.space) b--;
    return { words, tokens: tokens.slice(a, b), tokenFrames: frames.slice(a, b) };
  }

  /** Fills in each word's LM log10 probability after the words before it (null for words the LM does not know). */
  private scoreWithLm(words: WordTiming[]): void {
    const lm = this.lm;
    if (!lm) return;
    const W = this.ctxWidth;
    const ctx: number[] = lm.bos >= 0 && W > 0 ? [lm.bos] : [];
    for (const w of words) {
      const known = lm.has(w.word);
      const id = known ? lm.wordId(w.word) : lm.unkId;
      w.evidence.lmLog10 = known ? lm.score(ctx, id) : null;
      if (W > 0) {
        ctx.push(id);
        if (ctx.length > W) ctx.shift();
      }
    }
  }

  // ---------------------------------------------------------------- memory

  private alloc(): number {
    if (this.nodeCount === this.cap) this.grow(this.cap * 2);
    return this.nodeCount++;
  }

  private grow(cap: number): void {
    const W = this.ctxWidth;
    const copyI = (a: Int32Array, n: number, fill: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n).fill(fill);
      b.set(a);
      return b;
    };
    this.parent = copyI(this.parent, cap, 0);
    this.token = copyI(this.token, cap, 0);
    this.hot = copyI(this.hot, cap, 0);
    this.frame = copyI(this.frame, cap, 0);
    this.beamStamp = copyI(this.beamStamp, cap, -2);
    this.slotStamp = copyI(this.slotStamp, cap, -1);
    this.slotOf = copyI(this.slotOf, cap, 0);
    this.ctx = copyI(this.ctx, cap * W, 0);
    this.lex = copyI(this.lex, cap, 0);
    const oovPaid = new Uint8Array(cap);
    oovPaid.set(this.oovPaid);
    this.oovPaid = oovPaid;
    const ext = new Float64Array(cap);
    ext.set(this.ext);
    this.ext = ext;
    const la = new Float64Array(cap);
    la.set(this.la);
    this.la = la;
    const prob = new Float32Array(cap);
    prob.set(this.prob);
    this.prob = prob;
    const peakAc = new Float64Array(cap);
    peakAc.set(this.peakAc);
    this.peakAc = peakAc;
    const ctxLen = new Uint8Array(cap);
    ctxLen.set(this.ctxLen);
    this.ctxLen = ctxLen;
    this.cap = cap;
  }

  /**
   * Drops trie nodes that are neither in the beam nor ancestors of a beam node. Ids are
   * renumbered in the same order, so tie-breaking (and thus the result) is unchanged.
   */
  private compact(): void {
    const count = this.nodeCount;
    const keep = new Uint8Array(count);
    keep[ROOT] = 1;
    for (let i = 0; i < this.beamSize; i++) {
      for (let k = this.beamNode[i]!; k !== ROOT && !keep[k]; k = this.parent[k]!) keep[k] = 1;
    }
    const newId = new Int32Array(count).fill(-1);
    const W = this.ctxWidth;
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
    for (let i = 0; i < this.beamSize; i++) this.beamNode[i] = newId[this.beamNode[i]!]!;
    if (this.partialNode >= 0) this.partialNode = -1;
    this.nodeCount = j;
    if (j > this.compactAt / 2) this.compactAt *= 2;
  }
}
