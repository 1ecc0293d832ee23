/**
 * Hidden-event decoding (Stolcke & Shriberg 1996): after each recognised word there is an unseen event, no mark
 * or one of the marks, and the best sequence of events is the one under which the LM scores the interleaved
 * text highest. With an n-gram LM the state is the last n-1 tokens, so an exact Viterbi keeps at most
 * (1 + marks)^(n-1) states per word: 16 for a trigram.
 *
 * Where the words' times are known, the pause after each word is evidence too (a pause cue): each mark's path gains
 * log10 P(pause | mark) / P(pause | no mark), read from a table of pause bins, as the prosody term of Shriberg and
 * Stolcke's hidden-event model (readers pause at commas and sentence ends far more than between other words).
 *
 * The trellis is kept between calls and extended from the longest common prefix of the words (and their pauses),
 * so a stream's partials cost only their new words; the columns of a prefix depend on the prefix alone, so the
 * answer is the same whether it was computed at once or piecewise.
 */
import type { NgramLM } from '../lm/ngram-lm.js';
import { normalizeWords } from '../text/normalize.js';
import { MARKS, MARK_TOKEN, endsSentence, type Mark } from './marks.js';
import { HearkenError } from '../util/errors.js';

interface Node {
  score: number;
  /** The last order-1 token ids, oldest first. */
  ctx: readonly number[];
  /** The mark chosen after this column's word. */
  mark: Mark | null;
  prev: Node | null;
}

const CHOICES: readonly (Mark | null)[] = [null, ...MARKS];

/** How a pause after a word bears on the mark there: log10 likelihood ratios per pause bin. */
export interface PauseCue {
  /** Upper edges of the pause bins in seconds, increasing; the last bin has no upper edge. */
  readonly edges: readonly number[];
  /** For each mark, log10 P(bin | mark) / P(bin | no mark), one value per bin (edges.length + 1). */
  readonly log10Ratio: Readonly<Record<Mark, readonly number[]>>;
}

export class PauseCueError extends HearkenError<'BAD_PAUSE_CUE'> {
  constructor(message: string) {
    super('BAD_PAUSE_CUE', message);
    this.name = 'PauseCueError';
  }
}

function checkPauseCue(cue: PauseCue): PauseCue {
  const { edges, log10Ratio } = cue;
  if (!edges.every((e, i) => Number.isFinite(e) && (i === 0 || e > edges[i - 1]!))) throw new PauseCueError('pause cue edges must be finite and increasing');
  for (const m of MARKS) {
    const r = log10Ratio[m];
    if (!r || r.length !== edges.length + 1 || !r.every(Number.isFinite)) throw new PauseCueError(`pause cue for ${m} needs ${edges.length + 1} finite values`);
  }
  return cue;
}

