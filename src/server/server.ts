/**
 * `hearken serve`: live transcription over a Vosk-compatible WebSocket, plus /healthz, /metrics and a
 * browser captions page, all on one port. See docs/protocol.md.
 */
import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pino, type Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { PortableRecognizerOptions } from '../recognizer/recognizer.js';
import type { EndpointConfig } from '../recognizer/endpoint.js';
import { checkRecognizerOptions } from '../recognizer/options-validation.js';
import { languageModelPath } from '../recognizer/recognizer.js';
import { loadSharedLM } from '../lm/shared.js';
import { ServerMetrics } from './metrics.js';
import { AudioBudget } from './budget.js';
import { DecodePool } from './pool.js';
import { defaultStreamConfig, echo } from './protocol.js';
import { Session } from './session.js';


/** Where the captions page lives (beside src/ and dist/). */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

export interface ServerOptions {
  /** Port to listen on; 0 picks a free one. Default 2700 (Vosk's). */
  port?: number;
  /** Interface to bind. Default '127.0.0.1' (local only; use '0.0.0.0' to serve the network). */
  host?: string;
  /** Acoustic model folder. Default: the shipped model (models/default.json). */
  model?: string;
  /** Language model file (binary or ARPA), or false for none. Default: the shipped LM. */
  lm?: string | false;
  /** 'beam' (default; LM and hotwords) or 'greedy'. */
  decoding?: 'beam' | 'greedy';
  /** Server-wide endpointing (streams may override it in their config); false: one utterance per stream. Default: the recognizer's (2.4 / 1.2 / 20 s). */
  endpoint?: Partial<EndpointConfig> | false;
  /** Further recognizer settings (beam width, alpha, beta, ...); merged under the options above. Default {}. */
  recognizer?: PortableRecognizerOptions;
  /** Decode worker threads, each with its own model session and window batcher. Default: one per core. */
  workers?: number;
  /** Most model windows per batched ORT call in a worker. Default 32. */
  maxBatch?: number;
  /** Most open WebSocket streams; further upgrades get HTTP 503. Default 256. */
  maxConnections?: number;
  /** Largest binary (audio) message in bytes; larger ones get an error and close 1009. Default 1 MiB (32 s of 16 kHz s16). */
  maxPayload?: number;
  /** Largest text (JSON) message in bytes; larger ones get an error and close 1009. Default 64 KiB. */
  maxTextPayload?: number;
  /** Audio seconds a stream may have waiting for its decoder before the server stops reading its socket. Default 10. */
  maxQueuedSeconds?: number;
  /** Most audio seconds in one binary message, whatever its rate (larger: error, 1009). Default 32 (1 MiB of 16 kHz s16). */
  maxMessageSeconds?: number;
  /** Audio seconds all streams together may have waiting; streams that find it spent are paused. Default 300. */
  maxServerQueuedSeconds?: number;
  /** Messages a stream may have awaiting replies before its socket is paused (empty frames count too). Default 100. */
  maxQueuedMessages?: number;
  /** Messages per second a connection may send on average (bursts of as many); beyond, it is not read until the budget refills. Default 200. */
  maxMessageRate?: number;
  /** Bytes of replies a client may leave unread before its socket is paused. Default 1 MiB. */
  maxUnreadReplyBytes?: number;
  /** Most open streams from one remote address (further upgrades: HTTP 503); 0: no cap. Default 64. */
  maxConnectionsPerAddress?: number;
  /** Close a stream (error, 1008) after this long without audio (empty frames and commands do not count); 0 disables. Default 60 000 ms. */
  idleTimeoutMs?: number;
  /** If set, WebSocket clients and /metrics must send `Authorization: Bearer <token>` or `?token=<token>` (else HTTP 401). Default: none. */
  authToken?: string;
  /** Browser origins allowed besides the server's own; upgrades with any other Origin get HTTP 403 (requests without Origin pass). Default: none. */
  allowedOrigins?: string[];
  /** Audio before a `config` message is an error (1008). Default false: Vosk's behaviour, 16 kHz s16le. */
  requireConfig?: boolean;
  /** Numbers as numerals in every stream whose config does not say `"numerals": false` (StreamOptions.numerals). Default false. */
  numerals?: boolean;
  /** Punctuation and case in every stream whose config does not say `"punctuate": false` (StreamOptions.punctuate). Default false. */
  punctuate?: boolean;
  /** Sample rate assumed until a config names one. Default 16000. */
  defaultSampleRate?: number;
  /** How long close() waits for streams to finish and clients to acknowledge before dropping them. Default 10 000 ms. */
  shutdownTimeoutMs?: number;
  /** pino logger. Default: pino at level $HEARKEN_LOG_LEVEL or 'info', JSON to stdout. */
  logger?: Logger;
  /** Folder served at / (the captions page), or false to serve no page. Default: the package's public/. */
  publicDir?: string | false;
  /** Collect prom-client's default process metrics (CPU, RSS, event loop lag). Default true. */
  processMetrics?: boolean;
}

