/**
 * Streaming CTC prefix beam search (Hannun et al. 2014) with word-level n-gram LM fusion and hotword biasing: the
 * frame loop. Prefixes live in a trie (prefix-trie.ts); what a prefix scores besides its acoustics (LM, unknown
 * words, look-ahead, hotwords) comes from the word scorer (word-scorer.ts) when its node is created; the result's
 * words, times and confidences are built in result.ts.
 *
 * Per frame, each beam entry keeps two acoustic log-probabilities: ending in blank (pb) and ending in a non-blank
 * (pnb). A hypothesis' score is logaddexp(pb, pnb) + ext(node), ext = LM + word bonus + hotword bonus accumulated
 * on the path.
 *
 * Decisions depend only on the frames seen, processed one at a time in order, so results are
 * identical however the input is split across `acceptFrames` calls.
 */
import { nthLargest } from '../util/nth-largest.js';
import { checkBeamSearchOptions, type BeamSearchOptions } from './beam-options.js';
import { PrefixTrie } from './prefix-trie.js';
import { alignHypothesis, type BeamSearchResult } from './result.js';
import { BLANK, DEFAULT_VOCABULARY } from './vocabulary.js';
import { WordScorer, type PrefixScorer } from './word-scorer.js';
import type { ConfidenceCalibration } from './word-confidence.js';

export { DEFAULT_HOTWORD_BOOST, type BeamSearchOptions, type Hotword } from './beam-options.js';
export type { BeamSearchResult, WordTiming } from './result.js';

