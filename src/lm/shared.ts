/**
 * An n-gram model in shared memory, so that several worker threads score with one copy.
 *
 * A parsed ARPA model costs a thread ~60 MB (its typed arrays plus what the parse leaves on the heap); the server
 * runs one decode worker per core. `loadSharedLM` parses in a short-lived thread whose heap goes away with it,
 * copies the tables into SharedArrayBuffers, and hands back data that `postMessage` / `workerData` pass to
 * other threads without copying; `ngramLMFromShared` wraps it as an ordinary `NgramLM` there.
 */
import { Worker } from 'node:worker_threads';
import { siblingWorker } from '../util/worker-path.js';
import { ContextRanges } from './context-ranges.js';
import { NgramLM, type NgramIndex, type NgramTable } from './ngram-lm.js';
import { PairHash, type PairHashArrays } from './pair-hash.js';

/** An index's arrays: a hash's, or the range starts of a sorted table (its words are the table's own). */
type SharedIndex = ({ kind: 'hash' } & PairHashArrays) | { kind: 'ranges'; start: Int32Array };

export interface SharedNgramTable {
  ctx: Int32Array;
  word: Int32Array;
  prob: Float32Array;
  backoff: Float32Array | null;
  index: SharedIndex | null;
}

/** Plain data (structured-clonable; every typed array is backed by a SharedArrayBuffer). */
export interface SharedNgramData {
  words: string[];
  tables: SharedNgramTable[];
  sourcePath: string | null;
}

function shared<T extends Int32Array | Float32Array>(a: T): T {
  const copy = (a instanceof Int32Array
    ? new Int32Array(new SharedArrayBuffer(a.byteLength))
    : new Float32Array(new SharedArrayBuffer(a.byteLength))) as T;
  copy.set(a);
  return copy;
}

function shareIndex(index: NgramIndex | null): SharedIndex | null {
  if (index === null) return null;
  if (index instanceof ContextRanges) return { kind: 'ranges', start: shared(index.arrays().start) };
  const a = index.arrays();
  return { kind: 'hash', keyA: shared(a.keyA), keyB: shared(a.keyB), values: shared(a.values), count: a.count };
}

/** Copies a model's tables into shared memory. */
export function shareNgramLM(lm: NgramLM): SharedNgramData {
  const tables: SharedNgramTable[] = [];
  for (let n = 1; n <= lm.order; n++) {
    const t = lm.table(n);
    tables.push({
      ctx: shared(t.ctx),
      word: shared(t.word),
      prob: shared(t.prob),
      backoff: t.backoff ? shared(t.backoff) : null,
      index: shareIndex(t.index),
    });
  }
  return { words: [...lm.words], tables, sourcePath: lm.sourcePath };
}

/** A model over shared tables (no copy of the n-grams; only the word map is built here). */
export function ngramLMFromShared(data: SharedNgramData): NgramLM {
  const vocab = new Map<string, number>();
  data.words.forEach((w, i) => vocab.set(w, i));
  const tables: NgramTable[] = data.tables.map((t) => ({
    ctx: t.ctx,
    word: t.word,
    prob: t.prob,
    backoff: t.backoff,
    index: t.index === null ? null : t.index.kind === 'ranges' ? new ContextRanges({ start: t.index.start, word: t.word }) : PairHash.fromArrays(t.index),
  }));
  const lm = new NgramLM(vocab, data.words, tables);
  lm.sourcePath = data.sourcePath;
  return lm;
}

/** Loads an LM file (binary or ARPA) in a throw-away thread and returns its tables in shared memory. */
export function loadSharedLM(path: string): Promise<SharedNgramData> {
  const mod = siblingWorker(import.meta.url, 'shared-load-worker');
  const worker = new Worker(mod.filename, { workerData: { ...mod.workerData, path } });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (message: { ok: true; data: SharedNgramData } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.data);
      else reject(new Error(message.error));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`language model loader exited with code ${code}`));
    });
  });
}
