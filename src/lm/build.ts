/**
 * ARPA builder: interpolated modified Kneser-Ney (Chen & Goodman 1998), as KenLM's lmplz does it.
 *
 * - Counts: the highest order uses raw counts; lower orders use continuation counts (number of
 *   distinct left extensions), except n-grams starting with <s>, which keep raw counts because
 *   nothing can precede <s>.
 * - Discounts D1, D2, D3+ per order from that order's count-of-counts n1..n4:
 *   Y = n1 / (n1 + 2 n2), Dk = k - (k+1) Y n(k+1) / nk.
 * - p(w|h) = (c(hw) - D(c)) / c(h·) + γ(h) p(w|h'), γ(h) = mass not kept by explicit n-grams
 *   / c(h·); the unigram distribution is interpolated with the uniform one over the vocabulary.
 * - Pruning drops order ≥ 2 n-grams with count ≤ threshold; their mass goes to γ(h), so every
 *   context still sums to one. Prefixes and suffixes of kept n-grams are never pruned (the ARPA
 *   back-off structure needs them).
 * The written back-off of an n-gram h is γ(h), which makes ARPA back-off queries reproduce the
 * interpolated distribution exactly.
 *
 * Counting is compact (`ngram-counts.ts`: word ids and typed arrays, no string per n-gram), so the builder takes
 * corpora of tens of millions of words. N-grams are written, and every sum is accumulated, in the order they
 * first occur in the text, so the output does not depend on how the counts are stored.
 */
import { prepareCorpusLine } from './corpus.js';
import { BOS, TokenCorpus, countNgrams, firstSeenOrder, prefixIndex, suffixIndex, type NgramList } from './ngram-counts.js';

export interface BuildOptions {
  /** N-gram order (default 3). */
  order?: number;
  /**
   * Count thresholds per order (index 0 = unigrams, never pruned); an n-gram of order ≥ 2 whose
   * count is ≤ its threshold is dropped. Missing trailing entries repeat the last one, as in
   * KenLM's --prune. Default: no pruning.
   */
  prune?: readonly number[];
  /**
   * Line preparation (default: `prepareCorpusLine`, which normalises text and skips lines with
   * `<unk>`). Return null to skip a line.
   */
  prepare?: (line: string) => string[] | null;
  /**
   * Sentences to hold out: a line whose prepared words equal one of these (prepared the same way) is skipped. Dev
   * sets whose text came from the corpus stay unseen by the LM, so tuning the decoder on them does not reward an
   * LM that remembers them.
   */
  exclude?: Iterable<string>;
}

export interface BuildStats {
  sentences: number;
  /** Lines skipped because they are held-out sentences (`exclude`). */
  excluded: number;
  tokens: number;
  vocabulary: number;
  /** Written n-grams per order (index 0 = unigrams). */
  counts: number[];
  /** [D1, D2, D3+] per order (index 0 = unigrams). */
  discounts: Array<[number, number, number]>;
}

function discountsFor(counts: Iterable<number>): [number, number, number] {
  const nk = [0, 0, 0, 0, 0];
  for (const c of counts) if (c <= 4) nk[c]!++;
  const [, n1, n2, n3, n4] = nk as [number, number, number, number, number];
  const y = n1 / (n1 + 2 * n2);
  const d: [number, number, number] = [1 - 2 * y * (n2 / n1), 2 - 3 * y * (n3 / n2), 3 - 4 * y * (n4 / n3)];
  // Tiny corpora leave some count-of-counts at zero; fall back to a fixed, valid discount then.
  const fallback = [0.5, 1.0, 1.5];
  for (let k = 0; k < 3; k++) {
    if (!Number.isFinite(d[k]!) || d[k]! <= 0 || d[k]! >= k + 1) d[k] = fallback[k]!;
  }
  return d;
}

function discount(d: readonly [number, number, number], c: number): number {
  return c >= 3 ? d[2] : c === 2 ? d[1] : c === 1 ? d[0] : 0;
}

/** log10 of a probability as ARPA writes it (-99 for zero). */
export function formatLog10(p: number): string {
  return p > 0 ? Math.log10(p).toFixed(6) : '-99';
}

/** Text sink for the ARPA writer: receives the file in pieces of about a megabyte. */
export type ArpaSink = (text: string) => void;

const CHUNK_CHARS = 1 << 20;

/** N-gram counts of a corpus up to some order, from which models of that order or lower can be estimated. */
export interface CorpusCounts {
  readonly order: number;
  readonly sentences: number;
  /** Lines skipped because they are held-out sentences (`exclude`). */
  readonly excluded: number;
  readonly tokens: number;
  readonly words: readonly string[];
  /** The corpus as word ids (`TokenCorpus`). */
  readonly tok: Int32Array;
  /** Raw unigram counts by word id. */
  readonly uniRaw: Uint32Array;
  /** Word ids in the order their unigrams were first counted (</s> after the first sentence's words). */
  readonly uniSeen: readonly number[];
  /** lists[n] for n ≥ 2; suffix[n] / prefix[n]: index of each n-gram's suffix / context in order n-1. */
  readonly lists: ReadonlyArray<NgramList | null>;
  readonly suffix: readonly Uint32Array[];
  readonly prefix: readonly Uint32Array[];
}

