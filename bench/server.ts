/**
 * Live server benchmark: how many real-time streams `hearken serve` sustains with p95 reply latency within
 * 250 ms, its RSS at idle and per stream, and a bounded soak (memory flat, transcripts identical to batch).
 *
 *   npx tsx bench/server.ts [--steps 8,16,32,64,96,128] [--step-seconds 10] [--soak-streams 16] [--soak-seconds 60]
 *
 * The same settings may come from HEARKEN_BENCH_STEPS, HEARKEN_BENCH_STEP_SECONDS, HEARKEN_SOAK_STREAMS and
 * HEARKEN_SOAK_SECONDS. The server runs in a child process (so its RSS is its own); the clients run here.
 * Latency is measured by the client, from sending a 100 ms chunk to receiving its reply, which bounds the
 * server-side latency (last sample arriving → reply sent) from above.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createRecognizer, defaultModels } from '../src/recognizer/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SAMPLES = join(ROOT, 'audio-samples');
const FILES = ['librilight-248-130644-0000.wav', 'librilight-831-130739-0004.wav', 'librilight-831-130739-0011.wav', 'tts-flite-stella.wav', 'tts-espeak-fox.wav'];
const CHUNK_MS = 100;
const CHUNK_BYTES = (16000 * 2 * CHUNK_MS) / 1000;
const LATENCY_TARGET_MS = 250;

export interface ServerBenchOptions {
  /** Stream counts tried in turn until one fails the latency target. Default 8, 16, 32, 64, 96, 128. */
  steps?: number[];
  /** Seconds of real-time audio per stream at each step. Default 10. */
  stepSeconds?: number;
  soakStreams?: number;
  /** 0 skips the soak. Default 60. */
  soakSeconds?: number;
  /** Decode workers. Default: one per core. */
  workers?: number;
  log?: (line: string) => void;
}

export interface StepResult {
  streams: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  replies: number;
  expected: number;
  sustained: boolean;
  rssMB: number;
}

export interface ServerBenchResult {
  model: string;
  decoding: string;
  workers: number;
  cores: number;
  idleRssMB: number;
  perStreamMB: number | null;
  steps: StepResult[];
  maxRealTimeStreams: number;
  soak: { streams: number; seconds: number; utterances: number; mismatches: number; rssMB: number[]; rssGrowthMB: number } | null;
}

function modelSetup(): { model: string; args: string[]; decoding: 'beam' | 'greedy'; lm: string | false } {
  const def = join(ROOT, 'models', 'default.json');
  if (existsSync(def)) {
    const json = JSON.parse(readFileSync(def, 'utf8')) as { acousticModel: string };
    const lm = defaultModels().languageModel ?? '';
    const model = join(ROOT, 'models', json.acousticModel);
    return existsSync(lm)
      ? { model, args: ['--model', model, '--lm', lm], decoding: 'beam', lm }
      : { model, args: ['--model', model, '--no-lm'], decoding: 'beam', lm: false };
  }
  const tiny = join(ROOT, 'test', 'fixtures', 'tiny-model');
  return { model: tiny, args: ['--model', tiny, '--greedy'], decoding: 'greedy', lm: false };
}

