import type { PortableRecognizerOptions } from '../recognizer/recognizer.js';
import type { SharedNgramData } from '../lm/shared.js';
import type { StreamConfig } from './protocol.js';

export interface WorkerInit {
  recognizer: PortableRecognizerOptions;
  /** The LM, loaded once for all workers (replaces `recognizer.lm`). */
  sharedLm?: SharedNgramData;
  /** Most windows per batched ORT call. */
  maxBatch: number;
}

export type MainToWorker =
  | { t: 'open'; id: number; config: StreamConfig }
  /** New settings for the next segment (after a reset, before its first audio). */
  | { t: 'config'; id: number; config: StreamConfig }
  | { t: 'audio'; id: number; seq: number; bytes: ArrayBuffer }
  | { t: 'final'; id: number; seq: number; kind: 'eof' | 'reset' | 'shutdown' }
  /** Shutdown past its grace: skip the stream's queued audio; its pending final still runs on what was decoded. */
  | { t: 'cancel'; id: number }
  | { t: 'close'; id: number }
  /** Finish the work in progress (never cut an inference short), skip the rest, reply 'stopped' and exit. */
  | { t: 'stop' };

export type WorkerToMain =
  | { t: 'ready'; card: { name: string } }
  | { t: 'fatal'; message: string }
  /** The one reply to message `seq`: a JSON text ready to send. */
  | { t: 'reply'; id: number; seq: number; text: string; final: boolean; audioSeconds: number }
  | { t: 'error'; id: number; seq: number; code: number; message: string }
  | { t: 'busy'; id: number; computeMs: number; busyMs: number }
  | { t: 'closed'; id: number }
  | { t: 'stopped' };
