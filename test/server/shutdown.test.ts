import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServer } from '../../src/server/index.js';
import { ROOT } from '../helpers.js';
import { DECODING, MODEL, VoskClient, chunks, quiet, startServer, wavPcm } from './helpers.js';

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

  it('SIGTERM to `hearken serve` finalises a stream with 1001 and exits 0', async () => {
    const args = [join(ROOT, 'bin', 'hearken.js'), 'serve', '--port', '0', '--workers', '1', '--model', MODEL];
    if (DECODING.decoding === 'greedy') args.push('--greedy');
    else if (DECODING.lm === false) args.push('--no-lm');
    else args.push('--lm', DECODING.lm);
    const child = spawn(process.execPath, args, { env: { ...process.env, HEARKEN_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on ws:\/\/[^:]+:(\d+)/.exec(stderr);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const c = await VoskClient.connect(`ws://127.0.0.1:${port}`);
    const { bytes } = wavPcm('tts-espeak-fox.wav');
    for (const p of chunks(bytes, 8000).slice(0, 4)) await c.exchange(p);
    child.kill('SIGTERM');
    const closed = await c.closed;
    expect(closed.code).toBe(1001);
    expect(c.messages.length).toBe(5);
    expect('text' in c.messages.at(-1)!).toBe(true);
    expect(await exited).toBe(0);
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
