/**
 * What travels through the batch queue: a job carries the audio file's bytes (workers need no shared filesystem)
 * and the per-file transcription options; its id is a hash of both, so the same file submitted twice with the same
 * options is one job and is transcribed once.
 */
import { createHash } from 'node:crypto';
import type { BatchOptions } from '../recognizer/batch.js';
import type { PortableRecognizerOptions } from '../recognizer/recognizer.js';
import type { TranscribeOutcome } from '../recognizer/transcribe-worker.js';

/** The queue name `hearken worker` and `hearken enqueue` use unless told otherwise. */
export const DEFAULT_QUEUE = 'hearken';

/** Largest audio file a job may carry (64 MiB: over half an hour of 16-bit 16 kHz WAV, many hours of MP3). */
export const DEFAULT_MAX_JOB_BYTES = 64 * 1024 * 1024;

/** How long finished jobs (their audio, result or error) stay in Redis: one day. */
export const DEFAULT_JOB_TTL_SECONDS = 24 * 60 * 60;

/**
 * Decoding settings a job may choose. The acoustic model and LM files are the worker's (`hearken worker --model`):
 * paths on the submitting machine mean nothing on a worker's.
 */
export type JobRecognizerOptions = Omit<PortableRecognizerOptions, 'model' | 'lm'>;

/** Everything that shapes one file's result, besides the worker's model: what `transcribeFiles` takes per batch. */
export type JobTranscribeOptions = Pick<BatchOptions, 'hotwords' | 'grammar' | 'numerals' | 'punctuate' | 'maskWords' | 'maxDuration'> & {
  recognizer?: JobRecognizerOptions;
};

/** A job's data in Redis. */
export interface TranscriptionJobData {
  /** The file's name on the submitting side, for logs and progress only. */
  name: string;
  /** The file's bytes, base64 (BullMQ stores job data as JSON). */
  audio: string;
  options: JobTranscribeOptions;
}

/** A completed job's return value. */
export interface TranscriptionJobResult {
  /** What `hearken transcribe`'s threads return for the file. */
  result: Extract<TranscribeOutcome, { ok: true }>['result'];
  audioSeconds: number;
  computeSeconds: number;
  /** The worker that did it (`host:pid`). */
  worker: string;
}

/** JSON with object keys sorted and undefined members left out, so equal options hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The job id for these bytes with these options: the SHA-256 of the audio and of the options' canonical JSON.
 * Prefixed, because BullMQ refuses ids that are integers or contain ':'.
 */
export function transcriptionJobId(audio: Uint8Array, options: JobTranscribeOptions): string {
  const audioHash = createHash('sha256').update(audio).digest('hex');
  return `sha256-${createHash('sha256').update(`${audioHash}\n${canonicalJson(options)}`).digest('hex')}`;
}
