/**
 * Hearken's binary n-gram format: the same back-off model as an ARPA file, in a fraction of the bytes, loaded in a
 * fraction of the time and memory.
 *
 * Layout: the 8 magic bytes `HKNGRAM\n`, a uint32 LE format version, then one gzip member holding
 *   u8 order, u8 bits (quantisation of orders ≥ 2: 8, 16 or 32 = exact float32),
 *   u32 V, u32 byte length, the V words as UTF-8 joined by "\n",
 *   unigrams: V float32 log10 probabilities, then (order > 1) V float32 back-offs — always exact,
 *   per order n ≥ 2: u32 count; the entries sorted by (context entry, word), each as a varint context delta and a
 *   varint word (the gap to the previous word minus one within a context, else the word id); then the
 *   probabilities and (n < order) the back-offs, each as u32 K, K float32 codebook values and one code per entry
 *   (u8 when K ≤ 256, else u16), or K = 0 and raw float32.
 *
 * Quantisation puts the values in 2^bits bins of equal counts, each read back as its bin's mean, as KenLM's
 * `-q 8 -b 8` does; a table with no more distinct values than bins is stored exactly (as a codebook, or as float32
 * when that is smaller). Unigrams stay exact. N-grams
 * whose prefix is not listed (unreachable under back-off) are left out.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { ContextRanges } from './context-ranges.js';
import { LmBinaryError } from './errors.js';
import { NgramLM, type NgramTable } from './ngram-lm.js';

export const BINARY_LM_MAGIC = 'HKNGRAM\n';
export const BINARY_LM_VERSION = 1;
const HEADER_BYTES = 12;
const MAX_ORDER = 16;

export type BinaryLmBits = 8 | 16 | 32;

export interface BinaryLmOptions {
  /** Bits per probability and back-off of orders ≥ 2 (default 16); 32 stores them exactly. */
  bits?: BinaryLmBits;
}

/** True when the bytes start like a binary LM file (only the magic is checked). */
export function isBinaryLm(head: Uint8Array): boolean {
  if (head.length < BINARY_LM_MAGIC.length) return false;
  for (let i = 0; i < BINARY_LM_MAGIC.length; i++) if (head[i] !== BINARY_LM_MAGIC.charCodeAt(i)) return false;
  return true;
}

class ByteWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.at++] = v;
  }

  u16(v: number): void {
    this.room(2);
    this.buf.writeUInt16LE(v, this.at);
    this.at += 2;
  }

  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32LE(v, this.at);
    this.at += 4;
  }

  f32(v: number): void {
    this.room(4);
    this.buf.writeFloatLE(v, this.at);
    this.at += 4;
  }

  varint(v: number): void {
    this.room(5);
    while (v >= 0x80) {
      this.buf[this.at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.at++] = v;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

class ByteReader {
  private at = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number, what: string): void {
    if (this.at + n > this.buf.length) throw new LmBinaryError(`truncated data: ${what} runs past the end`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.at++]!;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  /** n float32s, each finite (a log10 probability or back-off is never NaN or infinite). */
  f32s(n: number, what: string): Float32Array {
    this.need(4 * n, what);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = this.view.getFloat32(this.at + 4 * i, true);
      if (!Number.isFinite(v)) throw new LmBinaryError(`corrupt data: ${what} holds ${v}`);
      out[i] = v;
    }
    this.at += 4 * n;
    return out;
  }

  codes(n: number, wide: boolean, what: string): Uint8Array | Uint16Array {
    const width = wide ? 2 : 1;
    this.need(width * n, what);
    if (!wide) {
      const out = this.buf.slice(this.at, this.at + n);
      this.at += n;
      return out;
    }
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) out[i] = this.view.getUint16(this.at + 2 * i, true);
    this.at += 2 * n;
    return out;
  }

  varint(what: string): number {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.buf.length) throw new LmBinaryError(`truncated data: ${what} runs past the end`);
      const b = this.buf[this.at++]!;
      if (shift === 28 && b > 0x07) throw new LmBinaryError(`corrupt data: ${what} is out of range`);
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  }

  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  get left(): number {
    return this.buf.length - this.at;
  }
}

