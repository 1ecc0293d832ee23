import { Worker } from 'node:worker_threads';
import { siblingWorker } from '../util/worker-path.js';
import type { MainToWorker, WorkerInit, WorkerToMain } from './worker-messages.js';

export type StreamListener = (message: WorkerToMain) => void;

interface PoolWorker {
  worker: Worker;
  /** Streams pinned here, counted until the worker reports them gone (not when their client leaves). */
  streams: number;
  index: number;
  exited: Promise<void>;
}

/** How long close() waits for a worker to finish its inference in flight before terminating it anyway. */
const STOP_TIMEOUT_MS = 60_000;

/**
 * Decode workers, one Recognizer each; a stream is pinned to the worker with the fewest streams when it
 * opens, and all its messages go there.
 */
export class DecodePool {
  private readonly workers: PoolWorker[] = [];
  private readonly listeners = new Map<number, { listener: StreamListener; worker: PoolWorker }>();
  private closing = false;
  /** Called for per-worker busy reports (for metrics). */
  onBusy: (computeMs: number, busyMs: number) => void = () => {};
  /** Called when a worker dies unexpectedly; its streams have already been told. */
  onWorkerError: (err: Error) => void = () => {};

  private constructor(private readonly init: WorkerInit) {}

  static async start(count: number, init: WorkerInit): Promise<DecodePool> {
    const pool = new DecodePool(init);
    try {
      await Promise.all(Array.from({ length: count }, (_, i) => pool.spawn(i)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private spawn(index: number): Promise<void> {
    const mod = siblingWorker(import.meta.url, 'decode-worker');
    const worker = new Worker(mod.filename, { workerData: { ...mod.workerData, init: this.init } });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const entry: PoolWorker = { worker, streams: 0, index, exited };
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: WorkerToMain) => {
        switch (message.t) {
          case 'ready':
            ready = true;
            this.workers[index] = entry;
            resolve();
            return;
          case 'fatal':
            reject(new Error(`decode worker failed to start: ${message.message}`));
            void worker.terminate();
            return;
          case 'busy':
            this.onBusy(message.computeMs, message.busyMs);
            break;
          case 'closed': {
            const l = this.listeners.get(message.id);
            if (l) l.worker.streams--;
            this.listeners.delete(message.id);
            l?.listener(message);
            return;
          }
          case 'stopped':
            return;
        }
        if ('id' in message) this.listeners.get(message.id)?.listener(message);
      });
      worker.on('error', (err: Error) => {
        if (!ready) reject(err);
        else this.fail(entry, err);
      });
      worker.on('exit', (code) => {
        if (!ready) reject(new Error(`decode worker exited with code ${code} before it was ready`));
        else if (!this.closing) this.fail(entry, new Error(`decode worker exited with code ${code}`));
      });
    });
  }

  /** A worker died: every stream pinned to it gets an internal error; the worker is replaced. */
  private fail(entry: PoolWorker, err: Error): void {
    if (this.closing || this.workers[entry.index] !== entry) return;
    this.onWorkerError(err);
    for (const [id, l] of this.listeners) {
      if (l.worker !== entry) continue;
      this.listeners.delete(id);
      l.listener({ t: 'error', id, seq: -1, code: 1011, message: 'decode worker failed' });
    }
    entry.streams = 0;
    this.spawn(entry.index).catch((e: unknown) => this.onWorkerError(e instanceof Error ? e : new Error(String(e))));
  }

  /** Pins a new stream to the least loaded worker. */
  open(id: number, listener: StreamListener): void {
    let best = this.workers[0]!;
    for (const w of this.workers) if (w.streams < best.streams) best = w;
    best.streams++;
    this.listeners.set(id, { listener, worker: best });
  }

  post(message: Exclude<MainToWorker, { t: 'stop' }>, transfer?: ArrayBuffer[]): void {
    const l = this.listeners.get(message.id);
    if (!l) return;
    l.worker.worker.postMessage(message, transfer ?? []);
  }

  /**
   * Stops every worker once its inference in flight is done (queued work is skipped). Terminating a worker
   * inside an ONNX Runtime call aborts the process, so that is only a last resort after STOP_TIMEOUT_MS.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.workers.filter(Boolean).map(async (w) => {
        w.worker.postMessage({ t: 'stop' } satisfies MainToWorker);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          w.exited.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS))),
        ]);
        clearTimeout(timer);
        if (timedOut) await w.worker.terminate();
      }),
    );
    this.listeners.clear();
  }
}