function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 1 || order > 9) throw new RangeError(`order must be 1..9, got ${order}`);
}

/** Counts the n-grams of `lines` up to `options.order` (prepared and held out as `BuildOptions` say). */
export function countCorpus(lines: Iterable<string>, options: Omit<BuildOptions, 'prune'> = {}): CorpusCounts {
  const order = options.order ?? 3;
  checkOrder(order);
  const prepare = options.prepare ?? prepareCorpusLine;
  const heldOut = new Set<string>();
  for (const s of options.exclude ?? []) {
    const ws = prepare(s);
    if (ws && ws.length > 0) heldOut.add(ws.join(' '));
  }
  const corpus = new TokenCorpus();
  let excluded = 0;
  let tokens = 0;
  for (const line of lines) {
    const ws = prepare(line);
    if (!ws || ws.length === 0) continue;
    if (heldOut.size > 0 && heldOut.has(ws.join(' '))) {
      excluded++;
      continue;
    }
    tokens += ws.length + 1;
    corpus.add(ws);
  }
  const tok = corpus.tokens;
  const V = corpus.words.length;
  const uniRaw = new Uint32Array(V);
  const uniSeen: number[] = [];
  for (let i = 0; i < tok.length; i++) {
    const w = tok[i]!;
    if (w === BOS) continue;
    if (uniRaw[w]++ === 0) uniSeen.push(w);
  }
  const lists: Array<NgramList | null> = [null, null];
  const suffix: Uint32Array[] = [];
  const prefix: Uint32Array[] = [];
  for (let n = 2; n <= order; n++) {
    const list = countNgrams(tok, n, V);
    lists.push(list);
    suffix[n] = suffixIndex(tok, list, lists[n - 1]!);
    prefix[n] = prefixIndex(tok, list, lists[n - 1]!);
  }
  return { order, sentences: corpus.sentences, excluded, tokens, words: corpus.words, tok, uniRaw, uniSeen, lists, suffix, prefix };
}

/** Builds the model and streams its ARPA text to `sink` (for models whose text exceeds a JS string). */
export function writeArpa(lines: Iterable<string>, sink: ArpaSink, options: BuildOptions = {}): BuildStats {
  return writeArpaFromCounts(countCorpus(lines, options), sink, options);
}

/**
 * Estimates a model of `options.order` (default: the counts' order; at most that) from counts and streams its
 * ARPA text to `sink`. One count serves many orders and prunings.
 */
