/**
 * Flow control at the Session level, with a stand-in WebSocket and pool: unread replies (loopback sockets buffer
 * megabytes before the server sees anything unsent, so the test sets the unsent bytes) and the server-wide budget.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { AudioBudget } from '../../src/server/budget.js';
import { ServerMetrics } from '../../src/server/metrics.js';
import type { DecodePool, StreamListener } from '../../src/server/pool.js';
import { defaultStreamConfig } from '../../src/server/protocol.js';
import { Session, type SessionLimits } from '../../src/server/session.js';
import type { MainToWorker } from '../../src/server/worker-messages.js';
import { quiet } from './helpers.js';

class StandInSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  paused = false;
  readonly sent: string[] = [];
  readonly flushed: (() => void)[] = [];
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  send(text: string, cb: () => void): void {
    this.sent.push(text);
    this.flushed.push(cb);
  }
  close(): void {}
  terminate(): void {}
}

const LIMITS: SessionLimits = {
  maxPayload: 1 << 20,
  maxTextPayload: 1 << 16,
  maxQueuedSeconds: 1000,
  maxMessageSeconds: 32,
  maxQueuedMessages: 1000,
  maxMessageRate: 1000,
  maxUnreadReplyBytes: 4096,
  idleTimeoutMs: 0,
  requireConfig: false,
  shutdownGraceMs: 100,
};

function session(id: number, budget: AudioBudget): { ws: StandInSocket; posted: MainToWorker[]; reply: (seq: number) => void } {
  const posted: MainToWorker[] = [];
  let listener: StreamListener = () => undefined;
  const pool = { open: (_id: number, l: StreamListener) => void (listener = l), post: (m: MainToWorker) => void posted.push(m) } as unknown as DecodePool;
  const ws = new StandInSocket();
  new Session(id, ws as unknown as WebSocket, defaultStreamConfig(), pool, new ServerMetrics(false), LIMITS, budget, quiet, () => undefined);
  const reply = (seq: number): void => listener({ t: 'reply', id, seq, text: '{"partial": ""}', final: false, audioSeconds: 0.1 });
  return { ws, posted, reply };
}

describe('Session flow control', () => {
  it('stops reading a client whose replies pile up unsent, and reads on once they are flushed', () => {
    const { ws, posted, reply } = session(1, new AudioBudget(300));
    for (let i = 0; i < 3; i++) ws.emit('message', Buffer.alloc(3200), true);
    expect(posted.filter((m) => m.t === 'audio').map((m) => (m as { seq: number }).seq)).toEqual([1, 2, 3]);
    reply(1);
    expect(ws.paused).toBe(false);
    ws.bufferedAmount = 10_000; // the client stopped reading
    reply(2);
    expect(ws.paused).toBe(true);
    reply(3); // replies are still sent (queued), never dropped
    expect(ws.sent.length).toBe(3);
    ws.flushed[1]!(); // a flush while much is still unsent changes nothing
    expect(ws.paused).toBe(true);
    ws.bufferedAmount = 0; // the client read everything
    ws.flushed[2]!();
    expect(ws.paused).toBe(false);
  });

  it('the server-wide budget pauses whichever stream finds it spent, and resumes it when the decoders catch up', () => {
    const budget = new AudioBudget(1);
    const a = session(1, budget);
    const b = session(2, budget);
    a.ws.emit('message', Buffer.alloc(19_200), true); // 0.6 s
    expect(a.ws.paused).toBe(false);
    b.ws.emit('message', Buffer.alloc(19_200), true); // 1.2 s in all
    expect(b.ws.paused).toBe(true);
    expect(budget.queuedSeconds).toBeCloseTo(1.2, 6);
    a.reply(1); // 0.6 s decoded: back within the budget
    expect(b.ws.paused).toBe(false);
    expect(budget.queuedSeconds).toBeCloseTo(0.6, 6);
    b.ws.emit('close', 1000, Buffer.alloc(0)); // a stream that leaves gives its queued audio back
    expect(budget.queuedSeconds).toBeCloseTo(0, 6);
  });
});