export interface HearkenServer {
  /** Loads the model in every worker, then listens. Resolves with the bound address. */
  listen(): Promise<AddressInfo>;
  /** Graceful shutdown: stops accepting, finalises open streams, sends their results, closes them with 1001. */
  close(): Promise<void>;
  /** The bound address once listening, else null. */
  readonly address: AddressInfo | null;
  readonly metrics: ServerMetrics;
  /** Open streams. */
  readonly activeStreams: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** After the grace, how long streams get to send their final result before their sockets are dropped. */
const ABANDON_TIMEOUT_MS = 10_000;

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return done;
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request carries the token: `Authorization: Bearer <token>` or `?token=<token>`. */
function authorized(req: IncomingMessage, url: URL, token: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  return tokenMatches(bearer ?? url.searchParams.get('token') ?? '', token);
}

/**
 * A browser's Origin may open streams if it is the server's own (the captions page: its host is the request's
 * Host) or listed; anything else (another site's page, "null" from files and sandboxes) is refused.
 */
function originAllowed(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    const { protocol, host: originHost } = new URL(origin);
    return (protocol === 'http:' || protocol === 'https:') && host !== undefined && originHost === host.toLowerCase();
  } catch {
    return false;
  }
}

export function createServer(options: ServerOptions = {}): HearkenServer {
  const recognizer: PortableRecognizerOptions = { ...options.recognizer };
  if (options.model !== undefined) recognizer.model = options.model;
  if (options.lm !== undefined) recognizer.lm = options.lm;
  if (options.decoding !== undefined) recognizer.decoding = options.decoding;
  if (options.endpoint !== undefined) recognizer.endpoint = options.endpoint;
  // as createRecognizer checks them, but now, not later in each decode worker
  checkRecognizerOptions(recognizer);
  const log = options.logger ?? pino({ name: 'hearken', level: process.env.HEARKEN_LOG_LEVEL ?? 'info' });
  const metrics = new ServerMetrics(options.processMetrics ?? true);
  const limits = {
    maxPayload: options.maxPayload ?? 1024 * 1024,
    maxTextPayload: options.maxTextPayload ?? 64 * 1024,
    maxQueuedSeconds: options.maxQueuedSeconds ?? 10,
    maxMessageSeconds: options.maxMessageSeconds ?? 32,
    maxQueuedMessages: options.maxQueuedMessages ?? 100,
    maxMessageRate: options.maxMessageRate ?? 200,
    maxUnreadReplyBytes: options.maxUnreadReplyBytes ?? 1024 * 1024,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    requireConfig: options.requireConfig ?? false,
    shutdownGraceMs: Math.min(2000, options.shutdownTimeoutMs ?? 10_000),
  };
  const maxConnections = options.maxConnections ?? 256;
  const maxPerAddress = options.maxConnectionsPerAddress ?? 64;
  const perAddress = new Map<string, number>();
  const budget = new AudioBudget(options.maxServerQueuedSeconds ?? 300);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const publicDir = options.publicDir === undefined ? PUBLIC_DIR : options.publicDir;
  const defaults = { ...defaultStreamConfig(options.defaultSampleRate ?? 16000), numerals: options.numerals, punctuate: options.punctuate };
  const sessions = new Set<Session>();
  let pool: DecodePool | null = null;
  let nextId = 1;
  let shuttingDown = false;
  let closing: Promise<void> | null = null;
  let bound: AddressInfo | null = null;

  // ws enforces a hard frame limit above ours, so that messages somewhat over the limit still get a JSON
  // error reply; beyond twice the limit ws closes with 1009 itself, without reading the rest.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * Math.max(limits.maxPayload, limits.maxTextPayload) + 1024, clientTracking: false });

  const http = createHttpServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      log.error({ err }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/healthz') {
      const ok = pool !== null && !shuttingDown;
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json', Connection: ok ? 'keep-alive' : 'close' });
      res.end(JSON.stringify({ status: ok ? 'ok' : shuttingDown ? 'draining' : 'starting', streams: sessions.size, workers: pool?.size ?? 0 }));
      return;
    }
    if (url.pathname === '/metrics') {
      if (options.authToken !== undefined && !authorized(req, url, options.authToken)) {
        res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' }).end('missing or wrong token\n');
        return;
      }
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
      res.end(body);
      return;
    }
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    if (publicDir && /^[a-z0-9][a-z0-9._-]*\.(html|js|css|svg)$/i.test(name) && !name.includes('..')) {
      try {
        const body = await readFile(join(publicDir, name));
        res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      } catch {
        // fall through to 404
      }
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  }

  function reject(socket: Duplex, status: number, reason: string, message: string): void {
    metrics.rejected.inc({ reason });
    log.info({ status, reason }, 'websocket upgrade rejected');
    const body = `${message}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    if (shuttingDown || !pool) return reject(socket, 503, 'shutdown', 'server is not accepting streams');
    if (sessions.size >= maxConnections) return reject(socket, 503, 'capacity', `server is at its limit of ${maxConnections} streams`);
    const address = req.socket.remoteAddress ?? '';
    if (maxPerAddress > 0 && (perAddress.get(address) ?? 0) >= maxPerAddress) {
      return reject(socket, 503, 'address', `at most ${maxPerAddress} streams per client address`);
    }
    if (options.authToken !== undefined && !authorized(req, new URL(req.url ?? '/', 'http://localhost'), options.authToken)) {
      return reject(socket, 401, 'auth', 'missing or wrong token');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, req.headers.host, options.allowedOrigins ?? [])) {
      return reject(socket, 403, 'origin', `origin ${echo(origin)} is not allowed`);
    }
    const current = pool;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const id = nextId++;
      const session = new Session(id, ws, defaults, current, metrics, limits, budget, log, (s) => {
        sessions.delete(s);
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left > 0) perAddress.set(address, left);
        else perAddress.delete(address);
        metrics.activeStreams.dec();
      });
      sessions.add(session);
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      metrics.activeStreams.inc();
      metrics.connections.inc();
      log.debug({ stream: id, remote: req.socket.remoteAddress }, 'stream opened');
    });
  });

  return {
    get address() {
      return bound;
    },
    get metrics() {
      return metrics;
    },
    get activeStreams() {
      return sessions.size;
    },
    async listen() {
      if (bound) return bound;
      const workers = options.workers ?? availableParallelism();
      // One copy of the LM for all workers, instead of one per worker.
      const lmPath = languageModelPath(recognizer);
      const sharedLm = lmPath === null ? undefined : await loadSharedLM(lmPath);
      const started = await DecodePool.start(workers, { recognizer, sharedLm, maxBatch: options.maxBatch ?? 32 });
      started.onBusy = (computeMs, busyMs) => {
        metrics.decodeSeconds.inc(computeMs / 1000);
        if (busyMs > 0) metrics.busySeconds.inc(busyMs / 1000);
      };
      started.onWorkerError = (err) => log.error({ err: err.message }, 'decode worker failed; restarting it');
      pool = started;
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(options.port ?? 2700, options.host ?? '127.0.0.1', () => {
          http.off('error', reject);
          resolve();
        });
      }).catch(async (err: unknown) => {
        pool = null;
        await started.close();
        throw err;
      });
      bound = http.address() as AddressInfo;
      log.info({ host: bound.address, port: bound.port, workers }, 'hearken server listening');
      return bound;
    },
    close() {
      closing ??= (async () => {
        // Draining: /healthz answers 503 (so a load balancer stops sending), upgrades get 503, open streams
        // are finalised. The listener stays open until the end so health checks get an answer, not a refusal.
        shuttingDown = true;
        log.info({ streams: sessions.size }, 'shutting down: draining open streams');
        const open = [...sessions];
        for (const s of open) s.shutdown();
        const all = Promise.all(open.map((s) => s.closed));
        if (!(await settlesWithin(all, shutdownTimeoutMs))) {
          log.warn({ streams: sessions.size }, 'shutdown grace over: skipping queued audio, closing streams with 1001');
          for (const s of open) s.abandon();
          // Each stream waits only for the message its worker is decoding now, then its final result.
          if (!(await settlesWithin(all, ABANDON_TIMEOUT_MS))) for (const s of open) s.terminate();
        }
        // Workers stop after their inference in flight; never terminated inside an ONNX Runtime call.
        await pool?.close();
        pool = null;
        const listening = new Promise<void>((resolve) => (http.listening ? http.close(() => resolve()) : resolve()));
        http.closeAllConnections();
        await listening;
        bound = null;
        log.info('server closed');
      })();
      return closing;
    },
  };
}
