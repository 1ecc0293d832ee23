/**
 * A BullMQ worker that transcribes queued audio files. Jobs run on a pool of recognizer threads (the same
 * thread code as `hearken transcribe`, so results are the same), which keeps this thread free to renew job
 * locks: a worker that dies mid-job (SIGKILL, power) stops renewing, and BullMQ's stalled-job check hands the
 * job to another worker.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Piscina } from 'piscina';
import { pino, type Logger } from 'pino';
import { encodeWav16 } from '../audio/wav.js';
import { loadSharedLM } from '../lm/shared.js';
import { languageModelPath } from '../recognizer/recognizer.js';
import type { PortableRecognizerOptions } from '../recognizer/recognizer.js';
import type { TranscribeOutcome, TranscribeTask } from '../recognizer/transcribe-worker.js';
import { siblingWorker } from '../util/worker-path.js';
import { connectRedis } from './connection.js';
import { DEFAULT_QUEUE, type JobTranscribeOptions, type TranscriptionJobData, type TranscriptionJobResult } from './job.js';
import { QueueWorkerMetrics } from './metrics.js';

export interface TranscriptionWorkerOptions {
  /** Redis URL, e.g. redis://127.0.0.1:6379. */
  redis: string;
  queue?: string;
  /** Jobs transcribed at once, one recognizer thread each (default 1). */
  concurrency?: number;
  /** Acoustic model folder and LM for every job (default: the shipped ones). */
  model?: string;
  lm?: string | false;
  /**
   * A job whose worker has not renewed its lock for this long is given to another worker (default 30 s,
   * BullMQ's). Lower recovers sooner from a dead worker; too low for a starved machine moves live jobs.
   */
  stalledAfterMs?: number;
  logger?: Logger;
  metrics?: QueueWorkerMetrics;
}

/**
 * A failed transcription that another try would fail the same way (bad audio, bad grammar) ends its job at
 * once; a model that failed to load, or a thread that died, may be this machine's trouble, so the job is retried.
 */
function isInputError(error: string): boolean {
  return !error.startsWith('ModelLoadError') && !error.startsWith('worker failed');
}

