/**
 * deploy/haproxy.cfg in front of two `hearken serve` processes on loopback: 16 streams through HAProxy, one
 * server SIGTERMed mid-run. Every stream ends with its final result and a clean close (1000 after its end of
 * audio, or 1001 from the draining server; never 1006), completed streams read what batch transcription reads,
 * and new streams go to the live server: while the other drains (HAProxy retries past its 503) and after
 * HAProxy's health check has marked it down.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recognizer } from '../../src/recognizer/index.js';
import { ROOT, SAMPLES, tempDir } from '../helpers.js';
import { VoskClient, batchRecognizer, chunks, joinedText, spawnServe, wavPcm, type ServeProcess } from '../server/helpers.js';
import { freePort, startHaproxy, type Service } from '../services.js';

const FILES = [
  'long-librilight-248.wav',
  'librilight-248-130644-0000.wav',
  'librilight-831-130739-0004.wav',
  'librilight-831-130739-0011.wav',
  'tts-espeak-fox.wav',
  'tts-flite-stella.wav',
  'digits-8k-fsdd-4159.wav',
  'digit-8k-fsdd-7.wav',
];

/** deploy/haproxy.cfg as shipped, listening on `port` and balancing over these servers, with a stats socket. */
function haproxyConfig(port: number, servers: number[], socket: string): string {
  const shipped = readFileSync(join(ROOT, 'deploy', 'haproxy.cfg'), 'utf8');
  const serverLines = servers.map((p, i) => `    server hearken${i + 1} 127.0.0.1:${p}`).join('\n');
  const config = shipped
    .replace(/^global\n/m, `global\n    stats socket ${socket} mode 600 level admin\n`)
    // within any shell's open-file limit
    .replace(/^(\s*maxconn) \d+$/m, '$1 256')
    .replace(/^(\s*bind\s+).*$/m, `$1127.0.0.1:${port}`)
    .replace(/^(\s*server .*\n)+/m, `${serverLines}\n`);
  expect(config).toContain(`127.0.0.1:${servers[1]}`);
  return config;
}

/** A line of `show servers state`-like status: the server's operational state from `show stat` (UP, DOWN, ...). */
async function serverStatus(socket: string, server: string): Promise<string> {
  const csv = await new Promise<string>((resolve, reject) => {
    let text = '';
    const s = connect(socket);
    s.on('data', (d) => (text += d.toString()));
    s.on('end', () => resolve(text));
    s.on('error', reject);
    s.write('show stat\n');
  });
  const header = csv.split('\n')[0]!.replace(/^# /, '').split(',');
  const row = csv.split('\n').map((l) => l.split(',')).find((cols) => cols[0] === 'hearken_serve' && cols[1] === server);
  return row?.[header.indexOf('status')] ?? 'missing';
}

/** The HTTP status of a server's /healthz, or 0 when nothing answers. */
async function healthStatus(port: number): Promise<number> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
}

interface StreamOutcome {
  file: string;
  instance: string;
  code: number;
  finals: Record<string, unknown>[];
  /** Every chunk was sent and the end of audio too. */
  sentAll: boolean;
}

/**
 * One stream through the balancer in Vosk's rhythm (a chunk, its reply). `onFirstReply` fires once the stream is
 * live. The server closes: 1000 after the end of audio, 1001 when it drains.
 */
async function stream(url: string, file: string, onFirstReply: () => void = () => {}): Promise<StreamOutcome> {
  const { bytes, sampleRate } = wavPcm(file);
  const client = new VoskClient(url);
  const instance = new Promise<string>((resolve) => client.ws.once('upgrade', (res) => resolve(String(res.headers['x-hearken-instance']))));
  await client.opened;
  client.send({ config: { sample_rate: sampleRate } });
  let sentAll = true;
  let first = true;
  for (const part of chunks(bytes, Math.round(sampleRate * 2 * 0.25))) {
    if (client.ws.readyState !== client.ws.OPEN) {
      sentAll = false;
      break;
    }
    client.send(part);
    const reply = await client.next(300_000);
    if (first) onFirstReply();
    first = false;
    if (reply === null) {
      sentAll = false;
      break;
    }
  }
  if (sentAll && client.ws.readyState === client.ws.OPEN) client.send({ eof: 1 });
  else sentAll = false;
  const closed = await client.closed;
  return { file, instance: await instance, code: closed.code, finals: client.messages.filter((m) => 'text' in m), sentAll };
}

