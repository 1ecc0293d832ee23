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
 */
import { prepareCorpusLine } from './corpus.js';

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

const BOS = 0;
const EOS = 1;
const UNK = 2;

/** Fixed-width key: each word id becomes two UTF-16 code units, so slicing a key slices words. */
function code(id: number): string {
  return String.fromCharCode(id >>> 16, id & 0xffff);
}

function decode(key: string, i: number): number {
  return (key.charCodeAt(2 * i) << 16) | key.charCodeAt(2 * i + 1);
}

const BOS_CODE = code(BOS);

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

interface ContextStats {
  total: number;
  keptMass: number;
}

/** log10 of a probability as ARPA writes it (-99 for zero). */
export function formatLog10(p: number): string {
  return p > 0 ? Math.log10(p).toFixed(6) : '-99';
}

/** Builds the model and returns the ARPA text with statistics. */
export function buildArpaWithStats(lines: Iterable<string>, options: BuildOptions = {}): { arpa: string; stats: BuildStats } {
  const order = options.order ?? 3;
  if (!Number.isInteger(order) || order < 1 || order > 9) throw new RangeError(`order must be 1..9, got ${order}`);
  const prepare = options.prepare ?? prepareCorpusLine;
  const pruneAt = (n: number): number => {
    const p = options.prune ?? [];
    if (n < 2 || p.length === 0) return 0;
    return p[Math.min(n - 1, p.length - 1)] ?? 0;
  };

  const vocab = new Map<string, number>([['<s>', BOS], ['</s>', EOS], ['<unk>', UNK]]);
  const words = ['<s>', '</s>', '<unk>'];
  const codes = [code(BOS), code(EOS), code(UNK)];
  // raw[n-1]: n-gram key → raw count.
  const raw: Array<Map<string, number>> = Array.from({ length: order }, () => new Map());
  const heldOut = new Set<string>();
  for (const s of options.exclude ?? []) {
    const ws = prepare(s);
    if (ws && ws.length > 0) heldOut.add(ws.join(' '));
  }
  let sentences = 0;
  let excluded = 0;
  let tokens = 0;
  for (const line of lines) {
    const ws = prepare(line);
    if (!ws || ws.length === 0) continue;
    if (heldOut.size > 0 && heldOut.has(ws.join(' '))) {
      excluded++;
      continue;
    }
    sentences++;
    tokens += ws.length + 1;
    let s = codes[BOS]!;
    for (const w of ws) {
      let id = vocab.get(w);
      if (id === undefined) {
        id = words.length;
        vocab.set(w, id);
        words.push(w);
        codes.push(code(id));
      }
      s += codes[id]!;
    }
    s += codes[EOS]!;
    const len = s.length / 2;
    for (let i = 1; i < len; i++) {
      for (let n = 1; n <= order && i - n + 1 >= 0; n++) {
        const key = s.slice(2 * (i - n + 1), 2 * (i + 1));
        const m = raw[n - 1]!;
        m.set(key, (m.get(key) ?? 0) + 1);
      }
    }
  }

  // Adjusted counts: continuation counts for lower orders (except <s>-initial n-grams).
  const adj: Array<Map<string, number>> = new Array(order);
  adj[order - 1] = raw[order - 1]!;
  for (let n = order - 1; n >= 1; n--) {
    const a = new Map<string, number>();
    for (const key of raw[n - 1]!.keys()) a.set(key, 0);
    for (const key of raw[n]!.keys()) {
      const suffix = key.slice(2);
      if (!suffix.startsWith(BOS_CODE)) a.set(suffix, (a.get(suffix) ?? 0) + 1);
    }
    for (const [key, c] of raw[n - 1]!) if (key.startsWith(BOS_CODE)) a.set(key, c);
    adj[n - 1] = a;
  }
  const discounts = adj.map((m) => discountsFor(m.values()));

  // Pruning, top order down, protecting prefixes/suffixes of everything kept above.
  const kept: Array<Set<string> | null> = new Array(order).fill(null);
  let protect = new Set<string>();
  for (let n = order; n >= 2; n--) {
    const thr = pruneAt(n);
    const keep = new Set<string>();
    for (const [key, c] of adj[n - 1]!) if (c > thr || protect.has(key)) keep.add(key);
    kept[n - 1] = keep;
    const next = new Set<string>();
    for (const key of keep) {
      next.add(key.slice(0, -2));
      next.add(key.slice(2));
    }
    protect = next;
  }
  const isKept = (n: number, key: string): boolean => kept[n - 1]?.has(key) ?? adj[n - 1]!.has(key);

  // Probabilities order by order; γ of order-n contexts become back-offs of order n-1.
  const prob: Array<Map<string, number>> = [];
  const gamma: Array<Map<string, number>> = [];
  const vocabForUniform = words.length - 1; // everything but <s>
  {
    const d = discounts[0]!;
    let total = 0;
    let kept1 = 0;
    for (const c of adj[0]!.values()) {
      total += c;
      kept1 += c - discount(d, c);
    }
    const g = (total - kept1) / total;
    const p1 = new Map<string, number>();
    for (let id = 1; id < words.length; id++) {
      const c = adj[0]!.get(codes[id]!) ?? 0;
      p1.set(codes[id]!, (c - discount(d, c)) / total + g / vocabForUniform);
    }
    prob.push(p1);
    gamma.push(new Map([['', g]]));
  }
  for (let n = 2; n <= order; n++) {
    const d = discounts[n - 1]!;
    const stats = new Map<string, ContextStats>();
    for (const [key, c] of adj[n - 1]!) {
      const ctx = key.slice(0, -2);
      let st = stats.get(ctx);
      if (!st) {
        st = { total: 0, keptMass: 0 };
        stats.set(ctx, st);
      }
      st.total += c;
      if (isKept(n, key)) st.keptMass += c - discount(d, c);
    }
    const g = new Map<string, number>();
    for (const [ctx, st] of stats) g.set(ctx, (st.total - st.keptMass) / st.total);
    const lower = prob[n - 2]!;
    const pn = new Map<string, number>();
    for (const [key, c] of adj[n - 1]!) {
      if (!isKept(n, key)) continue;
      const ctx = key.slice(0, -2);
      const st = stats.get(ctx)!;
      const pl = lower.get(key.slice(2));
      if (pl === undefined) throw new Error('internal: missing lower-order n-gram');
      pn.set(key, (c - discount(d, c)) / st.total + g.get(ctx)! * pl);
    }
    prob.push(pn);
    gamma.push(g);
  }

  // Emit ARPA.
  const keyWords = (key: string): string => {
    const n = key.length / 2;
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = words[decode(key, i)]!;
    return out.join(' ');
  };
  const counts = prob.map((m, i) => m.size + (i === 0 ? 1 : 0)); // + <s> unigram
  const out: string[] = ['', '\\data\\'];
  counts.forEach((c, i) => out.push(`ngram ${i + 1}=${c}`));
  for (let n = 1; n <= order; n++) {
    out.push('', `\\${n}-grams:`);
    const bo = n < order ? gamma[n]! : null;
    if (n === 1) {
      const b = bo?.get(BOS_CODE);
      out.push(b !== undefined && b !== 1 ? `-99\t<s>\t${formatLog10(b)}` : '-99\t<s>');
    }
    for (const [key, p] of prob[n - 1]!) {
      const b = bo?.get(key);
      out.push(b !== undefined && b !== 1 ? `${formatLog10(p)}\t${keyWords(key)}\t${formatLog10(b)}` : `${formatLog10(p)}\t${keyWords(key)}`);
    }
  }
  out.push('', '\\end\\', '');
  return {
    arpa: out.join('\n'),
    stats: { sentences, excluded, tokens, vocabulary: words.length, counts, discounts },
  };
}

/** Builds an interpolated modified Kneser-Ney ARPA model from text lines. */
export function buildArpa(lines: Iterable<string>, options: BuildOptions = {}): string {
  return buildArpaWithStats(lines, options).arpa;
}
