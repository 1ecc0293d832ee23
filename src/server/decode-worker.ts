/**
 * A decode worker thread: owns one Recognizer whose model windows go through a WindowBatcher, so the
 * streams pinned to this worker share batched ORT calls. The main thread only parses WebSocket frames
 * and forwards audio bytes here (transferred, not copied); every audio, eof and reset message gets
 * exactly one reply, in order per stream.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PcmStreamDecoder } from '../audio/pcm-stream.js';
import { ngramLMFromShared } from '../lm/shared.js';
import { AudioFormatError } from '../audio/errors.js';
import { GrammarError, compileGrammar } from '../decoder/grammar.js';
import { WindowBatcher } from '../model/batcher.js';
import { createRecognizer, emptyResult, mergeResults, type Recognizer, type RecognizerStream } from '../recognizer/index.js';
import type { RecognitionResult } from '../recognizer/types.js';
import { MessageRate } from './budget.js';
import { CloseCode, MAX_PHRASE_LIST_CHARS, formatPartial, formatResult, shiftResult, type StreamConfig } from './protocol.js';
import type { MainToWorker, WorkerInit, WorkerToMain } from './worker-messages.js';

const port = parentPort!;
const init = (workerData as { init: WorkerInit }).init;

interface Segment {
  pcm: PcmStreamDecoder;
  stream: RecognizerStream;
  /** 16 kHz samples fed to `stream`. */
  samples: number;
}

interface StreamState {
  config: StreamConfig;
  segment: Segment | null;
  /** Seconds of audio before the current segment (earlier segments, ended by reset). */
  offset: number;
  /** Finished utterances not yet sent: each audio reply carries at most one. */
  pending: RecognitionResult[];
  chain: Promise<void>;
  closed: boolean;
  /** Queued audio is skipped (shutdown past its grace, or the client left). */
  cancelled: boolean;
}

/** 16 kHz samples decoded between checks for a departed client. */
const DECODE_SLICE = 16_000;

const streams = new Map<number, StreamState>();
let recognizer: Recognizer;
/** Busy time: wall time while at least one message is being processed. */
let inFlight = 0;
let busySince = 0;

function send(message: WorkerToMain, transfer?: ArrayBuffer[]): void {
  port.postMessage(message, transfer ?? []);
}

function begin(): void {
  if (inFlight++ === 0) busySince = performance.now();
}

function end(): number {
  if (--inFlight === 0) return performance.now() - busySince;
  return 0;
}

async function openSegment(state: StreamState): Promise<Segment> {
  const { config } = state;
  const pcm = await PcmStreamDecoder.create({ encoding: config.format, sampleRate: config.sampleRate });
  const stream = recognizer.createStream({ hotwords: config.hotwords, grammar: config.grammar, endpoint: config.endpoint, numerals: config.numerals, punctuate: config.punctuate, maskWords: config.maskWords });
  return { pcm, stream, samples: 0 };
}

function take(state: StreamState, segment: Segment): void {
  while (segment.stream.hasResult()) state.pending.push(shiftResult(segment.stream.popResult()!, state.offset));
}

async function onAudio(id: number, seq: number, bytes: ArrayBuffer): Promise<void> {
  const state = streams.get(id);
  if (!state || state.closed || state.cancelled) return;
  const segment = (state.segment ??= await openSegment(state));
  const samples = segment.pcm.push(new Uint8Array(bytes));
  // Decoded a second at a time, so that a client that leaves (or a shutdown past its grace) stops the work
  // within a second of audio instead of after the whole message; results do not depend on the cuts.
  for (let at = 0; at < samples.length || at === 0; at += DECODE_SLICE) {
    if (state.closed || state.cancelled) return;
    const slice = samples.subarray(at, at + DECODE_SLICE);
    if (slice.length > 0) {
      segment.samples += slice.length;
      segment.stream.acceptWaveform(slice, 16000);
    }
    await segment.stream.decode();
  }
  take(state, segment);
  const result = state.pending.shift();
  const reply = result ? formatResult(result, state.config) : formatPartial(segment.stream.partial().text);
  send({ t: 'reply', id, seq, text: JSON.stringify(reply), final: result !== undefined, audioSeconds: samples.length / 16000 });
}