/** The words the LM scores for one shown word: itself, or what a numeral ("1984", "21st") reads as. */
function spokenWords(token: string): string[] {
  if (/^[a-z']+$/.test(token)) return [token];
  const words = normalizeWords(token);
  return words.length > 0 ? words : ['<unk>'];
}

const NO_PAUSE_TERMS: readonly number[] = CHOICES.map(() => 0);

export class PunctuationTrellis {
  private tokens: string[] = [];
  private pauses: number[] = [];
  /** columns[i]: the best path to each state after word i and its mark. */
  private columns: Node[][] = [];
  private readonly start: Node;
  private readonly markIds: readonly number[];
  private readonly history: number;
  private readonly bonus: readonly number[];
  private readonly pauseCue: PauseCue | null;

  /**
   * `bonus`: log10 added to the path for each mark of that kind (see PunctuationModel's MARK_BONUS); `pauseCue`: how
   * pauses weigh, where `update` is given them (null: they are ignored).
   */
  constructor(
    private readonly lm: NgramLM,
    bonus: Readonly<Partial<Record<Mark, number>>> = {},
    pauseCue: PauseCue | null = null,
  ) {
    this.bonus = CHOICES.map((m) => (m === null ? 0 : bonus[m] ?? 0));
    this.pauseCue = pauseCue && checkPauseCue(pauseCue);
    this.history = Math.max(1, lm.order - 1);
    this.start = { score: 0, ctx: [lm.bos], mark: null, prev: null };
    this.markIds = CHOICES.map((m) => (m === null ? -1 : lm.wordId(MARK_TOKEN[m])));
  }

  clear(): void {
    this.tokens = [];
    this.pauses = [];
    this.columns = [];
  }

  /**
   * Brings the trellis to these words, reusing the columns of the prefix they share with the last call. `pauses[i]`:
   * seconds between word i's end and the next word's start (missing or NaN where not known, e.g. after a partial's
   * last word).
   */
  update(tokens: readonly string[], pauses: readonly number[] = []): void {
    const pauseAt = (i: number): number => {
      const p = pauses[i];
      return p === undefined || !Number.isFinite(p) ? Number.NaN : Math.max(0, p);
    };
    let common = 0;
    const n = Math.min(tokens.length, this.tokens.length);
    while (common < n && tokens[common] === this.tokens[common] && Object.is(pauseAt(common), this.pauses[common])) common++;
    this.tokens = tokens.slice();
    this.pauses = tokens.map((_t, i) => pauseAt(i));
    this.columns.length = common;
    for (let i = common; i < tokens.length; i++) {
      this.columns.push(this.step(i === 0 ? [this.start] : this.columns[i - 1]!, tokens[i]!, this.pauses[i]!));
    }
  }

  /** log10 ratio the pause after a word adds to each choice there (0 for no mark, and where the pause is unknown). */
  private pauseTerms(pause: number): readonly number[] {
    const cue = this.pauseCue;
    if (!cue || Number.isNaN(pause)) return NO_PAUSE_TERMS;
    let bin = 0;
    // word times are whole model steps (30 ms): a pause of 5 steps is 0.15 s however the subtraction rounds
    while (bin < cue.edges.length && pause >= cue.edges[bin]! - 1e-9) bin++;
    return CHOICES.map((m) => (m === null ? 0 : cue.log10Ratio[m][bin]!));
  }

  private push(ctx: readonly number[], id: number): number[] {
    const next = ctx.length >= this.history ? ctx.slice(ctx.length - this.history + 1) : ctx.slice();
    next.push(id);
    return next;
  }

  private step(previous: readonly Node[], token: string, pause: number): Node[] {
    const lm = this.lm;
    const ids = spokenWords(token).map((w) => lm.wordId(w));
    const pauseTerms = this.pauseTerms(pause);
    const best = new Map<string, Node>();
    for (const from of previous) {
      let score = from.score;
      let ctx = from.ctx;
      for (const id of ids) {
        score += lm.score(ctx, id);
        ctx = this.push(ctx, id);
      }
      for (let c = 0; c < CHOICES.length; c++) {
        const markId = this.markIds[c]!;
        let s = score;
        let next = ctx;
        if (c > 0) {
          s += lm.score(ctx, markId) + this.bonus[c]! + pauseTerms[c]!;
          next = this.push(ctx, markId);
        }
        const key = next.join(',');
        const seen = best.get(key);
        if (!seen || s > seen.score) best.set(key, { score: s, ctx: next, mark: CHOICES[c]!, prev: from });
      }
    }
    return [...best.values()];
  }

  /**
   * The best marks for the words of the last `update`. Final (an utterance's result): the last word takes a
   * sentence mark and the text ends there, unless `open` (the speech goes on past this result): then the last
   * word takes whichever mark, or none, scores best. Otherwise (a partial) the text goes on, and the last word's
   * mark is not known yet: it is null.
   */
  marks(final: boolean, open = false): (Mark | null)[] {
    const last = this.columns[this.columns.length - 1];
    if (!last) return [];
    const ends = final && !open;
    let best: Node | null = null;
    let bestScore = -Infinity;
    for (const node of last) {
      if (ends && !endsSentence(node.mark)) continue;
      const score = ends ? node.score + this.lm.score(node.ctx, this.lm.eos) : node.score;
      if (score > bestScore) [best, bestScore] = [node, score];
    }
    const out: (Mark | null)[] = new Array<Mark | null>(this.columns.length).fill(null);
    for (let i = this.columns.length - 1, node = best; i >= 0 && node; i--, node = node.prev) out[i] = node.mark;
    if (!final) out[out.length - 1] = null;
    return out;
  }
}
