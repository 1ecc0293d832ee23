import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { createServer, type HearkenServer, type ServerOptions } from '../../src/server/index.js';
import { createRecognizer, defaultModels, type Recognizer } from '../../src/recognizer/index.js';
import { ROOT, SAMPLES, TINY_MODEL, defaultModelDir } from '../helpers.js';

/** The shipped model once it exists (beam search with the shipped LM if present), else the tiny random one (greedy). */
export const REAL_MODEL = defaultModelDir();
export const MODEL = REAL_MODEL ?? TINY_MODEL;
const LM_PATH = REAL_MODEL ? defaultModels().languageModel ?? '' : '';
export const DECODING = REAL_MODEL
  ? ({ decoding: 'beam' as const, lm: existsSync(LM_PATH) ? LM_PATH : (false as const) })
  : ({ decoding: 'greedy' as const, lm: false as const });

export const quiet = pino({ level: 'silent' });

export async function startServer(options: ServerOptions = {}): Promise<{ server: HearkenServer; url: string; http: string }> {
  const server = createServer({ port: 0, host: '127.0.0.1', model: MODEL, ...DECODING, workers: 1, logger: quiet, processMetrics: false, ...options });
  const address = await server.listen();
  return { server, url: `ws://127.0.0.1:${address.port}`, http: `http://127.0.0.1:${address.port}` };
}

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  /** The exit code (null: killed by `signal`) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * `hearken serve` in a child process, run from the TypeScript sources (not dist/, which may be stale), with the
 * test model; resolves once it listens.
 */
export async function spawnServe(extra: string[] = []): Promise<ServeProcess> {
  const args = ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'serve', '--port', '0', '--workers', '1', '--model', MODEL];
  if (DECODING.decoding === 'greedy') args.push('--greedy');
  else if (DECODING.lm === false) args.push('--no-lm');
  else args.push('--lm', DECODING.lm);
  const child = spawn(process.execPath, [...args, ...extra], { cwd: ROOT, env: { ...process.env, HEARKEN_LOG_LEVEL: 'warn' }, stdio: 'pipe' });
  let stderr = '';
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on ws:\/\/[^:]+:(\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    void exited.then(({ code }) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, port, exited };
}

export function batchRecognizer(options: { endpoint?: ServerOptions['endpoint'] } = {}): Promise<Recognizer> {
  return createRecognizer({ model: MODEL, ...DECODING, endpoint: options.endpoint });
}

/** The raw data chunk of a 16-bit PCM WAV, and its format. */
export function wavPcm(file: string): { bytes: Buffer; sampleRate: number; channels: number; bits: number } {
  const buf = readFileSync(file.includes('/') ? file : join(SAMPLES, file));
  let pos = 12;
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(pos + 10);
      sampleRate = buf.readUInt32LE(pos + 12);
      bits = buf.readUInt16LE(pos + 22);
    } else if (id === 'data') {
      return { bytes: buf.subarray(pos + 8, pos + 8 + size), sampleRate, channels, bits };
    }
    pos += 8 + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

export interface Closed {
  code: number;
  reason: string;
}

/** A client written against Vosk's documented protocol: JSON replies, queued in arrival order. */
export class VoskClient {
  readonly ws: WebSocket;
  readonly messages: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];
  private read = 0;
  readonly closed: Promise<Closed>;
  readonly opened: Promise<void>;

  constructor(url: string, options?: WebSocket.ClientOptions) {
    this.ws = new WebSocket(url, options);
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
      for (const w of this.waiters.splice(0)) w();
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const w of this.waiters.splice(0)) w();
    }));
    this.ws.on('error', () => undefined);
  }

  static async connect(url: string, options?: WebSocket.ClientOptions): Promise<VoskClient> {
    const c = new VoskClient(url, options);
    await c.opened;
    return c;
  }

  send(data: string | Buffer | Uint8Array | Record<string, unknown>): void {
    this.ws.send(typeof data === 'object' && !(data instanceof Uint8Array) ? JSON.stringify(data) : data);
  }

  /** The next reply not yet read (waits for it), or null if the socket closes first. */
  async next(timeoutMs = 20_000): Promise<Record<string, unknown> | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.read >= this.messages.length) {
      if (this.ws.readyState === WebSocket.CLOSED) return null;
      if (Date.now() > deadline) throw new Error(`no reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.messages[this.read++]!;
  }

  /** Vosk's test.py rhythm: send one chunk, wait for its reply. */
  async exchange(data: string | Buffer | Uint8Array | Record<string, unknown>): Promise<Record<string, unknown> | null> {
    this.send(data);
    return this.next();
  }
}

export function chunks(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Joins the texts of a stream's results (mid-stream results, then the final). */
export function joinedText(results: Record<string, unknown>[]): string {
  return results
    .map((r) => r.text as string)
    .filter((t) => t !== '')
    .join(' ');
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function metricValue(server: HearkenServer, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await server.metrics.registry.getSingleMetric(name)?.get();
  const entry = metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return entry?.value ?? 0;
}
