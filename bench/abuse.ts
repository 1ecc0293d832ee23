/**
 * Abuse benchmark for `hearken serve` (issue "Server and CLI under abuse"): each case runs a fresh server in a
 * child process, a normal real-time client beside the abusers, and reports the normal client's reply latency,
 * the server's RSS (start, peak, idle afterwards) and how the server ended (exit code on SIGTERM).
 *
 *   npx tsx bench/abuse.ts [--root <checkout>] [--cases shutdown,echo,bytes,flood,rate,nan,grammar] [--json out.json]
 *
 * --root runs the server of another checkout (e.g. a `git worktree` of an older commit, with node_modules linked)
 * through tsx, so before/after numbers come from this same script. Timing is reported, never asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { wavData } from './server.js';

const HERE = fileURLToPath(new URL('..', import.meta.url));
const CHUNK_BYTES = 3200; // 100 ms of 16 kHz s16le
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Server {
  child: ChildProcess;
  port: number;
  url: string;
  rss: { start: number; peak: number; samples: number[] };
  exited: Promise<{ code: number | null; signal: string | null; stderr: string }>;
  stopSampling(): void;
}

function rssMB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function modelArgs(root: string): string[] {
  const def = JSON.parse(readFileSync(join(root, 'models', 'default.json'), 'utf8')) as { acousticModel: string; languageModel?: string };
  const lm = def.languageModel ? join(root, 'models', def.languageModel) : '';
  return ['--model', join(root, 'models', def.acousticModel), ...(existsSync(lm) ? ['--lm', lm] : ['--no-lm'])];
}

async function startServer(root: string, extra: string[] = []): Promise<Server> {
  const args = ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'serve', '--port', '0', ...modelArgs(root), ...extra];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, HEARKEN_LOG_LEVEL: 'error' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr: stderr.slice(-2000) })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on ws:\/\/[^:]+:(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(({ code }) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  await sleep(1000);
  const start = rssMB(child.pid!);
  const rss = { start, peak: start, samples: [] as number[] };
  const timer = setInterval(() => {
    const v = rssMB(child.pid!);
    rss.samples.push(v);
    rss.peak = Math.max(rss.peak, v);
  }, 200);
  return { child, port, url: `ws://127.0.0.1:${port}`, rss, exited, stopSampling: () => clearInterval(timer) };
}

/** Stops the server with SIGTERM; its exit code and how long it took. */
async function stopServer(s: Server, timeoutMs = 60_000): Promise<{ exit: string; exitMs: number }> {
  const t0 = performance.now();
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), timeoutMs);
  const { code, signal, stderr } = await s.exited;
  clearTimeout(timer);
  s.stopSampling();
  const abort = /terminate called|Napi::Error/.test(stderr) ? ' (Napi::Error abort)' : '';
  return { exit: signal ? `signal ${signal}${abort}` : `${code}${abort}`, exitMs: Math.round(performance.now() - t0) };
}

function pcm(root: string, file: string): Buffer {
  return wavData(join(root, 'audio-samples', file));
}

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve({ code: 1006, reason: '' });
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

interface Live {
  latencies: number[];
  done: Promise<void>;
}

/** The normal client: `seconds` of real speech in real time (100 ms chunks), then eof; each reply's latency. */
function liveClient(url: string, audio: Buffer, seconds: number): Live {
  const live: Live = { latencies: [], done: Promise.resolve() };
  live.done = (async () => {
    const ws = await open(url);
    const sentAt: number[] = [];
    ws.on('message', () => {
      const at = sentAt.shift();
      if (at !== undefined && !Number.isNaN(at)) live.latencies.push(performance.now() - at);
    });
    const end = closed(ws);
    const bytes = Math.min(audio.length, Math.round(seconds * 32000));
    const t0 = performance.now();
    for (let i = 0, n = 0; i < bytes && ws.readyState === WebSocket.OPEN; i += CHUNK_BYTES, n++) {
      const wait = t0 + n * 100 - performance.now();
      if (wait > 0) await sleep(wait);
      sentAt.push(performance.now());
      ws.send(audio.subarray(i, Math.min(bytes, i + CHUNK_BYTES)));
    }
    sentAt.push(Number.NaN);
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ eof: 1 }));
    await Promise.race([end, sleep(240_000)]);
    ws.terminate();
    // Messages never answered count as waiting until the end, not as missing.
    for (const at of sentAt) if (!Number.isNaN(at)) live.latencies.push(performance.now() - at);
  })();
  return live;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}

