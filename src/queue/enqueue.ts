/**
 * Submitting audio to the batch queue and waiting for results: the library side of `hearken enqueue`.
 *
 *   const queue = new TranscriptionQueue({ redis: 'redis://127.0.0.1:6379' });
 *   const job = await queue.submitFile('call.wav', { numerals: true });
 *   const outcome = await queue.outcome(job.id);   // { ok: true, value: { result, ... } } or { ok: false, error }
 *   await queue.close();
 */
import { readFile, stat } from 'node:fs/promises';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { AudioFormatError } from '../audio/errors.js';
import { checkRecognizerOptions, checkStreamOptions } from '../recognizer/options-validation.js';
import { connectRedis } from './connection.js';
import {
  DEFAULT_JOB_TTL_SECONDS,
  DEFAULT_MAX_JOB_BYTES,
  DEFAULT_QUEUE,
  transcriptionJobId,
  type JobTranscribeOptions,
  type TranscriptionJobData,
  type TranscriptionJobResult,
} from './job.js';

export interface TranscriptionQueueOptions {
  /** Redis URL, e.g. redis://127.0.0.1:6379. */
  redis: string;
  queue?: string;
  /** Largest audio file accepted, in bytes (default 64 MiB); a larger one is refused with code TOO_LARGE. */
  maxJobBytes?: number;
  /** Seconds a finished job (audio, result or error) stays in Redis (default one day). */
  ttlSeconds?: number;
  /** Tries per job when a worker fails for its own reasons (default 3); bad input fails on its first. */
  attempts?: number;
}

export interface SubmittedJob {
  id: string;
  /** False when a job for the same audio and options already existed (queued, running or finished). */
  created: boolean;
}

/** A finished job: its result, or its error as `hearken transcribe` reports it (`code`: the error's stable code, if any). */
export type JobOutcome = { ok: true; value: TranscriptionJobResult } | { ok: false; error: string; code?: string };

/** A failed job's reason back into error and code (the worker writes them as "Name: message (CODE)"). */
function failure(reason: string): JobOutcome {
  const coded = /^(.*) \(([A-Z][A-Z0-9_]*)\)$/s.exec(reason);
  return coded ? { ok: false, error: coded[1]!, code: coded[2]! } : { ok: false, error: reason };
}

type TranscriptionJob = Job<TranscriptionJobData, TranscriptionJobResult>;

export class TranscriptionQueue {
  readonly name: string;
  /** Connects on construction; every call waits for it, and a Redis that cannot be reached fails them all. */
  private readonly ready: Promise<{ connection: Redis; queue: Queue<TranscriptionJobData, TranscriptionJobResult> }>;
  private events: Promise<{ connection: Redis; events: QueueEvents }> | null = null;

  constructor(private readonly options: TranscriptionQueueOptions) {
    this.name = options.queue ?? DEFAULT_QUEUE;
    this.ready = connectRedis(options.redis).then((connection) => {
      const queue = new Queue<TranscriptionJobData, TranscriptionJobResult>(this.name, { connection });
      // each job awaited by outcome() listens for the queue closing: thousands may be awaited at once
      queue.setMaxListeners(0);
      return { connection, queue };
    });
    this.ready.catch(() => {}); // reported by the first call that needs it
  }

  /** Resolves once connected to Redis; a QueueConnectionError if it cannot be reached. */
  async connected(): Promise<void> {
    await this.ready;
  }

  private async queue(): Promise<Queue<TranscriptionJobData, TranscriptionJobResult>> {
    return (await this.ready).queue;
  }

  /** Queues one file's bytes; `name` is for logs and progress. Refuses audio over the size cap. */
  async submit(audio: Uint8Array, name: string, options: JobTranscribeOptions = {}): Promise<SubmittedJob> {
    const max = this.options.maxJobBytes ?? DEFAULT_MAX_JOB_BYTES;
    if (audio.length > max) throw new AudioFormatError('TOO_LARGE', `${name} is ${audio.length} bytes; the queue's limit is ${max}`);
    // a bad option is refused here, as transcribeFiles refuses it, not by every worker that picks the job up
    checkRecognizerOptions(options.recognizer ?? {});
    checkStreamOptions({ hotwords: options.hotwords, grammar: options.grammar, numerals: options.numerals, punctuate: options.punctuate });
    const id = transcriptionJobId(audio, options);
    const queue = await this.queue();
    if (await queue.getJob(id)) return { id, created: false };
    const ttl = this.options.ttlSeconds ?? DEFAULT_JOB_TTL_SECONDS;
    const data: TranscriptionJobData = { name, audio: Buffer.from(audio.buffer, audio.byteOffset, audio.length).toString('base64'), options };
    // An id already taken makes add() a no-op, so two clients racing with the same file still make one job.
    await queue.add('transcribe', data, {
      jobId: id,
      attempts: this.options.attempts ?? 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: ttl },
      removeOnFail: { age: ttl },
    });
    return { id, created: true };
  }

  /** Reads and queues a file, refusing what `hearken transcribe` would refuse before reading it, and files over the cap. */
  async submitFile(path: string, options: JobTranscribeOptions = {}): Promise<SubmittedJob> {
    const info = await stat(path);
    if (!info.isFile()) throw new AudioFormatError('UNKNOWN_CONTAINER', `${path} is not a regular file`);
    const max = this.options.maxJobBytes ?? DEFAULT_MAX_JOB_BYTES;
    if (info.size > max) throw new AudioFormatError('TOO_LARGE', `${path} is ${info.size} bytes; the queue's limit is ${max}`);
    return this.submit(await readFile(path), path, options);
  }

  /**
   * Waits until the job ends: its result, or the error that failed it (for bad audio, the same text
   * `hearken transcribe` prints). A job that expired or never existed is an error too.
   */
  async outcome(id: string): Promise<JobOutcome> {
    const job = (await (await this.queue()).getJob(id)) as TranscriptionJob | undefined;
    if (!job) return { ok: false, error: `JobNotFound: no job ${id} in queue ${this.name} (expired, or never submitted)` };
    try {
      return { ok: true, value: await job.waitUntilFinished(await this.queueEvents()) };
    } catch (err) {
      return failure(err instanceof Error ? err.message : String(err));
    }
  }

  /** Jobs waiting, running, done and failed in this queue now. */
  async counts(): Promise<Record<string, number>> {
    return (await this.queue()).getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  }

  private async queueEvents(): Promise<QueueEvents> {
    this.events ??= connectRedis(this.options.redis).then((connection) => {
      const events = new QueueEvents(this.name, { connection });
      events.on('error', () => {}); // reconnects on its own; outcome() reports what it cannot get
      return { connection, events };
    });
    const { events } = await this.events;
    await events.waitUntilReady();
    return events;
  }

  async close(): Promise<void> {
    const events = await this.events?.catch(() => null);
    await events?.events.close();
    await events?.connection.quit();
    const ready = await this.ready.catch(() => null);
    await ready?.queue.close();
    await ready?.connection.quit();
  }
}