describe('HAProxy in front of two hearken serve', () => {
  const servers: ServeProcess[] = [];
  let haproxy: Service | undefined;
  let recognizer: Recognizer;
  const batch = new Map<string, string>();

  beforeAll(async () => {
    // each server is remembered as soon as it listens, so afterAll stops it even if the other never starts
    await Promise.all([0, 1].map(async (i) => (servers[i] = await spawnServe(['--shutdown-timeout', '30']))));
    recognizer = await batchRecognizer();
    for (const f of FILES) batch.set(f, (await recognizer.transcribeFile(join(SAMPLES, f))).text);
  }, 1_200_000);

  afterAll(async () => {
    await haproxy?.stop();
    for (const s of servers) if (s && s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await recognizer?.close();
  }, 600_000);

  it('16 streams, one server SIGTERMed mid-run: final results and clean closes, batch transcripts, new streams on the live server', async () => {
    const port = await freePort();
    const socket = join(tempDir('hearken-haproxy-sock-'), 'admin.sock');
    haproxy = await startHaproxy(haproxyConfig(port, servers.map((s) => s.port), socket), port);
    const url = `ws://127.0.0.1:${port}`;

    // SIGTERM the first server once all 16 streams are live
    let live = 0;
    let allLive!: () => void;
    const allLiveNow = new Promise<void>((resolve) => (allLive = resolve));
    const first = Array.from({ length: 16 }, (_, i) => stream(url, FILES[i % FILES.length]!, () => ++live === 16 && allLive()));
    await allLiveNow;
    const instances = ['hearken1', 'hearken2'];
    servers[0]!.child.kill('SIGTERM');
    // Once the first server drains (its /healthz says so, or it is already gone), streams opened through HAProxy
    // land on the other one even before a health check has marked it down: an upgrade that meets its 503 or a
    // refused connection is retried on the live server (retry-on + redispatch).
    while ((await healthStatus(servers[0]!.port)) === 200) await new Promise((r) => setTimeout(r, 50));
    const whileDraining = await Promise.all(FILES.slice(3, 7).map((f) => stream(url, f)));
    const outcomes = await Promise.all(first);

    // both servers took streams (least connections), and every stream ended cleanly with its final result
    expect(new Set(outcomes.map((o) => o.instance))).toEqual(new Set(instances));
    for (const o of outcomes) {
      expect([1000, 1001], `${o.file} on ${o.instance}`).toContain(o.code);
      expect(o.finals.length, `${o.file}: a final result`).toBeGreaterThan(0);
      if (o.code === 1001) expect(o.instance).toBe('hearken1');
      if (o.code === 1000) {
        expect(o.sentAll).toBe(true);
        expect(joinedText(o.finals), `${o.file} on ${o.instance}`).toBe(batch.get(o.file));
      }
    }
    // the live server's streams all completed
    for (const o of outcomes.filter((x) => x.instance === 'hearken2')) expect(o.code).toBe(1000);
    expect((await servers[0]!.exited).code).toBe(0);

    // HAProxy marks the drained server down; new streams, during the drain and after, go to the live one
    while ((await serverStatus(socket, 'hearken1')) !== 'DOWN') await new Promise((r) => setTimeout(r, 200));
    const later = await Promise.all(FILES.slice(1, 3).map((f) => stream(url, f)));
    for (const o of [...whileDraining, ...later]) {
      expect(o.instance).toBe('hearken2');
      expect(o.code).toBe(1000);
      expect(joinedText(o.finals)).toBe(batch.get(o.file));
    }
  }, 1_200_000);
});
