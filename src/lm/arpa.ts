/**
 * Streaming ARPA loader. Lines are consumed one at a time (from a string or from fixed-size file
 * chunks), never split into one giant array, and n-grams go straight into preallocated typed
 * arrays sized from the \data\ counts, so a few million n-grams load in seconds. Files may be
 * gzip-compressed (recognised by their magic bytes, whatever the name): ARPA text shrinks about 3×.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LmFormatError } from './errors.js';
import { NgramLM, type NgramTable } from './ngram-lm.js';
import { PairHash } from './pair-hash.js';

/** ARPA files sometimes write -inf (or -99) for impossible events; clamp to this finite floor. */
const NEG_INF_LOG10 = -99;

type Phase = 'start' | 'data' | 'ngrams' | 'end';

interface MutableTable {
  ctx: Int32Array;
  word: Int32Array;
  prob: Float32Array;
  backoff: Float32Array | null;
  index: PairHash | null;
  filled: number;
}

export interface ArpaLoadStats {
  /** N-grams whose (n-1)-word prefix was not listed: unreachable under back-off, so dropped. */
  droppedNgrams: number;
}

/** Incremental ARPA parser: feed lines with `line()`, then call `finish()`. */
export class ArpaParser {
  private phase: Phase = 'start';
  private lineNo = 0;
  private declared: number[] = [];
  private tables: MutableTable[] = [];
  private current = 0; // order of the section being read
  private readonly vocab = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly ids = new Int32Array(64);
  readonly stats: ArpaLoadStats = { droppedNgrams: 0 };

  line(raw: string): void {
    this.lineNo++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const t = text.trim();
    switch (this.phase) {
      case 'start':
        if (t === '') return;
        if (t.startsWith('HKNGRAM')) throw new LmFormatError('this is a binary LM file, not ARPA text: load it with loadLanguageModelFile', this.lineNo);
        if (t !== '\\data\\') throw new LmFormatError(`expected "\\data\\" header, found "${clip(t)}"`, this.lineNo);
        this.phase = 'data';
        return;
      case 'data':
        if (t === '') return;
        if (t.startsWith('ngram ')) return this.declareCount(t);
        if (t.startsWith('\\')) return this.openSection(t);
        throw new LmFormatError(`expected "ngram N=count" in \\data\\, found "${clip(t)}"`, this.lineNo);
      case 'ngrams':
        if (t === '') return;
        if (t.startsWith('\\')) return this.openSection(t);
        return this.ngram(t);
      case 'end':
        if (t !== '') throw new LmFormatError(`text after \\end\\: "${clip(t)}"`, this.lineNo);
    }
  }

  private declareCount(t: string): void {
    const m = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(t);
    if (!m) throw new LmFormatError(`bad count line "${clip(t)}"`, this.lineNo);
    const n = Number(m[1]);
    const count = Number(m[2]);
    if (n !== this.declared.length + 1) throw new LmFormatError(`expected ngram ${this.declared.length + 1}=..., found order ${n}`, this.lineNo);
    if (n > 64) throw new LmFormatError(`order ${n} is too high`, this.lineNo);
    this.declared.push(count);
  }

  private openSection(t: string): void {
    this.closeSection();
    if (t === '\\end\\') {
      if (this.declared.length === 0) throw new LmFormatError('\\data\\ declares no n-gram counts', this.lineNo);
      if (this.current !== this.declared.length) {
        throw new LmFormatError(`\\end\\ after ${this.current}-grams, but \\data\\ declares ${this.declared.length} orders`, this.lineNo);
      }
      this.phase = 'end';
      return;
    }
    const m = /^\\(\d+)-grams:$/.exec(t);
    if (!m) throw new LmFormatError(`unknown section "${clip(t)}"`, this.lineNo);
    const n = Number(m[1]);
    if (this.declared.length === 0) throw new LmFormatError('\\data\\ declares no n-gram counts', this.lineNo);
    if (n !== this.current + 1 || n > this.declared.length) {
      throw new LmFormatError(`unexpected section \\${n}-grams: (expected \\${this.current + 1}-grams:)`, this.lineNo);
    }
    const count = this.declared[n - 1]!;
    const highest = n === this.declared.length;
    this.tables.push({
      ctx: new Int32Array(count),
      word: new Int32Array(count),
      prob: new Float32Array(count),
      backoff: highest ? null : new Float32Array(count),
      index: n === 1 ? null : new PairHash(count),
      filled: 0,
    });
    this.current = n;
    this.phase = 'ngrams';
  }

  /** Checks the section just read against its declared count. */
  private closeSection(): void {
    if (this.current === 0) return;
    const t = this.tables[this.current - 1]!;
    const seen = t.filled;
    if (seen !== this.declared[this.current - 1]) {
      throw new LmFormatError(
        `\\${this.current}-grams: has ${seen} entries, \\data\\ declares ${this.declared[this.current - 1]}`,
        this.lineNo,
      );
    }
  }

