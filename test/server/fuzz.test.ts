/**
 * Protocol fuzz: seeded random and mutated messages on many streams, with a normal client beside them. The
 * server must not crash, every fuzzed stream must end with a close code (an error reply always with a close
 * code other than 1000, never 1006 or 1011), and the normal client's transcript must equal batch transcription.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HearkenServer } from '../../src/server/index.js';
import { SAMPLES, rng } from '../helpers.js';
import { VoskClient, batchRecognizer, chunks, joinedText, startServer, waitFor, wavPcm } from './helpers.js';

const SEED = 30_2026;
const STREAMS = 60;
const PARALLEL = 6;

type Message = string | Buffer;

const VALID_TEXT = [
  '{"config": {"sample_rate": 8000, "words": 1}}',
  '{"config": {"format": "f32le"}}',
  '{"config": {"phrase_list": ["yes", "no", "[unk]"], "max_alternatives": 2}}',
  '{"config": {"hotwords": [{"phrase": "stella", "boost": 4}], "endpoint": {"trailingSilence": 0.5}}}',
  '{"eof": 1}',
  '{"reset": 1}',
];

const ODD_VALUES = ['0', '-1', '1e309', '16000.5', '"16000"', 'null', 'true', '[]', '{}', '384000', '768001', '"\\u0000"', '"😀"', `"${'z'.repeat(3000)}"`];
const KEYS = ['config', 'eof', 'reset', 'sample_rate', 'words', 'phrase_list', 'hotwords', 'format', 'endpoint', 'colour', '', '__proto__', 'constructor'];

/** One message: a valid one, a mutated one, random text, or random binary (odd lengths, f32 garbage included). */
function message(random: () => number): Message {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const r = random();
  if (r < 0.3) {
    const n = Math.floor(random() * 4000);
    const bytes = Buffer.alloc(n);
    for (let i = 0; i < n; i++) bytes[i] = Math.floor(random() * 256);
    return bytes;
  }
  if (r < 0.45) return pick(VALID_TEXT);
  if (r < 0.7) {
    // Mutations of valid messages: cut short, a byte changed, a value or key replaced.
    const base = pick(VALID_TEXT);
    const m = random();
    if (m < 0.3) return base.slice(0, Math.floor(random() * base.length));
    if (m < 0.6) {
      const at = Math.floor(random() * base.length);
      return base.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + base.slice(at + 1);
    }
    if (m < 0.8) return base.replace(/: [^,}]+/, `: ${pick(ODD_VALUES)}`);
    return base.replace(/"[a-z_]+"/, `"${pick(KEYS)}"`);
  }
  if (r < 0.85) return JSON.stringify({ config: { [pick(KEYS)]: JSON.parse(pick(ODD_VALUES.slice(0, -3))) as unknown } });
  const n = Math.floor(random() * 200);
  let text = '';
  for (let i = 0; i < n; i++) text += String.fromCharCode(Math.floor(random() * 0x3000));
  return text;
}

describe('protocol fuzz', () => {
  let server: HearkenServer;
  let url: string;
  beforeAll(async () => ({ server, url } = await startServer({ workers: 2 })));
  afterAll(async () => server.close());

  it(`${STREAMS} seeded random streams: each ends with a close code; a normal client beside them gets batch transcripts`, async () => {
    const recognizer = await batchRecognizer();
    const expected = (await recognizer.transcribeFile(join(SAMPLES, 'tts-flite-stella.wav'))).text;
    await recognizer.close();

    const normal = (async () => {
      const texts: string[] = [];
      for (let round = 0; round < 3; round++) {
        const c = await VoskClient.connect(url);
        const parts = chunks(wavPcm('tts-flite-stella.wav').bytes, 3200);
        for (const p of parts) c.send(p);
        c.send({ eof: 1 });
        expect((await c.closed).code).toBe(1000);
        expect(c.messages.length).toBe(parts.length + 1);
        texts.push(joinedText(c.messages.filter((m) => 'text' in m)));
      }
      return texts;
    })();

    const random = rng(SEED);
    const plans = Array.from({ length: STREAMS }, () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => message(random)));
    const outcomes: { code: number; errored: boolean; plan: number }[] = [];
    for (let at = 0; at < plans.length; at += PARALLEL) {
      const batch = plans.slice(at, at + PARALLEL).map(async (plan, k) => {
        const c = await VoskClient.connect(url);
        for (const m of plan) c.send(m);
        c.send({ eof: 1 }); // a stream that is still valid ends here
        const closed = await c.closed;
        return { code: closed.code, errored: c.messages.some((m) => 'error' in m), plan: at + k };
      });
      outcomes.push(...(await Promise.all(batch)));
    }

    for (const o of outcomes) {
      expect([1000, 1003, 1007, 1008, 1009], `stream ${o.plan}: ${JSON.stringify(plans[o.plan]!.map((m) => (typeof m === 'string' ? m.slice(0, 60) : `<${m.length} bytes>`)))}`).toContain(o.code);
      if (o.errored) expect(o.code).not.toBe(1000);
    }
    expect(outcomes.filter((o) => o.code !== 1000).length).toBeGreaterThan(STREAMS / 3);
    for (const text of await normal) expect(text).toBe(expected);
    await waitFor(() => server.activeStreams === 0, 60_000);
    expect((await fetch(url.replace('ws:', 'http:') + '/healthz')).status).toBe(200);
  });
});