/** The data chunk (raw PCM bytes) of a WAV file. */
export function wavData(path: string): Buffer {
  const buf = readFileSync(path);
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const size = buf.readUInt32LE(pos + 4);
    if (buf.toString('ascii', pos, pos + 4) === 'data') return buf.subarray(pos + 8, pos + 8 + size);
    pos += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

function pcm(file: string): Buffer {
  return wavData(join(SAMPLES, file));
}

function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Newest modification time of the files below `dir`, in ms. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * bin/hearken.js runs dist/ when it exists, so a build older than the source would measure (and compare against
 * batch) code that is no longer the source's.
 */
function assertBuildCurrent(): void {
  const compiled = join(ROOT, 'dist', 'cli.js');
  if (existsSync(compiled) && newestMtime(join(ROOT, 'src')) > statSync(compiled).mtimeMs) {
    throw new Error('dist/ is older than src/: the server would run stale code; run `npm run build` first');
  }
}

async function startServer(args: string[], workers: number): Promise<{ child: ChildProcess; port: number }> {
  assertBuildCurrent();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'hearken.js'), 'serve', '--port', '0', '--workers', String(workers), '--max-connections', '2000', '--max-connections-per-address', '0', '--idle-timeout', '0', ...args], {
    env: { ...process.env, HEARKEN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on ws:\/\/[^:]+:(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  return { child, port };
}

interface LiveStream {
  latencies: number[];
  replies: number;
  sent: number;
  results: string[];
  done: Promise<void>;
}

/** Plays `audio` in real time (100 ms chunks), then eof; records each reply's latency. */
function liveStream(url: string, audio: Buffer, startDelayMs: number, maxSeconds: number): LiveStream {
  const s: LiveStream = { latencies: [], replies: 0, sent: 0, results: [], done: Promise.resolve() };
  s.done = (async () => {
    await sleep(startDelayMs);
    const ws = new WebSocket(url);
    const sentAt: number[] = [];
    ws.on('message', (data) => {
      const t = performance.now();
      const at = sentAt.shift();
      s.replies++;
      const msg = JSON.parse(data.toString()) as { partial?: string; text?: string };
      if (msg.text !== undefined) s.results.push(msg.text);
      // Replies come one per message, in order: the oldest send time is this reply's (NaN for eof).
      if (at !== undefined) s.latencies.push(t - at);
    });
    const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ config: { sample_rate: 16000 } }));
    const bytes = Math.min(audio.length, Math.round(maxSeconds * 32000));
    const t0 = performance.now();
    for (let i = 0, n = 0; i < bytes; i += CHUNK_BYTES, n++) {
      const due = t0 + n * CHUNK_MS;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sentAt.push(performance.now());
      ws.send(audio.subarray(i, Math.min(bytes, i + CHUNK_BYTES)));
      s.sent++;
    }
    ws.send(JSON.stringify({ eof: 1 }));
    s.sent++;
    sentAt.push(Number.NaN); // the eof reply is not a partial
    await closed;
  })();
  return s;
}

function loopAudio(seconds: number, offset: number): Buffer {
  const all = Buffer.concat(FILES.map(pcm));
  const bytes = Math.round(seconds * 32000) & ~1;
  const out = Buffer.alloc(bytes);
  let o = 0;
  let at = (offset * 32000 * 3) % all.length & ~1;
  while (o < bytes) {
    const n = Math.min(bytes - o, all.length - at);
    all.copy(out, o, at, at + n);
    o += n;
    at = (at + n) % all.length;
  }
  return out;
}

export async function benchServer(options: ServerBenchOptions = {}): Promise<ServerBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const steps = options.steps ?? [8, 16, 32, 64, 96, 128];
  const stepSeconds = options.stepSeconds ?? 10;
  const soakStreams = options.soakStreams ?? 16;
  const soakSeconds = options.soakSeconds ?? 60;
  const workers = options.workers ?? availableParallelism();
  const setup = modelSetup();
  const { child, port } = await startServer(setup.args, workers);
  const url = `ws://127.0.0.1:${port}`;
  const result: ServerBenchResult = {
    model: setup.model,
    decoding: setup.decoding,
    workers,
    cores: availableParallelism(),
    idleRssMB: 0,
    perStreamMB: null,
    steps: [],
    maxRealTimeStreams: 0,
    soak: null,
  };
  try {
    await sleep(1000);
    result.idleRssMB = rssMB(child.pid!);
    log(`server: ${setup.decoding} decoding, model ${setup.model}, ${workers} workers on ${result.cores} cores; idle RSS ${result.idleRssMB.toFixed(1)} MB`);

    for (const n of steps) {
      const streams = Array.from({ length: n }, (_, i) => liveStream(url, loopAudio(stepSeconds, i), (i * CHUNK_MS) / n, stepSeconds));
      // RSS with every stream open, mid-way.
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMB(child.pid!))), 500);
      await Promise.all(streams.map((s) => s.done));
      clearInterval(sampler);
      const lat = streams.flatMap((s) => s.latencies.filter((x) => Number.isFinite(x))).sort((a, b) => a - b);
      const replies = streams.reduce((a, s) => a + s.replies, 0);
      const expected = streams.reduce((a, s) => a + s.sent, 0);
      const step: StepResult = {
        streams: n,
        p50Ms: percentile(lat, 50),
        p95Ms: percentile(lat, 95),
        maxMs: lat.at(-1) ?? 0,
        replies,
        expected,
        sustained: replies === expected && percentile(lat, 95) <= LATENCY_TARGET_MS,
        rssMB: peak,
      };
      result.steps.push(step);
      log(`${String(n).padStart(4)} real-time streams: reply latency p50 ${step.p50Ms.toFixed(0)} ms, p95 ${step.p95Ms.toFixed(0)} ms, max ${step.maxMs.toFixed(0)} ms; ${replies}/${expected} replies; peak RSS ${peak.toFixed(1)} MB${step.sustained ? '' : '  ← over target'}`);
      if (step.sustained) {
        result.maxRealTimeStreams = n;
        result.perStreamMB = (peak - result.idleRssMB) / n;
      } else break;
      await sleep(500);
    }
    if (result.perStreamMB !== null) log(`RSS per stream (peak at ${result.maxRealTimeStreams} streams − idle) / streams: ${result.perStreamMB.toFixed(2)} MB`);
    log(`max real-time streams with p95 ≤ ${LATENCY_TARGET_MS} ms: ${result.maxRealTimeStreams}`);

    if (soakSeconds > 0) result.soak = await soak(url, child.pid!, soakStreams, soakSeconds, setup, log);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  return result;
}

