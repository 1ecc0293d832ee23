import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { MessageRate, type AudioBudget } from './budget.js';
import type { ServerMetrics } from './metrics.js';
import type { DecodePool } from './pool.js';
import { BYTES_PER_SAMPLE, CloseCode, ProtocolError, closeReason, parseTextMessage, type StreamConfig } from './protocol.js';
import type { WorkerToMain } from './worker-messages.js';

export interface SessionLimits {
  maxPayload: number;
  maxTextPayload: number;
  /** Audio seconds queued for the decoder before the socket is paused. */
  maxQueuedSeconds: number;
  /** Most audio seconds in one binary message (bytes / sample size / sample rate). */
  maxMessageSeconds: number;
  /** Messages awaiting their reply before the socket is paused. */
  maxQueuedMessages: number;
  /** Messages per second a connection may send on average (bursts of as many); beyond, its socket is paused. */
  maxMessageRate: number;
  /** Bytes of replies the client has not read yet before its socket is paused. */
  maxUnreadReplyBytes: number;
  idleTimeoutMs: number;
  requireConfig: boolean;
  shutdownGraceMs: number;
}

/** Why a socket is not being read: it resumes when no reason is left. */
type Hold = 'queue' | 'server' | 'rate' | 'replies' | 'failing';

interface InFlight {
  arrival: number;
  seconds: number;
  kind: 'audio' | 'final';
}

type State = 'open' | 'ending' | 'failing' | 'failed' | 'closed';

/**
 * One WebSocket connection: validates messages, forwards audio to its decode worker, sends the worker's
 * replies in order (exactly one per audio, eof or reset message), and applies backpressure by pausing the
 * socket while too much audio waits to be decoded.
 */
