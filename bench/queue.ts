/**
 * `npx tsx bench/queue.ts [--copies N] [--tiny N]`: the batch queue's throughput and overhead on this machine.
 *
 * Throughput: the WAV fixtures, N distinct copies of each (a chunk the decoder skips makes each copy another
 * job), transcribed through Redis by 1 and 2 `hearken worker` processes (started and warm beforehand), in hours
 * of audio per hour of wall time from the first submission to the last result. Overhead per job: M copies of a
 * 0.4 s file through one worker, which takes one job at a time: (wall time - recognizer time) / jobs, i.e.
 * submission, Redis round trips, base64, the temporary file and the thread hand-off (the recognizer's time
 * includes reading and decoding the audio). On a shared machine wall time measures the contention too, so the
 * workers' own CPU time is reported beside it: audio hours per CPU hour.
 * Writes bench/results/queue.json.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { TranscriptionQueue } from '../src/queue/enqueue.js';
import { SAMPLES, tempDir } from '../test/helpers.js';
import { startWorker } from '../test/queue/helpers.js';
import { startRedis } from '../test/services.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const COPIES = flag('--copies', 2);
const TINY = flag('--tiny', 60);

/** The WAV with an extra chunk ("hkcp", 4 bytes: the copy number) before its data: other bytes, same samples. */
function distinctCopy(wav: Buffer, copy: number): Buffer {
  const chunk = Buffer.alloc(12);
  chunk.write('hkcp', 0, 'ascii');
  chunk.writeUInt32LE(4, 4);
  chunk.writeUInt32LE(copy, 8);
  const out = Buffer.concat([wav.subarray(0, 12), chunk, wav.subarray(12)]);
  out.writeUInt32LE(wav.readUInt32LE(4) + 12, 4);
  return out;
}

function writeCopies(sources: string[], copies: number): string[] {
  const dir = tempDir('hearken-bench-queue-');
  const paths: string[] = [];
  for (let c = 0; c < copies; c++) {
    for (const source of sources) {
      const path = join(dir, `${c}-${source.split('/').pop()}`);
      writeFileSync(path, distinctCopy(readFileSync(source), c));
      paths.push(path);
    }
  }
  return paths;
}

interface Run {
  label: string;
  files: number;
  audioSeconds: number;
  wallSeconds: number;
  computeSeconds: number;
  /** CPU time the worker processes used (user + system, all threads; null off Linux). */
  cpuSeconds: number | null;
  /** Hours of audio transcribed per hour of wall time. */
  audioHoursPerHour: number;
}

/** A process's CPU time so far, from /proc (Linux), in seconds. */
function cpuSecondsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

async function queued(label: string, redis: string, paths: string[], workers: number): Promise<Run> {
  const name = `bench-${label.replace(/\W+/g, '-')}-${Date.now()}`;
  const started = await Promise.all(Array.from({ length: workers }, () => startWorker(redis, name)));
  const queue = new TranscriptionQueue({ redis, queue: name });
  try {
    const cpu0 = started.map((w) => cpuSecondsOf(w.pid));
    const t0 = performance.now();
    const outcomes = await Promise.all(paths.map(async (path) => queue.outcome((await queue.submitFile(path)).id)));
    const wall = (performance.now() - t0) / 1000;
    const cpu1 = started.map((w) => cpuSecondsOf(w.pid));
    const cpu = cpu0.every((c) => c !== null) && cpu1.every((c) => c !== null) ? cpu1.reduce((sum, c, i) => sum + c! - cpu0[i]!, 0) : null;
    let audio = 0;
    let compute = 0;
    for (const o of outcomes) {
      if (!o.ok) throw new Error(o.error);
      audio += o.value.audioSeconds;
      compute += o.value.computeSeconds;
    }
    return { label, files: paths.length, audioSeconds: audio, computeSeconds: compute, wallSeconds: wall, cpuSeconds: cpu, audioHoursPerHour: audio / wall };
  } finally {
    await queue.close();
    for (const w of started) await w.kill('SIGTERM');
  }
}

const redis = await startRedis();
try {
  const wavs = readdirSync(SAMPLES).filter((f) => f.endsWith('.wav')).map((f) => join(SAMPLES, f));
  const workload = writeCopies(wavs, COPIES);
  const tiny = writeCopies([join(SAMPLES, 'digit-8k-fsdd-7.wav')], TINY);
  const runs: Run[] = [];
  for (const [label, paths, workers] of [
    ['1 worker', workload, 1],
    ['2 workers', workload, 2],
    ['tiny files, 1 worker', tiny, 1],
  ] as const) {
    process.stderr.write(`${label} ...\n`);
    runs.push(await queued(label, redis.url, paths, workers));
  }
  // One worker takes one job at a time: wall time = recognizer time + everything else, per job.
  const tinyRun = runs.at(-1)!;
  const overheadMs = ((tinyRun.wallSeconds - tinyRun.computeSeconds) / tinyRun.files) * 1000;
  console.log('\n| run | files | audio s | wall s | audio h per wall h | worker CPU s | audio h per CPU h | RTF per job |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const perCpu = r.cpuSeconds === null ? '-' : (r.audioSeconds / r.cpuSeconds).toFixed(1);
    console.log(`| ${r.label} | ${r.files} | ${r.audioSeconds.toFixed(1)} | ${r.wallSeconds.toFixed(1)} | ${r.audioHoursPerHour.toFixed(1)} | ${r.cpuSeconds?.toFixed(1) ?? '-'} | ${perCpu} | ${(r.computeSeconds / r.audioSeconds).toFixed(3)} |`);
  }
  console.log(`\nqueue overhead per job (tiny files, 1 worker: wall minus recognizer time, per job): ${overheadMs.toFixed(1)} ms`);
  const dir = new URL('./results/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const result = { date: new Date().toISOString(), cpu: cpus()[0]?.model, cores: cpus().length, loadAverage1m: loadavg()[0], copies: COPIES, tiny: TINY, runs, overheadMsPerJob: overheadMs };
  writeFileSync(join(dir, 'queue.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`load average (1 min) at the end (the workers are 1-2 of it): ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  console.log('written to bench/results/queue.json');
} finally {
  await redis.stop();
}