/** Codebook of at most 2^bits values and one code per value (equal-count bins, each read back as its mean). */
function quantise(values: Float32Array, bits: 8 | 16): { codebook: Float32Array; codes: Uint8Array | Uint16Array; exact: boolean } {
  const bins = 2 ** bits;
  const sorted = Float32Array.from(values).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  let codebook: Float32Array;
  let upper: Float32Array; // upper[b] = the largest value bin b holds
  if (distinct.length <= bins) {
    codebook = Float32Array.from(distinct);
    upper = codebook;
  } else {
    codebook = new Float32Array(bins);
    upper = new Float32Array(bins);
    const n = sorted.length;
    for (let b = 0; b < bins; b++) {
      const from = Math.floor((b * n) / bins);
      const to = Math.floor(((b + 1) * n) / bins);
      let sum = 0;
      for (let i = from; i < to; i++) sum += sorted[i]!;
      codebook[b] = sum / (to - from);
      upper[b] = sorted[to - 1]!;
    }
  }
  const codes = codebook.length <= 256 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = upper.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (upper[mid]! >= v) hi = mid;
      else lo = mid + 1;
    }
    codes[i] = lo;
  }
  return { codebook, codes, exact: distinct.length <= bins };
}

function writeValues(out: ByteWriter, values: Float32Array, bits: BinaryLmBits): void {
  if (bits === 32) {
    out.u32(0);
    for (let i = 0; i < values.length; i++) out.f32(values[i]!);
    return;
  }
  const { codebook, codes, exact } = quantise(values, bits);
  // A small table's exact codebook can cost more than the values themselves: then store those.
  if (exact && 4 * codebook.length + codes.BYTES_PER_ELEMENT * codes.length >= 4 * values.length) return writeValues(out, values, 32);
  out.u32(codebook.length);
  for (let i = 0; i < codebook.length; i++) out.f32(codebook[i]!);
  const wide = codebook.length > 256;
  for (let i = 0; i < codes.length; i++) (wide ? out.u16(codes[i]!) : out.u8(codes[i]!));
}

function readValues(inp: ByteReader, n: number, what: string): Float32Array {
  const k = inp.u32(`${what} codebook size`);
  if (k === 0) return inp.f32s(n, what);
  if (k > 65536) throw new LmBinaryError(`corrupt data: ${what} codebook of ${k} values`);
  const codebook = inp.f32s(k, `${what} codebook`);
  const codes = inp.codes(n, k > 256, `${what} codes`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c >= k) throw new LmBinaryError(`corrupt data: ${what} code ${c} is not in its codebook of ${k}`);
    out[i] = codebook[c]!;
  }
  return out;
}

/** The model as binary LM file bytes. */
export function binaryLmBytes(lm: NgramLM, options: BinaryLmOptions = {}): Buffer {
  const bits = options.bits ?? 16;
  if (bits !== 8 && bits !== 16 && bits !== 32) throw new RangeError(`bits must be 8, 16 or 32, got ${String(bits)}`);
  if (lm.order > MAX_ORDER) throw new RangeError(`order ${lm.order} is above ${MAX_ORDER}`);
  const out = new ByteWriter();
  out.u8(lm.order);
  out.u8(bits);
  const vocab = Buffer.from(lm.words.join('\n'), 'utf8');
  out.u32(lm.words.length);
  out.u32(vocab.length);
  out.bytes(vocab);
  const uni = lm.table(1);
  for (let i = 0; i < uni.prob.length; i++) out.f32(uni.prob[i]!);
  if (lm.order > 1) for (let i = 0; i < uni.prob.length; i++) out.f32(uni.backoff![i]!);

  // newIndex[e] = the entry's index in the file's order (-1: left out); unigrams keep their word ids.
  let newIndex: Int32Array | null = null;
  for (let n = 2; n <= lm.order; n++) {
    const t = lm.table(n);
    const parent = (e: number): number => (e < 0 ? -1 : newIndex ? newIndex[e]! : e);
    const kept: number[] = [];
    for (let e = 0; e < t.word.length; e++) if (parent(t.ctx[e]!) >= 0) kept.push(e);
    const order = Int32Array.from(kept).sort((a, b) => parent(t.ctx[a]!) - parent(t.ctx[b]!) || t.word[a]! - t.word[b]!);
    const next = new Int32Array(t.word.length).fill(-1);
    out.u32(order.length);
    let prevCtx = 0;
    let prevWord = -1;
    for (let i = 0; i < order.length; i++) {
      const e = order[i]!;
      next[e] = i;
      const c = parent(t.ctx[e]!);
      const w = t.word[e]!;
      out.varint(c - prevCtx);
      out.varint(c === prevCtx && i > 0 ? w - prevWord - 1 : w);
      prevCtx = c;
      prevWord = w;
    }
    writeValues(out, Float32Array.from(order, (e) => t.prob[e]!), bits);
    if (n < lm.order) writeValues(out, Float32Array.from(order, (e) => t.backoff![e]!), bits);
    newIndex = next;
  }
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(BINARY_LM_MAGIC, 0, 'latin1');
  header.writeUInt32LE(BINARY_LM_VERSION, 8);
  return Buffer.concat([header, gzipSync(out.done(), { level: 9 })]);
}