async function onFinal(id: number, seq: number, kind: 'eof' | 'reset' | 'shutdown'): Promise<void> {
  const state = streams.get(id);
  if (!state || state.closed) return;
  const segment = state.segment;
  let result: RecognitionResult;
  if (!segment) {
    result = mergeResults(state.pending.length > 0 ? state.pending : [emptyResult(state.offset)]);
  } else {
    if (segment.pcm.pendingBytes > 0 && kind !== 'shutdown') {
      send({
        t: 'error',
        id,
        seq,
        code: CloseCode.INVALID_PAYLOAD,
        message: `the audio ends inside a sample: ${segment.pcm.pendingBytes} byte(s) left over (${config(state)} needs whole samples)`,
      });
      return;
    }
    const tail = segment.pcm.flush();
    if (tail.length > 0) {
      segment.samples += tail.length;
      segment.stream.acceptWaveform(tail, 16000);
    }
    const rest = shiftResult(await segment.stream.finish(), state.offset);
    result = mergeResults([...state.pending, rest]);
  }
  state.pending = [];
  if (segment) state.offset += segment.samples / 16000;
  state.segment = null;
  send({ t: 'reply', id, seq, text: JSON.stringify(formatResult(result, state.config)), final: true, audioSeconds: 0 });
}

/**
 * Phrase-list characters this worker compiles per second (bursts of one maximal list). Compiling blocks the
 * worker's other streams (~2 ms per 1000 characters on a loaded core), so a burst of new phrase lists waits
 * here, on its own stream only, instead of stalling everyone's decoding.
 */
const grammarBudget = new MessageRate(50_000, MAX_PHRASE_LIST_CHARS);

/** New settings for the next segment; a phrase list is compiled now (cached), so a bad one fails at once. */
async function applyConfig(id: number, state: StreamState, config: StreamConfig): Promise<void> {
  state.config = config;
  if (!config.grammar || state.closed) return;
  const wait = grammarBudget.take(config.grammar.reduce((n, p) => n + p.length, 0));
  // Waits in steps, so a client that leaves (or a shutdown) is not kept waiting for the budget.
  for (const until = performance.now() + wait; !state.closed && performance.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, until - performance.now())));
  }
  if (state.closed) return;
  try {
    compileGrammar(config.grammar);
  } catch (err) {
    state.closed = true;
    if (err instanceof GrammarError) send({ t: 'error', id, seq: 0, code: CloseCode.INVALID_PAYLOAD, message: `"phrase_list": ${err.message}` });
    else send({ t: 'error', id, seq: 0, code: CloseCode.INTERNAL, message: err instanceof Error ? err.message : String(err) });
  }
}

function config(state: StreamState): string {
  return state.config.format;
}

function enqueue(id: number, seq: number, task: () => Promise<void>): void {
  const state = streams.get(id);
  if (!state) return;
  state.chain = state.chain.then(async () => {
    begin();
    const t0 = performance.now();
    try {
      await task();
    } catch (err) {
      const code = err instanceof AudioFormatError ? CloseCode.INVALID_PAYLOAD : CloseCode.INTERNAL;
      send({ t: 'error', id, seq, code, message: err instanceof Error ? err.message : String(err) });
    } finally {
      send({ t: 'busy', id, computeMs: performance.now() - t0, busyMs: end() });
    }
  });
}

port.on('message', (message: MainToWorker) => {
  switch (message.t) {
    case 'open':
      streams.set(message.id, { config: message.config, segment: null, offset: 0, pending: [], chain: Promise.resolve(), closed: false, cancelled: false });
      break;
    case 'config': {
      const state = streams.get(message.id);
      if (state) state.chain = state.chain.then(() => applyConfig(message.id, state, message.config));
      break;
    }
    case 'audio':
      enqueue(message.id, message.seq, () => onAudio(message.id, message.seq, message.bytes));
      break;
    case 'final':
      enqueue(message.id, message.seq, () => onFinal(message.id, message.seq, message.kind));
      break;
    case 'cancel': {
      const state = streams.get(message.id);
      if (state) state.cancelled = true;
      break;
    }
    case 'close': {
      const state = streams.get(message.id);
      if (!state) break;
      state.closed = true;
      // Drop it once any work in progress is done: until then this worker is still busy with it.
      void state.chain.then(() => {
        streams.delete(message.id);
        send({ t: 'closed', id: message.id });
      });
      break;
    }
    case 'stop':
      void stop();
      break;
  }
});

/**
 * Ends the thread at a point where no inference is in flight: terminating a worker inside an ONNX Runtime call
 * aborts the whole process ("terminate called after throwing an instance of 'Napi::Error'").
 */
async function stop(): Promise<void> {
  for (const state of streams.values()) state.closed = state.cancelled = true;
  await Promise.all([...streams.values()].map((s) => s.chain));
  send({ t: 'stopped' });
  process.exit(0);
}

try {
  recognizer = await createRecognizer({
    ...init.recognizer,
    lm: init.sharedLm ? ngramLMFromShared(init.sharedLm) : init.recognizer.lm,
    runner: new WindowBatcher(init.maxBatch),
  });
  send({ t: 'ready', card: { name: recognizer.model.card.name } });
} catch (err) {
  send({ t: 'fatal', message: err instanceof Error ? err.message : String(err) });
}