export class Session {
  private config: StreamConfig;
  private configured = false;
  private audioSinceReset = false;
  private seq = 0;
  private readonly inflight = new Map<number, InFlight>();
  private queuedSeconds = 0;
  private readonly holds = new Set<Hold>();
  private readonly rate: MessageRate;
  private rateTimer: NodeJS.Timeout | null = null;
  /**
   * Messages over the rate budget, each with the time it is due. The socket is paused at the first one, but a
   * read already done may hold thousands of small frames: they are spread out here instead of run in a burst.
   */
  private readonly backlog: { bytes: Uint8Array; isBinary: boolean; due: number }[] = [];
  private readonly budgetFree = (): void => this.unhold('server');
  private state: State = 'open';
  private endCode: number = CloseCode.NORMAL;
  private idleTimer: NodeJS.Timeout | null = null;
  private released = false;
  private killTimer: NodeJS.Timeout | null = null;
  /** Set when shutdown gave up on this stream's queued audio: the close reason. */
  private abandonReason: string | null = null;
  /** An error found while earlier messages still await their replies: sent after them, keeping the order. */
  private pendingError: { code: number; message: string } | null = null;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    defaults: StreamConfig,
    private readonly pool: DecodePool,
    private readonly metrics: ServerMetrics,
    private readonly limits: SessionLimits,
    private readonly budget: AudioBudget,
    private readonly log: Logger,
    private readonly onReleased: (session: Session) => void,
  ) {
    this.rate = new MessageRate(limits.maxMessageRate);
    this.config = { ...defaults, hotwords: [...defaults.hotwords] };
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    pool.open(id, (message) => this.onWorker(message));
    pool.post({ t: 'open', id, config: this.config });
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer | ArrayBuffer | Buffer[], isBinary));
    ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
    ws.on('error', (err) => this.log.warn({ stream: id, err: err.message }, 'websocket error'));
    this.touch();
  }

  /** Graceful shutdown: finalise the stream, send its result, close with 1001. */
  shutdown(): void {
    if (this.state === 'open') {
      this.endCode = CloseCode.GOING_AWAY;
      this.state = 'ending';
      this.postFinal('shutdown');
    } else if (this.state === 'ending') {
      this.endCode = CloseCode.GOING_AWAY;
    }
    // Audio is ignored from now on; reading goes on so the closing handshake is seen.
    this.unholdAll();
  }

  /**
   * Shutdown past its grace: the worker skips the audio still queued, the final result covers what was decoded,
   * and the stream closes with 1001 and a reason saying how much audio was not decoded.
   */
  abandon(): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    const undecoded = this.queuedSeconds;
    this.abandonReason = `server shutting down: ${undecoded.toFixed(1)} s of audio not decoded`;
    this.pool.post({ t: 'cancel', id: this.id });
    // Streams not waiting on a final reply (failing on an error) close at once.
    if (this.state !== 'ending') this.closeSocket(CloseCode.GOING_AWAY, this.abandonReason);
  }

  /** Drops the connection without a closing handshake (last resort at shutdown). */
  terminate(): void {
    this.ws.terminate();
  }

  private touch(): void {
    if (this.limits.idleTimeoutMs <= 0 || this.state === 'closed') return;
    if (this.idleTimer) this.idleTimer.refresh();
    else {
      this.idleTimer = setTimeout(() => this.onIdle(), this.limits.idleTimeoutMs);
      this.idleTimer.unref();
    }
  }

  /** Idle means no audio: empty frames and commands do not keep a stream's slot. */
  private onIdle(): void {
    if (this.state !== 'open' && this.state !== 'ending') return;
    if (this.inflight.size > 0 || this.holds.has('server')) return this.touch();
    this.fail(CloseCode.POLICY, `idle timeout: no audio received for ${this.limits.idleTimeoutMs / 1000} s`);
  }

  private hold(reason: Hold): void {
    if (this.holds.has(reason) || this.state === 'closed') return;
    if (this.holds.size === 0) this.ws.pause();
    this.holds.add(reason);
    if (reason !== 'failing') this.metrics.paused.inc();
  }

  private unhold(reason: Hold): void {
    if (!this.holds.delete(reason)) return;
    if (this.holds.size === 0 && this.state !== 'closed') this.ws.resume();
  }

  private unholdAll(): void {
    const held = this.holds.size > 0;
    this.holds.clear();
    this.budget.cancel(this.budgetFree);
    if (this.rateTimer) clearTimeout(this.rateTimer);
    this.rateTimer = null;
    this.backlog.length = 0;
    if (held && this.state !== 'closed') this.ws.resume();
  }

  private onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.state !== 'open') return;
    const bytes = toBytes(data);
    // Text costs by size (a phrase list is compiled at up to 20 000 characters), audio one token a message.
    const wait = this.rate.take(isBinary ? 1 : 1 + Math.floor(bytes.length / 1000));
    if (wait === 0 && this.backlog.length === 0) return this.handle(bytes, isBinary);
    // Over the message-rate budget: stop reading, and run this message when the budget has refilled.
    this.backlog.push({ bytes, isBinary, due: performance.now() + wait });
    this.hold('rate');
    this.rateTimer ??= setTimeout(() => this.drainBacklog(), Math.ceil(wait));
  }

  private drainBacklog(): void {
    this.rateTimer = null;
    const now = performance.now();
    while (this.backlog.length > 0 && this.backlog[0]!.due <= now && this.state === 'open') {
      const { bytes, isBinary } = this.backlog.shift()!;
      this.handle(bytes, isBinary);
    }
    if (this.state !== 'open') this.backlog.length = 0;
    if (this.backlog.length > 0) this.rateTimer = setTimeout(() => this.drainBacklog(), Math.ceil(this.backlog[0]!.due - now));
    else this.unhold('rate');
  }

  private handle(bytes: Uint8Array, isBinary: boolean): void {
    if (isBinary) return this.onAudio(bytes);
    if (bytes.length > this.limits.maxTextPayload) {
      return this.fail(CloseCode.TOO_BIG, `text message of ${bytes.length} bytes exceeds the limit of ${this.limits.maxTextPayload}`);
    }
    let command;
    try {
      command = parseTextMessage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    } catch (err) {
      if (err instanceof ProtocolError) return this.fail(err.closeCode, err.message);
      throw err;
    }
    switch (command.type) {
      case 'config':
        if (this.audioSinceReset) return this.fail(CloseCode.POLICY, 'config must come before the first audio (or right after a reset)');
        this.config = { ...this.config, ...command.config };
        this.configured = true;
        this.pool.post({ t: 'config', id: this.id, config: this.config });
        return;
      case 'eof':
        this.state = 'ending';
        this.endCode = CloseCode.NORMAL;
        return this.postFinal('eof');
      case 'reset':
        this.audioSinceReset = false;
        return this.postFinal('reset');
    }
  }

  private onAudio(bytes: Uint8Array): void {
    if (bytes.length > this.limits.maxPayload) {
      return this.fail(CloseCode.TOO_BIG, `audio message of ${bytes.length} bytes exceeds the limit of ${this.limits.maxPayload}`);
    }
    if (this.limits.requireConfig && !this.configured) return this.fail(CloseCode.POLICY, 'send {"config": {...}} before audio');
    // Limits count audio, not bytes: at sample_rate 1000 a 1 MiB message is 524 s to decode.
    const seconds = bytes.length / (BYTES_PER_SAMPLE[this.config.format] * this.config.sampleRate);
    if (seconds > this.limits.maxMessageSeconds) {
      return this.fail(CloseCode.TOO_BIG, `audio message of ${seconds.toFixed(1)} s exceeds the limit of ${this.limits.maxMessageSeconds} s per message`);
    }
    // Pausing the socket stops further reads, but frames already read still arrive: a hard bound behind it.
    const hardLimit = 2 * (this.limits.maxQueuedSeconds + this.limits.maxMessageSeconds);
    if (this.queuedSeconds + seconds > hardLimit) {
      return this.fail(CloseCode.POLICY, `queued audio of ${(this.queuedSeconds + seconds).toFixed(1)} s exceeds the limit of ${hardLimit} s per stream`);
    }
    if (bytes.length > 0) {
      this.audioSinceReset = true;
      this.touch();
    }
    // A fresh buffer of our own, transferred to the worker (ws may hand out views of shared buffers).
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    const seq = ++this.seq;
    this.inflight.set(seq, { arrival: performance.now(), seconds, kind: 'audio' });
    this.queuedSeconds += seconds;
    this.budget.add(seconds);
    if (this.queuedSeconds > this.limits.maxQueuedSeconds || this.inflight.size > this.limits.maxQueuedMessages) this.hold('queue');
    if (this.budget.spent && !this.holds.has('server')) {
      this.hold('server');
      this.budget.wait(this.budgetFree);
    }
    this.pool.post({ t: 'audio', id: this.id, seq, bytes: copy.buffer }, [copy.buffer]);
  }

  private postFinal(kind: 'eof' | 'reset' | 'shutdown'): void {
    const seq = ++this.seq;
    this.inflight.set(seq, { arrival: performance.now(), seconds: 0, kind: 'final' });
    this.pool.post({ t: 'final', id: this.id, seq, kind });
  }

  private onWorker(message: WorkerToMain): void {
    switch (message.t) {
      case 'reply': {
        const entry = this.inflight.get(message.seq);
        this.inflight.delete(message.seq);
        if (entry) this.dequeue(entry.seconds);
        this.metrics.audioSeconds.inc(message.audioSeconds);
        if (this.state === 'failed' || this.state === 'closed') return;
        this.send(message.text);
        if (this.state === 'failing') {
          if (this.inflight.size === 0 && this.pendingError) this.fail(this.pendingError.code, this.pendingError.message, true);
          return;
        }
        if (entry?.kind === 'audio') {
          this.metrics.partialLatency.observe((performance.now() - entry.arrival) / 1000);
          if (this.queuedSeconds <= this.limits.maxQueuedSeconds / 2 && this.inflight.size <= this.limits.maxQueuedMessages / 2) this.unhold('queue');
        }
        if (entry?.kind === 'final' && this.state === 'ending' && this.abandonReason !== null) {
          // The audio messages still in flight were skipped: they get no reply.
          this.inflight.clear();
          this.closeSocket(this.endCode, this.abandonReason);
        } else if (entry?.kind === 'final' && this.state === 'ending' && this.inflight.size === 0) this.closeSocket(this.endCode, '');
        return;
      }
      case 'error': {
        this.log.warn({ stream: this.id, code: message.code, error: message.message }, 'stream failed in worker');
        const entry = this.inflight.get(message.seq);
        this.inflight.delete(message.seq);
        if (entry) this.dequeue(entry.seconds);
        if (message.seq < 0) this.release();
        return this.fail(message.code, message.message, true);
      }
      case 'closed':
        return this.release();
      default:
        return;
    }
  }

  /** Audio no longer waiting for the decoder. */
  private dequeue(seconds: number): void {
    this.queuedSeconds = Math.max(0, this.queuedSeconds - seconds);
    this.budget.release(seconds);
  }

  /** Sends a reply; a client that does not read its replies stops being read until it does. */
  private send(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(text, () => {
      if (this.ws.bufferedAmount <= this.limits.maxUnreadReplyBytes / 2) this.unhold('replies');
    });
    if (this.ws.bufferedAmount > this.limits.maxUnreadReplyBytes) this.hold('replies');
  }

  /** Error reply, then close with `code`; unless `now`, after the replies still owed to earlier messages. */
  private fail(code: number, message: string, now = false): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    if (!now && this.inflight.size > 0) {
      this.state = 'failing';
      this.pendingError ??= { code, message };
      this.hold('failing');
      return;
    }
    this.state = 'failed';
    this.metrics.protocolErrors.inc({ code: String(code) });
    this.log.info({ stream: this.id, code, error: message }, 'closing stream on error');
    this.send(JSON.stringify({ error: message }));
    this.closeSocket(code, message);
  }

  private closeSocket(code: number, reason: string): void {
    // Read on, so the client's closing handshake is seen.
    this.unholdAll();
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, closeReason(reason));
    // Do not wait for ws's 30 s close timeout if the client never answers the close frame.
    this.killTimer ??= setTimeout(() => this.ws.terminate(), Math.max(100, this.limits.shutdownGraceMs));
    this.killTimer.unref();
  }

  private onClose(code: number, reason: string): void {
    this.log.debug({ stream: this.id, code, reason }, 'stream closed');
    this.unholdAll();
    this.state = 'closed';
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.killTimer) clearTimeout(this.killTimer);
    this.inflight.clear();
    // The worker skips this stream's queued audio; it no longer counts against the server's budget.
    this.budget.release(this.queuedSeconds);
    this.queuedSeconds = 0;
    this.pool.post({ t: 'close', id: this.id });
    this.resolveClosed();
  }

  /** The worker has dropped the stream: its resources are free. */
  private release(): void {
    if (this.released) return;
    this.released = true;
    this.onReleased(this);
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