/** Reads binary LM file bytes; every inconsistency is an LmBinaryError naming `source`. */
export function parseBinaryLm(bytes: Uint8Array, source = 'binary LM'): NgramLM {
  try {
    return parse(bytes);
  } catch (e) {
    if (e instanceof LmBinaryError) throw new LmBinaryError(`${source}: ${e.detail}`);
    throw e;
  }
}

function parse(bytes: Uint8Array): NgramLM {
  if (!isBinaryLm(bytes)) throw new LmBinaryError('not a binary LM file (bad magic bytes)');
  if (bytes.length < HEADER_BYTES) throw new LmBinaryError('truncated header');
  const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (version !== BINARY_LM_VERSION) {
    throw new LmBinaryError(`format version ${version} is not supported (this Hearken reads version ${BINARY_LM_VERSION})`);
  }
  let payload: Uint8Array;
  try {
    payload = gunzipSync(bytes.subarray(HEADER_BYTES));
  } catch (e) {
    throw new LmBinaryError(`compressed data is truncated or corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  const inp = new ByteReader(payload);
  const order = inp.u8('order');
  if (order < 1 || order > MAX_ORDER) throw new LmBinaryError(`corrupt data: order ${order}`);
  const bits = inp.u8('bits');
  if (bits !== 8 && bits !== 16 && bits !== 32) throw new LmBinaryError(`corrupt data: ${bits} bits`);
  const V = inp.u32('vocabulary size');
  const vocabBytes = inp.u32('vocabulary length');
  const words = Buffer.from(inp.bytes(vocabBytes, 'vocabulary')).toString('utf8').split('\n');
  if (V === 0 || words.length !== V) throw new LmBinaryError(`corrupt data: the vocabulary holds ${words.length} words, not ${V}`);
  const vocab = new Map<string, number>();
  for (let i = 0; i < V; i++) {
    const w = words[i]!;
    if (w === '' || vocab.has(w)) throw new LmBinaryError(`corrupt data: ${w === '' ? 'an empty' : `a duplicate word "${w.slice(0, 40)}" as`} word ${i}`);
    vocab.set(w, i);
  }
  const uniProb = inp.f32s(V, 'unigram probabilities');
  const uniBackoff = order > 1 ? inp.f32s(V, 'unigram back-offs') : null;
  const tables: NgramTable[] = [{ ctx: new Int32Array(V), word: Int32Array.from({ length: V }, (_, i) => i), prob: uniProb, backoff: uniBackoff, index: null }];
  let parents = V;
  for (let n = 2; n <= order; n++) {
    const what = `${n}-grams`;
    const count = inp.u32(`${what} count`);
    // Each entry takes at least two bytes: a count beyond what is left is corruption, not a huge allocation.
    if (count * 2 > inp.left) throw new LmBinaryError(`truncated data: ${count} ${what} declared, ${inp.left} bytes left`);
    const ctx = new Int32Array(count);
    const word = new Int32Array(count);
    let c = 0;
    let w = -1;
    for (let i = 0; i < count; i++) {
      const dc = inp.varint(`${what} context`);
      const dw = inp.varint(`${what} word`);
      c += dc;
      w = dc === 0 && i > 0 ? w + dw + 1 : dw;
      if (c >= parents) throw new LmBinaryError(`corrupt data: ${n}-gram ${i} has context ${c} of ${parents}`);
      if (w >= V) throw new LmBinaryError(`corrupt data: ${n}-gram ${i} has word ${w} of ${V}`);
      ctx[i] = c;
      word[i] = w;
    }
    const prob = readValues(inp, count, `${what} probabilities`);
    const backoff = n < order ? readValues(inp, count, `${what} back-offs`) : null;
    tables.push({ ctx, word, prob, backoff, index: ContextRanges.fromSorted(ctx, word, parents) });
    parents = count;
  }
  if (inp.left !== 0) throw new LmBinaryError(`corrupt data: ${inp.left} bytes after the last table`);
  return new NgramLM(vocab, words, tables);
}
