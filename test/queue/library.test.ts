/** The queue's library API in one process: TranscriptionQueue submits, TranscriptionWorker transcribes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioFormatError } from '../../src/audio/errors.js';
import { QueueConnectionError, TranscriptionQueue, TranscriptionWorker, transcriptionJobId } from '../../src/queue/index.js';
import { SAMPLES } from '../helpers.js';
import { freePort, startRedis, type Service } from '../services.js';

const FOX = readFileSync(join(SAMPLES, 'tts-espeak-fox.wav'));
const SEVEN = readFileSync(join(SAMPLES, 'digit-8k-fsdd-7.wav'));

async function metricValue(worker: TranscriptionWorker, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await worker.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return Number(value?.value ?? 0);
}

describe('TranscriptionQueue + TranscriptionWorker', () => {
  let redis: Service & { url: string };
  let worker: TranscriptionWorker;
  let queue: TranscriptionQueue;

  beforeAll(async () => {
    redis = await startRedis();
    worker = await TranscriptionWorker.start({ redis: redis.url, queue: 'lib', logger: pino({ level: 'silent' }) });
    queue = new TranscriptionQueue({ redis: redis.url, queue: 'lib', maxJobBytes: 200_000 });
  }, 600_000);

  afterAll(async () => {
    await queue?.close();
    await worker?.close();
    await redis?.stop();
  }, 600_000);

  it('transcribes submitted audio, counts it, and treats the same audio with the same options as the same job', async () => {
    const first = await queue.submit(FOX, 'fox.wav');
    expect(first).toEqual({ id: transcriptionJobId(FOX, {}), created: true });
    const done = await queue.outcome(first.id);
    if (!done.ok) throw new Error(done.error);
    expect(done.value.result.text.split(' ').length).toBeGreaterThan(3);
    expect(done.value.worker).toBe(worker.name);
    expect(await metricValue(worker, 'hearken_queue_jobs_completed_total')).toBe(1);
    expect(await metricValue(worker, 'hearken_queue_audio_seconds_total')).toBeCloseTo(done.value.audioSeconds, 6);
    expect(await metricValue(worker, 'hearken_queue_rtf')).toBeCloseTo(done.value.computeSeconds / done.value.audioSeconds, 6);

    const again = await queue.submit(FOX, 'other-name.wav');
    expect(again).toEqual({ id: first.id, created: false });
    expect(await queue.outcome(again.id)).toEqual(done);
    expect(await metricValue(worker, 'hearken_queue_jobs_completed_total')).toBe(1);
    // other options are another job
    const numerals = await queue.submit(FOX, 'fox.wav', { numerals: true });
    expect(numerals.id).not.toBe(first.id);
    expect(numerals.created).toBe(true);
    expect((await queue.outcome(numerals.id)).ok).toBe(true);
  }, 600_000);

  it('fails bad audio once with its typed error, and refuses audio over the cap before queueing it', async () => {
    const bad = new TextEncoder().encode('RIFF\x10\x00\x00\x00WAVEfmt ');
    const job = await queue.submit(bad, 'bad.wav');
    expect(await queue.outcome(job.id)).toEqual({ ok: false, error: expect.stringMatching(/^AudioFormatError: /), code: 'MISSING_FMT' });
    expect(await metricValue(worker, 'hearken_queue_jobs_failed_total', { reason: 'input' })).toBe(1);
    const tooLarge = await queue.submit(new Uint8Array(200_001), 'big.wav').catch((err: unknown) => err);
    expect(tooLarge).toBeInstanceOf(AudioFormatError);
    expect((tooLarge as AudioFormatError).code).toBe('TOO_LARGE');
    expect(await queue.outcome('sha256-nothing')).toEqual({ ok: false, error: expect.stringMatching(/^JobNotFound: /) });
  }, 600_000);

  it('refuses a Redis it cannot reach, and a URL that is not Redis, with typed errors', async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const queue = new TranscriptionQueue({ redis: nobody });
    await expect(queue.connected()).rejects.toMatchObject({ name: 'QueueConnectionError', code: 'REDIS_UNREACHABLE', message: expect.stringContaining('ECONNREFUSED') });
    await expect(queue.submit(FOX, 'fox.wav')).rejects.toBeInstanceOf(QueueConnectionError);
    await queue.close();
    await expect(TranscriptionWorker.start({ redis: nobody, logger: pino({ level: 'silent' }) })).rejects.toMatchObject({ code: 'REDIS_UNREACHABLE' });
    await expect(TranscriptionWorker.start({ redis: 'http://127.0.0.1:6379', logger: pino({ level: 'silent' }) })).rejects.toMatchObject({ code: 'BAD_REDIS_URL' });
  }, 600_000);

  it('lets finished jobs expire after their time to live', async () => {
    const shortLived = new TranscriptionQueue({ redis: redis.url, queue: 'lib', ttlSeconds: 1 });
    try {
      const first = await shortLived.submit(SEVEN, 'seven.wav', { punctuate: true });
      expect((await shortLived.outcome(first.id)).ok).toBe(true);
      // BullMQ evicts expired jobs when a later job finishes: past the first one's time to live, finish another
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const second = await shortLived.submit(SEVEN, 'seven.wav', { numerals: true, punctuate: true });
      expect((await shortLived.outcome(second.id)).ok).toBe(true);
      expect(await shortLived.outcome(first.id)).toEqual({ ok: false, error: expect.stringMatching(/^JobNotFound: /) });
    } finally {
      await shortLived.close();
    }
  }, 600_000);
});
