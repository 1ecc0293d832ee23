/**
 * `hearken worker` and `hearken enqueue` against a real Redis on loopback: fan-out over two workers, a worker
 * killed mid-job, bad input, resubmission, and SIGTERM. Every wait is on an event (a log line, a process exit,
 * a job's state in Redis), never on time.
 */
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/queue/connection.js';
import { SAMPLES, tempDir } from '../helpers.js';
import { freePort, startRedis, type Service } from '../services.js';
import { HearkenProcess, runHearken, startWorker, stopAll } from './helpers.js';

const LONG = join(SAMPLES, 'long-librilight-248.wav');
/** Twelve distinct files: every WAV fixture and three lossy encodings of one, copied under names of their own. */
const lossy = tempDir();
const TWELVE = [
  ...readdirSync(SAMPLES).filter((f) => f.endsWith('.wav')).map((f) => join(SAMPLES, f)),
  ...['mp3', 'ogg', 'opus'].map((ext) => {
    const copy = join(lossy, `lossy-${ext}.${ext}`);
    copyFileSync(join(SAMPLES, 'compressed', `librilight-831-130739-0011.${ext}`), copy);
    return copy;
  }),
].sort((a, b) => (a === LONG ? -1 : b === LONG ? 1 : a.localeCompare(b)));

