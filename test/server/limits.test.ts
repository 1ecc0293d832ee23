import { describe, expect, it } from 'vitest';
import { VoskClient, chunks, metricValue, startServer, waitFor, wavPcm } from './helpers.js';

describe('limits', () => {
  it('maxConnections: further upgrades get HTTP 503, counted as rejected', async () => {
    const { server, url } = await startServer({ maxConnections: 2 });
    try {
      const a = await VoskClient.connect(url);
      const b = await VoskClient.connect(url);
      await expect(VoskClient.connect(url)).rejects.toThrow(/503/);
      expect(await metricValue(server, 'hearken_rejected_connections_total', { reason: 'capacity' })).toBe(1);
      a.ws.close();
      await waitFor(() => server.activeStreams < 2);
      const c = await VoskClient.connect(url);
      b.ws.close();
      c.ws.close();
    } finally {
      await server.close();
    }
  });

  it('maxPayload: an oversized audio message gets an error and 1009; far beyond it ws closes 1009 unread', async () => {
    const { server, url } = await startServer({ maxPayload: 4000, maxTextPayload: 1000 });
    try {
      const a = await VoskClient.connect(url);
      a.send(Buffer.alloc(4002));
      expect((await a.next())!.error).toMatch(/exceeds the limit of 4000/);
      expect((await a.closed).code).toBe(1009);
      const b = await VoskClient.connect(url);
      b.send(Buffer.alloc(100_000));
      expect((await b.closed).code).toBe(1009);
      const t = await VoskClient.connect(url);
      t.send(JSON.stringify({ config: { phrase_list: ['x'.repeat(150)].concat(Array(10).fill('word')) } }));
      t.send(JSON.stringify({ config: { phrase_list: Array(200).fill('word') } }));
      expect((await t.next())!.error).toMatch(/text message of \d+ bytes exceeds the limit of 1000/);
      expect((await t.closed).code).toBe(1009);
    } finally {
      await server.close();
    }
  });

  it('idle timeout: a silent client gets an error and 1008', async () => {
    const { server, url } = await startServer({ idleTimeoutMs: 300 });
    try {
      const c = await VoskClient.connect(url);
      const t0 = Date.now();
      expect((await c.next())!.error).toMatch(/idle/);
      expect((await c.closed).code).toBe(1008);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    } finally {
      await server.close();
    }
  });

  it('bearer token: header or ?token= required', async () => {
    const { server, url } = await startServer({ authToken: 's3cret' });
    try {
      await expect(VoskClient.connect(url)).rejects.toThrow(/401/);
      await expect(VoskClient.connect(`${url}/?token=wrong`)).rejects.toThrow(/401/);
      await expect(VoskClient.connect(url, { headers: { Authorization: 'Bearer nope' } })).rejects.toThrow(/401/);
      (await VoskClient.connect(url, { headers: { Authorization: 'Bearer s3cret' } })).ws.close();
      (await VoskClient.connect(`${url}/?token=s3cret`)).ws.close();
      expect(await metricValue(server, 'hearken_rejected_connections_total', { reason: 'auth' })).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('allowed origins: other browser origins get 403; clients without Origin pass', async () => {
    const { server, url } = await startServer({ allowedOrigins: ['http://good.example'] });
    try {
      await expect(VoskClient.connect(url, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
      (await VoskClient.connect(url, { origin: 'http://good.example' })).ws.close();
      (await VoskClient.connect(url)).ws.close();
    } finally {
      await server.close();
    }
  });

  it('backpressure: a client sending far faster than real time is paused, never dropped: every message answered', async () => {
    const { server, url } = await startServer({ maxQueuedSeconds: 1 });
    try {
      const { bytes } = wavPcm('long-librilight-248.wav');
      const c = await VoskClient.connect(url);
      const parts = chunks(bytes, 3200);
      for (const part of parts) c.send(part);
      c.send({ eof: 1 });
      expect((await c.closed).code).toBe(1000);
      expect(c.messages.length).toBe(parts.length + 1);
      expect(await metricValue(server, 'hearken_backpressure_pauses_total')).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('/healthz and /metrics', async () => {
    const { server, http } = await startServer();
    try {
      const health = await fetch(`${http}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', streams: 0, workers: 1 });
      const metrics = await (await fetch(`${http}/metrics`)).text();
      for (const name of ['hearken_active_streams', 'hearken_audio_seconds_total', 'hearken_decode_rtf', 'hearken_partial_latency_seconds_bucket', 'hearken_rejected_connections_total']) {
        expect(metrics).toContain(name);
      }
      expect((await fetch(`${http}/nope`)).status).toBe(404);
      expect((await fetch(`${http}/../package.json`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
