import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/index.js';
import { MODEL, VoskClient, chunks, quiet, spawnServe, startServer, wavPcm } from './helpers.js';

describe('graceful shutdown', () => {
  it('close(): open streams get their replies and final result, then 1001; new connections are refused', async () => {
    const { server, url } = await startServer({ workers: 2 });
    const { bytes } = wavPcm('tts-flite-stella.wav');
    const clients = await Promise.all([0, 1, 2].map(() => VoskClient.connect(url)));
    const sent = clients.map((c, i) => {
      c.send({ config: { words: true } });
      const parts = chunks(bytes, 3200).slice(0, 10 + 5 * i);
      for (const p of parts) c.send(p);
      return parts.length;
    });
    await Promise.all(clients.map((c) => c.next())); // streams are live
    await server.close();
    for (const [i, c] of clients.entries()) {
      const closed = await c.closed;
      expect(closed.code).toBe(1001);
      expect(c.messages.length).toBe(sent[i]! + 1);
      expect('text' in c.messages.at(-1)!).toBe(true);
    }
    await expect(VoskClient.connect(url)).rejects.toThrow();
  });

  it('while draining, /healthz answers 503 "draining" and new streams get HTTP 503 (the port is not closed)', async () => {
    const { server, url, http } = await startServer({ shutdownTimeoutMs: 2000, maxQueuedSeconds: 1000 });
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    const c = await VoskClient.connect(url);
    for (const p of chunks(wavPcm('long-librilight-248.wav').bytes, 32000)) c.send(p);
    await c.next(60_000);
    const closing = server.close();
    const health = await fetch(`${http}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'draining', streams: 1 });
    await expect(VoskClient.connect(url)).rejects.toThrow(/503/);
    await closing;
    expect((await c.closed).code).toBe(1001);
    await expect(fetch(`${http}/healthz`)).rejects.toThrow();
  });

  it('SIGTERM to `hearken serve` finalises a stream with 1001 and exits 0', async () => {
    const serve = await spawnServe();
    const c = await VoskClient.connect(`ws://127.0.0.1:${serve.port}`);
    const { bytes } = wavPcm('tts-espeak-fox.wav');
    for (const p of chunks(bytes, 8000).slice(0, 4)) await c.exchange(p);
    serve.child.kill('SIGTERM');
    const closed = await c.closed;
    expect(closed.code).toBe(1001);
    expect(c.messages.length).toBe(5);
    expect('text' in c.messages.at(-1)!).toBe(true);
    expect((await serve.exited).code).toBe(0);
  });

  // Four streams queue far more audio than one worker decodes within a 1 s grace: the server must still end
  // cleanly (no worker terminated mid-inference, which aborted the process with exit 134), closing each
  // stream with 1001 and a reason that says what was not decoded.
  it.each(['SIGTERM', 'SIGINT'] as const)('%s with a backlog beyond the grace: every stream closed 1001 with a reason, exit 0', async (signal) => {
    const serve = await spawnServe(['--shutdown-timeout', '1', '--max-queued-seconds', '1000']);
    const { bytes } = wavPcm('long-librilight-248.wav');
    const parts = chunks(bytes, 32000).slice(0, 60);
    const clients = await Promise.all([0, 1, 2, 3].map(() => VoskClient.connect(`ws://127.0.0.1:${serve.port}`)));
    for (const c of clients) for (const p of parts) c.send(p);
    await Promise.all(clients.map((c) => c.next(60_000)));
    serve.child.kill(signal);
    for (const c of clients) {
      const closed = await c.closed;
      expect(closed.code).toBe(1001);
      expect(closed.reason).toMatch(/shutting down/);
      expect(c.messages.length).toBeLessThanOrEqual(parts.length + 1);
    }
    const exit = await serve.exited;
    expect(exit.stderr).not.toMatch(/terminate called|Napi::Error/);
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
  });
});

describe('server start-up with bad files', () => {
  it('rejects listen() with the reason when the language model is missing or malformed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'server-lm-'));
    const bad = join(dir, 'bad.arpa');
    writeFileSync(bad, 'this is not an ARPA file\n');
    for (const lm of [join(dir, 'missing.arpa'), bad]) {
      const server = createServer({ port: 0, model: MODEL, decoding: 'beam', lm, workers: 1, logger: quiet, processMetrics: false });
      await expect(server.listen()).rejects.toThrow(lm === bad ? /data|ARPA|line/i : /missing\.arpa|ENOENT/);
      await server.close();
    }
  });
});
