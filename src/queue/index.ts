/** The batch job queue: submit audio files to Redis, transcribe them on workers anywhere (BullMQ). */
export { TranscriptionQueue, type TranscriptionQueueOptions, type SubmittedJob, type JobOutcome } from './enqueue.js';
export { TranscriptionWorker, type TranscriptionWorkerOptions } from './worker.js';
export { QueueWorkerMetrics } from './metrics.js';
export { QueueConnectionError } from './connection.js';
export {
  DEFAULT_QUEUE,
  DEFAULT_MAX_JOB_BYTES,
  DEFAULT_JOB_TTL_SECONDS,
  transcriptionJobId,
  type JobTranscribeOptions,
  type JobRecognizerOptions,
  type TranscriptionJobData,
  type TranscriptionJobResult,
} from './job.js';