function readOutputs(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

/** Every job in the queue, by id: what would change if a job ran again. */
async function jobRecords(redis: string, queueName: string): Promise<Map<string, string>> {
  const connection = await connectRedis(redis);
  const queue = new Queue(queueName, { connection });
  try {
    const jobs = await queue.getJobs(['completed', 'failed', 'active', 'wait', 'delayed']);
    return new Map(jobs.map((j) => [j.id!, JSON.stringify({ state: j.finishedOn ? (j.failedReason ? 'failed' : 'completed') : 'open', started: j.attemptsStarted, finishedOn: j.finishedOn, processedOn: j.processedOn })]));
  } finally {
    await queue.close();
    await connection.quit();
  }
}

describe('hearken worker + hearken enqueue', () => {
  let redis: Service & { url: string };
  const extraRedis: Service[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  }, 600_000);

  afterAll(async () => {
    await stopAll('SIGTERM');
    for (const r of extraRedis) await r.stop();
    await redis?.stop();
  }, 600_000);

  it('fans twelve files out to two workers, survives one SIGKILLed mid-job, and writes what transcribe writes; a resubmission does no work', async () => {
    expect(TWELVE).toHaveLength(12);
    const queue = 'fanout';
    const reference = join(tempDir(), 'ref');
    const ref = await runHearken(['transcribe', '--format', 'json', '--out', reference, ...TWELVE]);
    expect(ref.code, ref.stderr).toBe(0);

    // the second worker runs two recognizer threads sharing one LM
    const [a, b] = await Promise.all([startWorker(redis.url, queue, ['--stalled-after', '10']), startWorker(redis.url, queue, ['--stalled-after', '10', '--concurrency', '2'])]);
    // SIGKILL whichever worker starts the long file, while it transcribes it
    const started = (w: HearkenProcess): Promise<HearkenProcess> => w.waitForLine((l) => l.msg === 'job started' && l.file === LONG).then(() => w);
    const victimChosen = Promise.race([started(a!), started(b!)]).then(async (victim) => {
      await victim.kill('SIGKILL');
      return victim;
    });

    const out = join(tempDir(), 'out');
    const enqueue = await runHearken(['enqueue', '--redis', redis.url, '--queue', queue, '--wait', '--format', 'json', '--out', out, ...TWELVE]);
    expect(enqueue.code, enqueue.stderr).toBe(0);
    expect(enqueue.stderr).toMatch(/^12\/12 files/m);
    const victim = await victimChosen;
    const survivor = victim === a ? b! : a!;
    expect(readOutputs(out)).toEqual(readOutputs(reference));
    // the long file's job was finished by the survivor, unless the victim finished it before the kill landed
    const victimFinished = victim.lines.some((l) => l.msg === 'job completed' && l.file === LONG);
    if (!victimFinished) await survivor.waitForLine((l) => l.msg === 'job completed' && l.file === LONG);

    // The same twelve again: the same output, and no job runs again.
    const before = await jobRecords(redis.url, queue);
    expect(before.size).toBe(12);
    const again = join(tempDir(), 'again');
    const resubmit = await runHearken(['enqueue', '--redis', redis.url, '--queue', queue, '--wait', '--format', 'json', '--out', again, ...TWELVE]);
    expect(resubmit.code, resubmit.stderr).toBe(0);
    expect(readOutputs(again)).toEqual(readOutputs(reference));
    expect(await jobRecords(redis.url, queue)).toEqual(before);
  }, 1_800_000);

  it('fails a bad file among good ones once, with the error transcribe prints, and exits 1', async () => {
    const queue = 'bad';
    const dir = tempDir();
    const bad = join(dir, 'bad.wav');
    writeFileSync(bad, 'RIFF\x10\x00\x00\x00WAVEfmt ');
    const files = [join(SAMPLES, 'tts-espeak-fox.wav'), bad, join(SAMPLES, 'digit-8k-fsdd-7.wav')];
    const metricsPort = await freePort();
    await startWorker(redis.url, queue, ['--metrics-port', String(metricsPort)]); // stopped in afterAll
    const ref = await runHearken(['transcribe', '--format', 'srt', '--out', join(dir, 'ref'), ...files]);
    const got = await runHearken(['enqueue', '--redis', redis.url, '--queue', queue, '--wait', '--format', 'srt', '--out', join(dir, 'out'), ...files]);
    expect(ref.code).toBe(1);
    expect(got.code).toBe(1);
    const skipped = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('hearken: skipped'));
    expect(skipped(got.stderr)).toEqual(skipped(ref.stderr));
    expect(skipped(got.stderr)[0]).toMatch(/bad\.wav: AudioFormatError: /);
    expect(readOutputs(join(dir, 'out'))).toEqual(readOutputs(join(dir, 'ref')));
    // its job failed on its first try and stays failed: tried once
    const records = [...(await jobRecords(redis.url, queue)).values()].map((r) => JSON.parse(r) as { state: string; started: number });
    expect(records.filter((r) => r.state === 'failed')).toEqual([expect.objectContaining({ state: 'failed', started: 1 })]);
    expect(records.filter((r) => r.state === 'completed')).toHaveLength(2);
    // and the worker's /metrics counted them
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^hearken_queue_jobs_completed_total 2$/m);
    expect(metrics).toMatch(/^hearken_queue_jobs_failed_total\{reason="input"\} 1$/m);
    expect(metrics).toMatch(/^hearken_queue_audio_seconds_total [1-9]/m);
  }, 1_200_000);

  it('refuses a file over the size cap and a missing file before queueing them, naming each', async () => {
    const got = await runHearken(['enqueue', '--redis', redis.url, '--queue', 'cap', '--max-mb', '1', LONG, join(SAMPLES, 'no-such-file.wav'), join(SAMPLES, 'digit-8k-fsdd-7.wav')]);
    expect(got.code).toBe(1);
    expect(got.stderr).toMatch(/skipped .*long-librilight-248\.wav: AudioFormatError: .* is 2250924 bytes; the queue's limit is 1048576/);
    expect(got.stderr).toMatch(/skipped .*no-such-file\.wav: Error: ENOENT/);
    // the good file was queued: its job id and path on stdout
    expect(got.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^sha256-[0-9a-f]{64}\t.*digit-8k-fsdd-7\.wav$/)]);
    // a Redis that is not there: one error, at once
    const nobody = await runHearken(['enqueue', '--redis', `redis://127.0.0.1:${await freePort()}`, '--wait', join(SAMPLES, 'digit-8k-fsdd-7.wav')]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/^hearken: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
  }, 600_000);

  it('a running worker rides out a Redis restart and takes the jobs queued after it; with Redis gone, SIGTERM still stops it', async () => {
    const first = await startRedis();
    extraRedis.push(first);
    const worker = await startWorker(first.url, 'restart');
    await first.stop();
    await worker.waitForLine((l) => l.msg === 'Redis unreachable; retrying');
    const again = await startRedis(first.port);
    extraRedis.push(again);
    const got = await runHearken(['enqueue', '--redis', again.url, '--queue', 'restart', '--wait', join(SAMPLES, 'tts-espeak-fox.wav')]);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout.split(' ').length).toBeGreaterThan(3);
    expect(worker.child.exitCode).toBeNull();
    const seen = worker.lines.length;
    await again.stop();
    await worker.waitForLine((l) => l.msg === 'Redis unreachable; retrying' && worker.lines.indexOf(l) >= seen);
    process.kill(worker.pid, 'SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  }, 1_200_000);

  it('on SIGTERM a worker finishes the job it is on, then exits 0', async () => {
    const queue = 'term';
    const worker = await startWorker(redis.url, queue);
    const submitted = await runHearken(['enqueue', '--redis', redis.url, '--queue', queue, LONG]);
    expect(submitted.code, submitted.stderr).toBe(0);
    await worker.waitForLine((l) => l.msg === 'job started');
    process.kill(worker.pid, 'SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.lines.some((l) => l.msg === 'job completed' && l.file === LONG)).toBe(true);
    const [record] = [...(await jobRecords(redis.url, queue)).values()].map((r) => JSON.parse(r) as { state: string });
    expect(record?.state).toBe('completed');
  }, 1_200_000);
});