interface CaseResult {
  case: string;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  rssStartMB: number;
  rssPeakMB: number;
  rssIdleAfterMB: number;
  exit: string;
  exitMs: number;
  notes: string;
}

/** Runs `abuse` beside a normal client on a fresh server; measures latency, RSS, and the exit on SIGTERM. */
async function runCase(name: string, root: string, liveSeconds: number, abuse: (s: Server) => Promise<string>, extra: string[] = []): Promise<CaseResult> {
  const server = await startServer(root, extra);
  const speech = pcm(root, 'long-librilight-248.wav');
  const live = liveClient(server.url, speech, liveSeconds);
  await sleep(2000);
  const notes = await abuse(server);
  await live.done;
  await sleep(5000); // idle: abusers gone, buffers may be released
  const rssIdleAfterMB = rssMB(server.child.pid!);
  const { exit, exitMs } = await stopServer(server);
  return {
    case: name,
    p50Ms: percentile(live.latencies, 50),
    p95Ms: percentile(live.latencies, 95),
    maxMs: percentile(live.latencies, 100),
    rssStartMB: Math.round(server.rss.start),
    rssPeakMB: Math.round(server.rss.peak),
    rssIdleAfterMB: Math.round(rssIdleAfterMB),
    exit,
    exitMs,
    notes,
  };
}

/** All 100 grammar clients share one address: lift the per-address cap where the server has one. */
function perAddressCapOff(root: string): string[] {
  return readFileSync(join(root, 'src', 'cli', 'serve.ts'), 'utf8').includes('--max-connections-per-address') ? ['--max-connections-per-address', '0'] : [];
}

