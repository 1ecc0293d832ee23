/**
 * Hostile and careless clients (issue "Server and CLI under abuse"): each case asserts behaviour, never speed
 * (bench/abuse.ts measures latency and memory).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resample } from '../../src/audio/resampler.js';
import { closeReason, echo } from '../../src/server/protocol.js';
import type { HearkenServer } from '../../src/server/index.js';
import { VoskClient, batchRecognizer, chunks, metricValue, startServer, waitFor, wavPcm } from './helpers.js';

describe('error replies repeat little of the client input', () => {
  it('echo() shows at most 40 characters of a string and containers by size', () => {
    expect(echo('colour')).toBe('"colour"');
    expect(echo('x'.repeat(65_000))).toBe(`"${'x'.repeat(40)}"... (65000 characters)`);
    expect(echo([1, 2, 3])).toBe('an array of 3');
    expect(echo({ a: 1 })).toBe('an object');
    expect(echo(12.5)).toBe('12.5');
  });

  it('closeReason() cuts to 123 bytes of UTF-8, never inside a character', () => {
    expect(closeReason('short')).toBe('short');
    for (const text of ['a'.repeat(500), 'é'.repeat(200), `x${'€'.repeat(100)}`, `${'😀'.repeat(60)}`]) {
      const cut = closeReason(text);
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
      expect(Buffer.byteLength(cut)).toBeGreaterThan(118);
      expect(text.startsWith(cut)).toBe(true);
    }
  });

  it('a 64 KB unknown key gets a short error and a close reason of at most 123 bytes', async () => {
    const { server, url } = await startServer();
    try {
      const c = await VoskClient.connect(url);
      c.send({ config: { ['k'.repeat(65_000)]: 1 } });
      const reply = await c.next();
      expect(String(reply!.error)).toMatch(/^unknown config key "k{40}"\.\.\. \(65000 characters\)$/);
      const closed = await c.closed;
      expect(closed.code).toBe(1007);
      expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
      const keys = await VoskClient.connect(url);
      keys.send(JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`key${i}`, i]))));
      expect(String((await keys.next())!.error)).toMatch(/got 2000 keys: "key0", "key1", "key2", \.\.\.$/);
    } finally {
      await server.close();
    }
  });
});

describe('limits count audio, not bytes', () => {
  let server: HearkenServer;
  let url: string;
  // No backpressure pause here: a paused socket would not see the departing client's close frame until later.
  beforeAll(async () => ({ server, url } = await startServer({ maxPayload: 4 * 1024 * 1024, maxMessageSeconds: 100, maxQueuedSeconds: 1000 })));
  afterAll(async () => server.close());

  it('one frame of more seconds than the per-message limit is refused (1009), whatever its byte size', async () => {
    const c = await VoskClient.connect(url);
    c.send({ config: { sample_rate: 1000 } });
    c.send(Buffer.alloc(1024 * 1024)); // 524 s at 1 kHz
    expect((await c.next())!.error).toMatch(/audio message of 524\.3 s exceeds the limit of 100 s per message/);
    expect((await c.closed).code).toBe(1009);
  });

  it("a departed client's audio is dropped: the message being decoded stops within a second of audio", async () => {
    const before = await metricValue(server, 'hearken_audio_seconds_total');
    const { bytes } = wavPcm('long-librilight-248.wav');
    const c = await VoskClient.connect(url);
    c.send(bytes.subarray(0, 320_000)); // 10 s, answered
    expect(await c.next(120_000)).toHaveProperty('partial');
    c.send(bytes); // 70 s, and gone
    c.ws.close();
    await waitFor(() => server.activeStreams === 0, 60_000);
    // The 70 s message was cut short when the client left: it never got a reply, so it counts nothing.
    const decoded = (await metricValue(server, 'hearken_audio_seconds_total')) - before;
    expect(decoded).toBeCloseTo(10, 1);
  });
});

describe('message floods and idle slots', () => {
  it.each([
    { what: 'empty frames count: past maxQueuedMessages the socket is paused', options: { maxQueuedMessages: 8 } },
    { what: 'a message-rate budget throttles a flood', options: { maxMessageRate: 50 } },
  ])('$what; every message is still answered, none refused', async ({ options }) => {
    const { server, url } = await startServer(options);
    try {
      const c = await VoskClient.connect(url);
      for (let i = 0; i < 300; i++) c.send(Buffer.alloc(0));
      c.send({ eof: 1 });
      expect((await c.closed).code).toBe(1000);
      expect(c.messages.length).toBe(301);
      expect(await metricValue(server, 'hearken_backpressure_pauses_total')).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('idle is measured on audio: empty frames do not keep a slot', async () => {
    const { server, url } = await startServer({ idleTimeoutMs: 400 });
    try {
      const c = await VoskClient.connect(url);
      const keepAlive = setInterval(() => c.send(Buffer.alloc(0)), 50);
      const closed = await c.closed;
      clearInterval(keepAlive);
      expect(closed.code).toBe(1008);
      expect(c.messages.some((m) => /idle timeout: no audio/.test(String(m.error)))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('per-address cap: one address cannot take every slot; another address still gets in', async () => {
    const { server, url } = await startServer({ maxConnectionsPerAddress: 2 });
    try {
      const a = await VoskClient.connect(url);
      const b = await VoskClient.connect(url);
      await expect(VoskClient.connect(url)).rejects.toThrow(/503/);
      expect(await metricValue(server, 'hearken_rejected_connections_total', { reason: 'address' })).toBe(1);
      const other = await VoskClient.connect(url, { localAddress: '127.0.0.2' });
      a.ws.close();
      await waitFor(() => server.activeStreams < 3);
      const again = await VoskClient.connect(url);
      for (const c of [b, other, again]) c.ws.close();
    } finally {
      await server.close();
    }
  });
});

describe('origins and tokens', () => {
  it("browser origins: the server's own and listed ones pass, others (and null) get 403, no Origin passes", async () => {
    const { server, url, http } = await startServer({ allowedOrigins: ['https://app.example'] });
    try {
      for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:1']) {
        await expect(VoskClient.connect(url, { origin })).rejects.toThrow(/403/);
      }
      for (const origin of [http, 'https://app.example', undefined]) (await VoskClient.connect(url, origin ? { origin } : {})).ws.close();
      expect(await metricValue(server, 'hearken_rejected_connections_total', { reason: 'origin' })).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('/metrics honours the token; /healthz stays open for load balancers', async () => {
    const { server, http } = await startServer({ authToken: 's3cret' });
    try {
      expect((await fetch(`${http}/metrics`)).status).toBe(401);
      expect((await fetch(`${http}/metrics?token=wrong`)).status).toBe(401);
      expect((await fetch(`${http}/metrics`, { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
      expect((await fetch(`${http}/metrics?token=s3cret`)).status).toBe(200);
      expect((await fetch(`${http}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('sample values and rates', () => {
  let server: HearkenServer;
  let url: string;
  beforeAll(async () => ({ server, url } = await startServer()));
  afterAll(async () => server.close());

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('f32le %s samples are refused (1007)', async (value) => {
    const c = await VoskClient.connect(url);
    c.send({ config: { format: 'f32le' } });
    const samples = new Float32Array(8000);
    samples[4000] = value;
    c.send(Buffer.from(samples.buffer));
    expect((await c.next())!.error).toMatch(/must be finite/);
    expect((await c.closed).code).toBe(1007);
  });

  it('384 kHz (accepted by the config check) is decoded, as batch transcription of the same samples', async () => {
    const { bytes } = wavPcm('tts-espeak-fox.wav');
    const pcm16 = new Float32Array(bytes.length / 2).map((_, i) => bytes.readInt16LE(2 * i) / 32768);
    const high = await resample(pcm16, 16000, 384_000);
    const recognizer = await batchRecognizer();
    const batch = await recognizer.transcribe(high, 384_000);
    await recognizer.close();
    const c = await VoskClient.connect(url);
    c.send({ config: { sample_rate: 384_000, format: 'f32le' } });
    const parts = chunks(Buffer.from(high.buffer), 4 * 96_000);
    for (const p of parts) c.send(p);
    c.send({ eof: 1 });
    expect((await c.closed).code).toBe(1000);
    expect(c.messages.length).toBe(parts.length + 1);
    const texts = c.messages.filter((m) => 'text' in m).map((m) => m.text as string).filter(Boolean);
    expect(texts.join(' ')).toBe(batch.text);
  });
});