const NEG = -Infinity;

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
  private readonly maxAlternatives: number;
  private readonly calibration: ConfidenceCalibration | null;
  private readonly scorer: PrefixScorer;
  /** Upper bounds of what creating a child adds to its parent's ext (Infinity: no bound, never skip). */
  private readonly maxGainSpace: number;
  private readonly maxGainChar: number;
  private readonly trie: PrefixTrie;

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

  private t = 0;
  /** Sum and count of the log of the highest posterior over frames that are not confidently blank. */
  private peakSum = 0;
  private peakFrames = 0;
  private partialNode = -1;
  private partialText = '';

  /** Throws an OptionsError for a bad setting (checkBeamSearchOptions): none is rounded or clamped into range. */
  constructor(options: BeamSearchOptions = {}) {
    this.vocab = options.vocabulary ?? DEFAULT_VOCABULARY;
    this.V = this.vocab.length;
    checkBeamSearchOptions(options, this.V);
    this.blank = options.blank ?? BLANK;
    this.space = this.vocab.indexOf(' ');
    if (this.space < 0) throw new Error('vocabulary has no space token');
    this.beamWidth = options.beamWidth ?? 16;
    // more tokens than the vocabulary has are as good as all of them (grammars ask for Number.MAX_SAFE_INTEGER)
    this.topK = Math.min(this.V - 1, options.topK ?? 12);
    this.cumulativeProb = options.cumulativeProb ?? 0.999;
    this.tokenFloor = options.tokenLogProbFloor ?? -12;
    const skip = options.blankSkipProb ?? 0.999;
    this.logBlankSkip = skip > 1 ? Infinity : Math.log(skip);
    this.beamThreshold = options.beamThreshold ?? 30;
    this.maxAlternatives = options.maxAlternatives ?? 4;
    this.calibration = options.confidence ?? null;
    const tokenOf = new Map<string, number>();
    this.vocab.forEach((s, i) => {
      if (i !== this.blank && s.length === 1) tokenOf.set(s, i);
    });
    this.scorer = new WordScorer(options, tokenOf, this.space);
    this.maxGainSpace = this.scorer.maxGainSpace;
    this.maxGainChar = this.scorer.maxGainChar;
    this.trie = new PrefixTrie(this.scorer.contextWidth, options.compactNodes ?? 1 << 12);

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
    this.reset();
  }

  /** Frames consumed since the last reset. */
  get framesDecoded(): number {
    return this.t;
  }

  /** Prefix-trie nodes the decoder has memory for (about 60 bytes each): what a stream's search costs. */
  get allocatedNodes(): number {
    return this.trie.capacity;
  }

  /** Starts a new utterance (keeps options and allocated memory). */
  reset(): void {
    const trie = this.trie;
    trie.clear();
    const root = trie.alloc();
    trie.parent[root] = -1;
    // The root behaves as if preceded by a space: a leading space merges into it and a hotword can start.
    trie.token[root] = this.space;
    trie.frame[root] = 0;
    trie.prob[root] = 1;
    this.scorer.initRoot(trie, root);
    this.beamSize = 1;
    this.beamNode[0] = root;
    this.beamPb[0] = 0;
    this.beamPnb[0] = NEG;
    this.beamScore[0] = 0;
    trie.beamStamp[root] = -1;
    trie.peakAc[root] = 0;
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
      if (this.trie.compactionDue) {
        this.trie.compact(this.beamNode, this.beamSize);
        this.partialNode = -1;
      }
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
      this.partialText = this.trie.textOf(best, this.vocab);
    }
    return this.partialText;
  }

  /**
   * Final result for the frames seen so far: completes the last word with the LM, adds </s>,
   * settles hotword matches and re-ranks. Does not change the decoder state; call `reset()` to
   * start the next utterance.
   */
  finalize(): BeamSearchResult {
    const trie = this.trie;
    const groups = new Map<string, { score: number; bestNode: number; bestScore: number }>();
    for (let i = 0; i < this.beamSize; i++) {
      const n = this.beamNode[i]!;
      const s = logAdd(this.beamPb[i]!, this.beamPnb[i]!) + trie.ext[n]! + this.scorer.finalExtra(trie, n);
      if (s === NEG || Number.isNaN(s)) continue;
      const text = trie.textOf(n, this.vocab);
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
    const aligned = alignHypothesis(trie.path(best.bestNode), ranked.map(([t, g]) => ({ text: t, score: g.score })), {
      vocabulary: this.vocab,
      space: this.space,
      calibration: this.calibration,
      framePeakLogProb: this.peakFrames > 0 ? this.peakSum / this.peakFrames : 0,
      wordLog10s: (words) => this.scorer.wordLog10s(words),
    });
    return {
      text,
      ...aligned,
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
      this.beamPnb[i] = pnb === NEG ? NEG : pnb + lp[off + this.trie.token[n]!]!;
      this.beamScore[i] = logAdd(this.beamPb[i]!, this.beamPnb[i]!) + this.trie.ext[n]!;
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
      const last = this.trie.token[n]!;
      this.addCand(n, total + lpBlank, NEG);
      if (pnb !== NEG) {
        // Repeat of the last token without a blank in between collapses into the same prefix.
        const lpl = lp[off + last]!;
        this.addCand(n, NEG, pnb + lpl);
        const p = Math.exp(lpl);
        if (p > this.trie.prob[n]!) this.trie.prob[n] = p;
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
        let ch = this.trie.child(n, c);
        if (ch < 0) {
          if (contribution + this.trie.ext[n]! + (c === space ? this.maxGainSpace : this.maxGainChar) < cutoff) continue;
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
    if (this.trie.beamStamp[node] === t - 1 && contribution <= this.trie.peakAc[node]!) return;
    this.trie.frame[node] = t;
    this.trie.prob[node] = Math.exp(lp);
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
    if (this.trie.slotStamp[node] === this.t) {
      const s = this.trie.slotOf[node]!;
      if (pb !== NEG) this.candPb[s] = logAdd(this.candPb[s]!, pb);
      if (pnb !== NEG) this.candPnb[s] = logAdd(this.candPnb[s]!, pnb);
      return;
    }
    const s = this.candCount++;
    this.trie.slotStamp[node] = this.t;
    this.trie.slotOf[node] = s;
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
      const sc = logAdd(this.candPb[s]!, this.candPnb[s]!) + this.trie.ext[this.candNode[s]!]!;
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
      this.trie.peakAc[n] = this.trie.beamStamp[n] === this.t - 1 && this.trie.peakAc[n]! > ac ? this.trie.peakAc[n]! : ac;
      this.trie.beamStamp[n] = this.t;
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

  /** Adds the trie node for prefix n + token c (not yet in the trie), scored by the word scorer. */
  private newChild(n: number, c: number): number {
    const ch = this.trie.addChild(n, c);
    this.scorer.extend(this.trie, n, c, ch);
    this.trie.frame[ch] = this.t;
    this.trie.prob[ch] = 0;
    return ch;
  }
}