/** `streams` clients each play fixture files in real time, one connection per file, until `seconds` pass. */
async function soak(url: string, pid: number, streams: number, seconds: number, setup: ReturnType<typeof modelSetup>, log: (l: string) => void): Promise<NonNullable<ServerBenchResult['soak']>> {
  const recognizer = await createRecognizer({ model: setup.model, decoding: setup.decoding, lm: setup.lm });
  const expected = new Map<string, string>();
  for (const f of FILES) expected.set(f, (await recognizer.transcribeFile(join(SAMPLES, f))).text);
  await recognizer.close();
  const audio = new Map(FILES.map((f) => [f, pcm(f)]));
  const deadline = performance.now() + seconds * 1000;
  const rss: number[] = [rssMB(pid)];
  const sampler = setInterval(() => rss.push(rssMB(pid)), 5000);
  let utterances = 0;
  let mismatches = 0;
  await Promise.all(
    Array.from({ length: streams }, async (_, i) => {
      let k = i;
      while (performance.now() < deadline) {
        const file = FILES[k++ % FILES.length]!;
        const s = liveStream(url, audio.get(file)!, i === 0 || k > i + 1 ? 0 : (i * 1000) / streams, 1e9);
        await s.done;
        utterances++;
        if (s.results.filter(Boolean).join(' ') !== expected.get(file)) mismatches++;
      }
    }),
  );
  clearInterval(sampler);
  rss.push(rssMB(pid));
  const warm = rss[Math.min(1, rss.length - 1)]!;
  const growth = rss.at(-1)! - warm;
  log(`soak: ${streams} streams × ${seconds} s: ${utterances} files streamed, ${mismatches} transcripts differing from batch; RSS ${rss.map((x) => x.toFixed(0)).join(' → ')} MB (growth after warm-up ${growth.toFixed(1)} MB)`);
  return { streams, seconds, utterances, mismatches, rssMB: rss, rssGrowthMB: growth };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: process.env.HEARKEN_BENCH_STEPS },
      'step-seconds': { type: 'string', default: process.env.HEARKEN_BENCH_STEP_SECONDS },
      'soak-streams': { type: 'string', default: process.env.HEARKEN_SOAK_STREAMS },
      'soak-seconds': { type: 'string', default: process.env.HEARKEN_SOAK_SECONDS },
      workers: { type: 'string' },
    },
  });
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const out = await benchServer({
    steps: values.steps?.split(',').map(Number),
    stepSeconds: num(values['step-seconds']),
    soakStreams: num(values['soak-streams']),
    soakSeconds: num(values['soak-seconds']),
    workers: num(values.workers),
  });
  console.log(JSON.stringify(out, null, 2));
}