  private ngram(t: string): void {
    const n = this.current;
    const table = this.tables[n - 1]!;
    const fields = t.split(/\s+/);
    const hasBackoff = fields.length === n + 2;
    if (fields.length !== n + 1 && !hasBackoff) {
      throw new LmFormatError(`expected ${n} word(s) after the probability, found ${fields.length - 1} field(s)`, this.lineNo);
    }
    if (hasBackoff && table.backoff === null) {
      throw new LmFormatError(`back-off weight on a highest-order (${n}-gram) entry`, this.lineNo);
    }
    if (table.filled >= table.word.length) {
      throw new LmFormatError(`more ${n}-grams than the ${table.word.length} declared`, this.lineNo);
    }
    const prob = this.number(fields[0]!);
    const backoff = hasBackoff ? this.number(fields[n + 1]!) : 0;
    if (n === 1) {
      const w = fields[1]!;
      if (this.vocab.has(w)) throw new LmFormatError(`duplicate unigram "${clip(w)}"`, this.lineNo);
      const id = this.words.length;
      this.vocab.set(w, id);
      this.words.push(w);
      table.ctx[id] = 0;
      table.word[id] = id;
      table.prob[id] = prob;
      if (table.backoff) table.backoff[id] = backoff;
      table.filled++;
      return;
    }
    const ids = this.ids;
    for (let k = 0; k < n; k++) {
      const id = this.vocab.get(fields[k + 1]!);
      if (id === undefined) throw new LmFormatError(`word "${clip(fields[k + 1]!)}" is not in \\1-grams:`, this.lineNo);
      ids[k] = id;
    }
    // Prefix entry index: walk the lower-order hashes.
    let ctx = ids[0]!;
    for (let k = 1; k < n - 1 && ctx >= 0; k++) ctx = this.tables[k]!.index!.get(ctx, ids[k]!);
    const e = table.filled++;
    if (ctx < 0) {
      // Keep the declared count check meaningful, but the entry itself is unreachable.
      this.stats.droppedNgrams++;
      table.ctx[e] = -1;
      table.word[e] = ids[n - 1]!;
      table.prob[e] = prob;
      return;
    }
    table.ctx[e] = ctx;
    table.word[e] = ids[n - 1]!;
    table.prob[e] = prob;
    if (table.backoff) table.backoff[e] = backoff;
    table.index!.set(ctx, ids[n - 1]!, e);
  }

  private number(field: string): number {
    const v = Number(field);
    if (Number.isFinite(v)) return Math.max(v, NEG_INF_LOG10);
    if (field === '-inf' || field === '-Infinity' || v === -Infinity) return NEG_INF_LOG10;
    throw new LmFormatError(`bad number "${clip(field)}"`, this.lineNo);
  }

  finish(): NgramLM {
    if (this.phase === 'start') throw new LmFormatError('missing \\data\\ header (empty input)', this.lineNo);
    if (this.phase !== 'end') throw new LmFormatError('truncated file: no \\end\\ marker', this.lineNo);
    const tables: NgramTable[] = this.tables.map((t) => ({
      ctx: t.ctx,
      word: t.word,
      prob: t.prob,
      backoff: t.backoff,
      index: t.index,
    }));
    return new NgramLM(this.vocab, this.words, tables);
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Parses ARPA text held in memory: one string, or pieces (`writeArpa`'s chunks, for models larger than one JS
 * string can hold) whose lines may run from one piece into the next.
 */
export function parseArpa(text: string | readonly string[]): NgramLM {
  const p = new ArpaParser();
  let carry = '';
  for (const piece of typeof text === 'string' ? [text] : text) {
    let start = 0;
    for (;;) {
      const nl = piece.indexOf('\n', start);
      if (nl < 0) break;
      p.line(carry + piece.slice(start, nl));
      carry = '';
      start = nl + 1;
    }
    carry += piece.slice(start);
  }
  if (carry.length > 0) p.line(carry);
  return p.finish();
}

const CHUNK = 4 << 20;

/** The file's bytes in chunks of up to 4 MiB, decompressed when it is gzip. */
function* fileChunks(path: string): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let got = readSync(fd, buf, 0, buf.length, null);
    if (got >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
      // A compressed LM is a few MB; inflating it at once costs one transient copy of its text.
      const parts: Buffer[] = [];
      while (got > 0) {
        parts.push(buf.subarray(0, got));
        buf = Buffer.allocUnsafe(CHUNK);
        got = readSync(fd, buf, 0, buf.length, null);
      }
      let text: Buffer;
      try {
        text = gunzipSync(Buffer.concat(parts));
      } catch (e) {
        throw new LmFormatError(`${path}: gzip data is truncated or corrupt (${e instanceof Error ? e.message : String(e)})`, 0);
      }
      for (let at = 0; at < text.length; at += CHUNK) yield text.subarray(at, at + CHUNK);
      return;
    }
    while (got > 0) {
      yield buf.subarray(0, got);
      got = readSync(fd, buf, 0, buf.length, null);
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads an ARPA file (plain or gzip) chunk by chunk. */
export function loadArpaFile(path: string): NgramLM {
  const p = new ArpaParser();
  const dec = new StringDecoder('utf8');
  let carry = '';
  for (const bytes of fileChunks(path)) {
    const chunk = carry + dec.write(bytes);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      p.line(chunk.slice(start, nl));
      start = nl + 1;
    }
    carry = chunk.slice(start);
  }
  carry += dec.end();
  if (carry.length > 0) p.line(carry);
  const lm = p.finish();
  lm.sourcePath = resolvePath(path);
  return lm;
}

/**
 * ARPA text as the bytes of a file named `path`: gzip-compressed when the name ends in .gz. Text in pieces
 * (`writeArpa`'s chunks) is for models larger than one JS string can hold.
 */
export function arpaFileBytes(path: string, arpa: string | readonly string[]): Buffer {
  const bytes = typeof arpa === 'string' ? Buffer.from(arpa, 'utf8') : Buffer.concat(arpa.map((t) => Buffer.from(t, 'utf8')));
  return path.endsWith('.gz') ? gzipSync(bytes, { level: 9 }) : bytes;
}

/**
 * Loads an ARPA model from a file path or from ARPA text. Text is recognised by its `\data\`
 * header (or any newline); anything else is taken as a path.
 */
export function loadArpa(source: string): NgramLM {
  if (source.includes('\n') || source.trimStart().startsWith('\\data\\')) return parseArpa(source);
  return loadArpaFile(source);
}