const CASES: Record<string, (root: string) => Promise<CaseResult>> = {
  /** Baseline: the normal client alone. */
  baseline: (root) => runCase('baseline', root, 10, async () => ''),

  /** Broken 1: 4 streams queue ~300 s of audio each, then SIGTERM within the (default 10 s) grace. */
  shutdown: async (root) => {
    const server = await startServer(root, ['--max-queued-seconds', '1000']);
    const speech = pcm(root, 'long-librilight-248.wav');
    const clients = await Promise.all([0, 1, 2, 3].map(() => open(server.url)));
    const ends = clients.map(closed);
    for (const ws of clients) for (let s = 0; s < 300; s++) ws.send(speech.subarray((s % 60) * 32000, ((s % 60) + 1) * 32000));
    await Promise.all(clients.map((ws) => new Promise((r) => ws.once('message', r))));
    const { exit, exitMs } = await stopServer(server, 120_000);
    const codes = (await Promise.all(ends)).map((c) => `${c.code}${c.reason ? ` "${c.reason}"` : ''}`);
    return { case: 'shutdown', p50Ms: Number.NaN, p95Ms: Number.NaN, maxMs: Number.NaN, rssStartMB: Math.round(server.rss.start), rssPeakMB: Math.round(server.rss.peak), rssIdleAfterMB: Number.NaN, exit, exitMs, notes: `close codes: ${codes.join(', ')}` };
  },

  /** Broken 2: four error replies echoing a 64 KB unknown key. */
  echo: (root) =>
    runCase('echo', root, 10, async (s) => {
      const t0 = performance.now();
      const codes = await Promise.all(
        [0, 1, 2, 3].map(async (i) => {
          const ws = await open(s.url);
          const end = closed(ws);
          ws.send(JSON.stringify({ config: { [String(i).repeat(65_000)]: 1 } }));
          return (await end).code;
        }),
      );
      return `abusers closed ${codes.join(',')} after ${Math.round(performance.now() - t0)} ms`;
    }),

  /** Broken 3: 16 clients at sample_rate 1000 each send one 1 MiB frame (524 s of audio) and leave. */
  bytes: (root) =>
    runCase('bytes', root, 20, async (s) => {
      const frame = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < frame.length; i += 2) frame.writeInt16LE(Math.round((Math.random() - 0.5) * 2000), i);
      const codes = await Promise.all(
        Array.from({ length: 16 }, async () => {
          const ws = await open(s.url);
          const end = closed(ws);
          ws.send(JSON.stringify({ config: { sample_rate: 1000 } }));
          ws.send(frame);
          await sleep(200);
          ws.close();
          return (await end).code;
        }),
      );
      return `abusers closed ${codes.join(',')}`;
    }),

  /** Broken 4: one client floods empty binary frames for 10 s; /healthz latency sampled meanwhile. */
  flood: (root) =>
    runCase('flood', root, 15, async (s) => {
      const ws = await open(s.url);
      const end = closed(ws);
      ws.on('message', () => undefined);
      let sent = 0;
      const health: number[] = [];
      const until = performance.now() + 10_000;
      const probe = (async () => {
        while (performance.now() < until) {
          const t = performance.now();
          await fetch(`http://127.0.0.1:${s.port}/healthz`).then((r) => r.text(), () => '');
          health.push(performance.now() - t);
          await sleep(500);
        }
      })();
      while (performance.now() < until && ws.readyState === WebSocket.OPEN) {
        if (ws.bufferedAmount < 1 << 20) {
          ws.send(Buffer.alloc(0));
          sent++;
        }
        if (sent % 200 === 0) await new Promise((r) => setImmediate(r));
      }
      await probe;
      ws.terminate();
      const code = ws.readyState === WebSocket.CLOSED ? (await end).code : 'open';
      return `sent ${sent} empty frames; flooder ${code}; /healthz p50 ${percentile(health, 50)} ms max ${percentile(health, 100)} ms`;
    }),

  /** Weak: a 384 kHz stream (config accepted up to 768 kHz). */
  rate: (root) =>
    runCase('rate', root, 6, async (s) => {
      const ws = await open(s.url);
      const replies: string[] = [];
      ws.on('message', (d) => replies.push(d.toString().slice(0, 80)));
      const end = closed(ws);
      ws.send(JSON.stringify({ config: { sample_rate: 384_000 } }));
      ws.send(Buffer.alloc(76_800));
      ws.send(JSON.stringify({ eof: 1 }));
      const c = await end;
      return `384 kHz: close ${c.code}; replies ${JSON.stringify(replies)}`;
    }),

  /** Weak: f32le NaN / Inf samples. */
  nan: (root) =>
    runCase('nan', root, 6, async (s) => {
      const out: string[] = [];
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const ws = await open(s.url);
        const replies: string[] = [];
        ws.on('message', (d) => replies.push(d.toString().slice(0, 80)));
        const end = closed(ws);
        ws.send(JSON.stringify({ config: { format: 'f32le' } }));
        ws.send(Buffer.from(new Float32Array(16000).fill(value).buffer));
        ws.send(JSON.stringify({ eof: 1 }));
        const c = await end;
        out.push(`${value}: close ${c.code} ${JSON.stringify(replies.at(-1) ?? '')}`);
      }
      return out.join('; ');
    }),

  /** Weak: 100 configs with a large phrase_list (~19 000 characters, 1000 phrases; each list different). */
  grammar: (root) =>
    runCase('grammar', root, 12, async (s) => {
      const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike'];
      const t0 = performance.now();
      const codes = await Promise.all(
        Array.from({ length: 100 }, async (_, k) => {
          const list = Array.from({ length: 1000 }, (_, i) => `${words[(i + k) % words.length]} ${words[(i * 7 + k) % words.length]} ${words[(i * 3 + 2 * k) % words.length]}`.slice(0, 19));
          const ws = await open(s.url).catch(() => null);
          if (!ws) return 'refused';
          const end = closed(ws);
          ws.send(JSON.stringify({ config: { phrase_list: list } }));
          ws.send(Buffer.alloc(3200));
          ws.send(JSON.stringify({ eof: 1 }));
          return (await end).code;
        }),
      );
      const tally = new Map<string | number, number>();
      for (const c of codes) tally.set(c, (tally.get(c) ?? 0) + 1);
      return `100 grammar streams done in ${Math.round(performance.now() - t0)} ms; closes ${[...tally].map(([c, n]) => `${c} x${n}`).join(', ')}`;
    }, perAddressCapOff(root)),
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { root: { type: 'string' }, cases: { type: 'string' }, json: { type: 'string' } } });
  const root = values.root ?? HERE;
  const names = values.cases ? values.cases.split(',') : Object.keys(CASES);
  const results: CaseResult[] = [];
  for (const name of names) {
    const run = CASES[name];
    if (!run) throw new Error(`unknown case ${name} (known: ${Object.keys(CASES).join(', ')})`);
    const r = await run(root);
    results.push(r);
    process.stdout.write(
      `${r.case.padEnd(9)} p50 ${r.p50Ms} ms  p95 ${r.p95Ms} ms  max ${r.maxMs} ms  RSS ${r.rssStartMB} -> peak ${r.rssPeakMB} -> idle ${r.rssIdleAfterMB} MB  exit ${r.exit} in ${r.exitMs} ms  ${r.notes}\n`,
    );
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ root, results }, null, 2)}\n`);
}

await main();
// Sockets of abusive clients the server never closed may hold the loop open.
process.exit(0);