export class TranscriptionWorker {
  readonly metrics: QueueWorkerMetrics;
  /** `host:pid`, recorded in each result. */
  readonly name = `${hostname()}:${process.pid}`;
  private bull: Worker<TranscriptionJobData, TranscriptionJobResult> | null = null;
  private connection: Redis | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly options: TranscriptionWorkerOptions,
    private readonly pool: Piscina<TranscribeTask, TranscribeOutcome>,
    private readonly scratch: string,
    private readonly log: Logger,
  ) {
    this.metrics = options.metrics ?? new QueueWorkerMetrics();
  }

  /**
   * Loads the model on every thread (a model that cannot load fails here, before any job is taken), then
   * starts taking jobs.
   */
  static async start(options: TranscriptionWorkerOptions): Promise<TranscriptionWorker> {
    const threads = Math.max(1, options.concurrency ?? 1);
    const log = options.logger ?? pino({ name: 'hearken-worker', level: process.env.HEARKEN_LOG_LEVEL ?? 'info' });
    // Redis first: a wrong URL fails in a moment, not after the model has loaded. During an outage later, one
    // warning per distinct error (the client retries every second or two), and one line when it is back.
    let lastError = '';
    const onError = (err: Error): void => {
      if (err.message !== lastError) log.warn({ err: err.message }, 'Redis unreachable; retrying');
      lastError = err.message;
    };
    const connection = await connectRedis(options.redis, onError);
    connection.on('ready', () => {
      if (lastError !== '') log.info('Redis reachable again');
      lastError = '';
    });
    const module = siblingWorker(import.meta.url, '../recognizer/transcribe-worker');
    const lmPath = options.lm === false ? null : languageModelPath({ lm: options.lm });
    // The threads share one copy of the LM, as `transcribe --workers N` does.
    const sharedLm = lmPath === null || threads === 1 ? undefined : await loadSharedLM(lmPath);
    const pool = new Piscina<TranscribeTask, TranscribeOutcome>({
      filename: module.filename,
      workerData: { ...module.workerData, sharedLm },
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
    });
    const scratch = await mkdtemp(join(tmpdir(), 'hearken-worker-'));
    const worker = new TranscriptionWorker(options, pool, scratch, log);
    // BullMQ leaves a connection it was handed open when it closes: close() quits it
    worker.connection = connection;
    try {
      const warmup = join(scratch, 'warmup.wav');
      await writeFile(warmup, encodeWav16(new Float32Array(8000), 16000)); // half a second of silence
      const outcomes = await Promise.all(Array.from({ length: threads }, () => pool.run(worker.task(warmup, {}))));
      const failure = outcomes.find((o) => !o.ok);
      if (failure && !failure.ok) throw new Error(`cannot start the worker: ${failure.error}`);
    } catch (err) {
      await worker.releaseResources();
      await connection.quit();
      throw err;
    }
    worker.bull = new Worker<TranscriptionJobData, TranscriptionJobResult>(options.queue ?? DEFAULT_QUEUE, (job) => worker.process(job), {
      connection: worker.connection,
      concurrency: threads,
      lockDuration: options.stalledAfterMs ?? 30_000,
      stalledInterval: options.stalledAfterMs ?? 30_000,
      // a job whose worker died under it three times is more likely killing workers than unlucky
      maxStalledCount: 2,
      name: worker.name,
    });
    worker.bull.on('error', onError);
    await worker.bull.waitUntilReady();
    log.info({ queue: options.queue ?? DEFAULT_QUEUE, concurrency: threads, worker: worker.name }, 'worker ready');
    return worker;
  }

  private task(path: string, job: JobTranscribeOptions): TranscribeTask {
    // Threads keep their recognizer while the options' JSON stays the same: one spelling for equal options
    // (keys sorted, unset ones left out, beam search named) keeps the warm-up's recognizer for every job.
    const merged: PortableRecognizerOptions = { ...job.recognizer, decoding: job.recognizer?.decoding ?? 'beam', model: this.options.model, lm: this.options.lm };
    const recognizer = Object.fromEntries(
      Object.entries(merged)
        .filter(([, value]) => value !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ) as PortableRecognizerOptions;
    const { hotwords, grammar, numerals, punctuate, maskWords, maxDuration } = job;
    return { path, options: recognizer, hotwords: hotwords ?? [], grammar, numerals, punctuate, maskWords, maxDuration };
  }

  private async process(job: Job<TranscriptionJobData, TranscriptionJobResult>): Promise<TranscriptionJobResult> {
    const data = job.data;
    if (typeof data?.audio !== 'string' || typeof data.options !== 'object' || data.options === null) {
      this.metrics.failed.inc({ reason: 'input' });
      throw new UnrecoverableError('JobDataError: the job carries no audio or options (not submitted by hearken enqueue?)');
    }
    this.log.info({ job: job.id, file: data.name, attempt: job.attemptsStarted }, 'job started');
    this.metrics.active.inc();
    const path = join(this.scratch, job.id ?? 'job');
    let outcome: TranscribeOutcome;
    try {
      await writeFile(path, Buffer.from(data.audio, 'base64'));
      outcome = await this.pool
        .run(this.task(path, data.options))
        .catch((err: unknown): TranscribeOutcome => ({ ok: false, error: `worker failed: ${String(err)}` }));
    } finally {
      this.metrics.active.dec();
      await rm(path, { force: true });
    }
    if (!outcome.ok) {
      const input = isInputError(outcome.error);
      this.metrics.failed.inc({ reason: input ? 'input' : 'error' });
      this.log.warn({ job: job.id, file: data.name, error: outcome.error }, 'job failed');
      // the job's failedReason reads as `hearken transcribe` prints the error: "AudioFormatError: ... (MISSING_FMT)"
      const reason = outcome.code ? `${outcome.error} (${outcome.code})` : outcome.error;
      throw input ? new UnrecoverableError(reason) : new Error(reason);
    }
    this.metrics.completed.inc();
    this.metrics.audioSeconds.inc(outcome.audioSeconds);
    this.metrics.computeSeconds.inc(outcome.computeSeconds);
    this.log.info({ job: job.id, file: data.name, audioSeconds: outcome.audioSeconds, computeSeconds: outcome.computeSeconds }, 'job completed');
    return { result: outcome.result, audioSeconds: outcome.audioSeconds, computeSeconds: outcome.computeSeconds, worker: this.name };
  }

  private async releaseResources(): Promise<void> {
    await this.pool.destroy();
    await rm(this.scratch, { recursive: true, force: true });
  }

  /**
   * Takes no new jobs, finishes the ones in progress, then lets go of Redis and the threads. With Redis
   * unreachable it stops at once (nothing could be reported anyway): its jobs go to another worker once their
   * locks run out.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const reachable = this.connection?.status === 'ready';
      await this.bull?.close(!reachable);
      if (reachable) await this.connection?.quit();
      else this.connection?.disconnect();
      await this.releaseResources();
      this.log.info({ worker: this.name }, 'worker stopped');
    })();
    return this.closing;
  }
}