export function writeArpaFromCounts(counted: CorpusCounts, sink: ArpaSink, options: Pick<BuildOptions, 'order' | 'prune'> = {}): BuildStats {
  const order = options.order ?? counted.order;
  checkOrder(order);
  if (order > counted.order) throw new RangeError(`order ${order} is above the counted order ${counted.order}`);
  const pruneAt = (n: number): number => {
    const p = options.prune ?? [];
    if (n < 2 || p.length === 0) return 0;
    return p[Math.min(n - 1, p.length - 1)] ?? 0;
  };
  const { tok, words, uniRaw, uniSeen, lists, suffix, prefix } = counted;
  const V = words.length;
  const size = (n: number): number => (n === 1 ? V : lists[n]!.pos.length);
  const startsWithBos = (n: number, j: number): boolean => n > 1 && tok[lists[n]!.pos[j]! - n + 1] === BOS;

  // Adjusted counts: continuation counts for lower orders (except <s>-initial n-grams, which keep raw counts).
  const adj: Uint32Array[] = [];
  adj[order] = order === 1 ? uniRaw : lists[order]!.count;
  for (let n = order - 1; n >= 1; n--) {
    const a = new Uint32Array(size(n));
    const up = lists[n + 1]!;
    for (let j = 0; j < up.pos.length; j++) if (tok[up.pos[j]! - n + 1] !== BOS) a[suffix[n + 1]![j]!]!++;
    if (n > 1) for (let k = 0; k < a.length; k++) if (startsWithBos(n, k)) a[k] = lists[n]!.count[k]!;
    adj[n] = a;
  }
  adj[1]![BOS] = 0;
  const discounts: Array<[number, number, number]> = [];
  for (let n = 1; n <= order; n++) discounts.push(discountsFor(adj[n]!));

  // Pruning, top order down, protecting prefixes/suffixes of everything kept above.
  const kept: Uint8Array[] = [];
  const protect: Uint8Array[] = [];
  for (let n = order; n >= 2; n--) {
    const thr = pruneAt(n);
    const a = adj[n]!;
    const keep = new Uint8Array(a.length);
    const prot = protect[n];
    if (n > 2) protect[n - 1] = new Uint8Array(size(n - 1));
    for (let j = 0; j < a.length; j++) {
      if (!(a[j]! > thr || (prot !== undefined && prot[j] === 1))) continue;
      keep[j] = 1;
      if (n > 2) {
        protect[n - 1]![prefix[n]![j]!] = 1;
        protect[n - 1]![suffix[n]![j]!] = 1;
      }
    }
    kept[n] = keep;
    delete protect[n];
  }

  // Probabilities order by order; γ of order-n contexts (NaN: no extensions) become back-offs of order n-1.
  const prob: Float64Array[] = [];
  const gamma: Float64Array[] = [];
  const seen: Uint32Array[] = [];
  {
    const d = discounts[0]!;
    let total = 0;
    let kept1 = 0;
    for (const w of uniSeen) {
      const c = adj[1]![w]!;
      total += c;
      kept1 += c - discount(d, c);
    }
    const g = (total - kept1) / total;
    const vocabForUniform = V - 1; // everything but <s>
    const p1 = new Float64Array(V);
    for (let id = 1; id < V; id++) {
      const c = adj[1]![id]!;
      p1[id] = (c - discount(d, c)) / total + g / vocabForUniform;
    }
    prob[1] = p1;
  }
  for (let n = 2; n <= order; n++) {
    const d = discounts[n - 1]!;
    const a = adj[n]!;
    const keep = kept[n]!;
    const ctxOf = prefix[n]!;
    const order_ = firstSeenOrder(lists[n]!.pos);
    seen[n] = order_;
    const total = new Float64Array(size(n - 1));
    const keptMass = new Float64Array(size(n - 1));
    for (const j of order_) {
      const c = a[j]!;
      const ctx = ctxOf[j]!;
      total[ctx] += c;
      if (keep[j] === 1) keptMass[ctx] += c - discount(d, c);
    }
    const g = new Float64Array(total.length).fill(NaN);
    for (let k = 0; k < g.length; k++) if (total[k]! > 0) g[k] = (total[k]! - keptMass[k]!) / total[k]!;
    const lower = prob[n - 1]!;
    const pn = new Float64Array(a.length);
    for (let j = 0; j < a.length; j++) {
      if (keep[j] !== 1) continue;
      const ctx = ctxOf[j]!;
      const c = a[j]!;
      pn[j] = (c - discount(d, c)) / total[ctx]! + g[ctx]! * lower[suffix[n]![j]!]!;
    }
    prob[n] = pn;
    gamma[n] = g;
  }

  // Emit ARPA, n-grams in first-seen order.
  const counts: number[] = [V];
  for (let n = 2; n <= order; n++) counts.push(kept[n]!.reduce((s, k) => s + k, 0));
  let buffer: string[] = [];
  let buffered = 0;
  const emit = (line: string): void => {
    buffer.push(line);
    buffered += line.length + 1;
    if (buffered >= CHUNK_CHARS) {
      sink(buffer.join('\n') + '\n');
      buffer = [];
      buffered = 0;
    }
  };
  const backoff = (n: number, j: number): string => {
    const b = n < order ? gamma[n + 1]![j]! : NaN;
    return Number.isNaN(b) || b === 1 ? '' : `\t${formatLog10(b)}`;
  };
  emit('');
  emit('\\data\\');
  counts.forEach((c, i) => emit(`ngram ${i + 1}=${c}`));
  emit('');
  emit('\\1-grams:');
  emit(`-99\t<s>${backoff(1, BOS)}`);
  for (let id = 1; id < V; id++) emit(`${formatLog10(prob[1]![id]!)}\t${words[id]}${backoff(1, id)}`);
  for (let n = 2; n <= order; n++) {
    emit('');
    emit(`\\${n}-grams:`);
    const { pos } = lists[n]!;
    for (const j of seen[n]!) {
      if (kept[n]![j] !== 1) continue;
      const p = pos[j]!;
      let text = words[tok[p - n + 1]!]!;
      for (let k = n - 2; k >= 0; k--) text += ` ${words[tok[p - k]!]}`;
      emit(`${formatLog10(prob[n]![j]!)}\t${text}${backoff(n, j)}`);
    }
  }
  emit('');
  emit('\\end\\');
  if (buffer.length > 0) sink(buffer.join('\n') + '\n');
  return { sentences: counted.sentences, excluded: counted.excluded, tokens: counted.tokens, vocabulary: V, counts, discounts };
}

/** Builds the model and returns the ARPA text with statistics. */
export function buildArpaWithStats(lines: Iterable<string>, options: BuildOptions = {}): { arpa: string; stats: BuildStats } {
  const parts: string[] = [];
  const stats = writeArpa(lines, (t) => parts.push(t), options);
  return { arpa: parts.join(''), stats };
}

/** Builds an interpolated modified Kneser-Ney ARPA model from text lines. */
export function buildArpa(lines: Iterable<string>, options: BuildOptions = {}): string {
  return buildArpaWithStats(lines, options).arpa;
}
