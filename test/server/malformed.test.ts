import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HearkenServer } from '../../src/server/index.js';
import { VoskClient, chunks, metricValue, startServer, waitFor, wavPcm } from './helpers.js';

type Step = string | Buffer | Record<string, unknown>;

/** Each case: what the client sends, how many normal replies come first, the close code expected after the error reply. */
const CASES: { name: string; send: Step[]; replies?: number; code: number; error: RegExp }[] = [
  { name: 'not JSON', send: ['{"eof": 1'], code: 1007, error: /not valid JSON/ },
  { name: 'string-matched eof look-alike', send: ['{"eof" : 1} junk'], code: 1007, error: /not valid JSON/ },
  { name: 'JSON array', send: ['[1,2]'], code: 1003, error: /JSON object/ },
  { name: 'JSON string', send: ['"eof"'], code: 1003, error: /JSON object/ },
  { name: 'unknown command', send: [{ hello: 1 }], code: 1003, error: /unknown message "hello"/ },
  { name: 'two commands at once', send: [{ eof: 1, reset: 1 }], code: 1003, error: /exactly one/ },
  { name: 'eof with wrong value', send: [{ eof: 'yes' }], code: 1007, error: /"eof" must be 1/ },
  { name: 'config not an object', send: [{ config: 16000 }], code: 1007, error: /"config" must be an object/ },
  { name: 'sample_rate as string', send: [{ config: { sample_rate: '16000' } }], code: 1007, error: /sample_rate/ },
  { name: 'sample_rate out of range', send: [{ config: { sample_rate: 5 } }], code: 1007, error: /sample_rate/ },
  { name: 'sample_rate fractional', send: [{ config: { sample_rate: 16000.5 } }], code: 1007, error: /sample_rate/ },
  { name: 'words as string', send: [{ config: { words: 'true' } }], code: 1007, error: /"words"/ },
  { name: 'max_alternatives negative', send: [{ config: { max_alternatives: -1 } }], code: 1007, error: /max_alternatives/ },
  { name: 'phrase_list not array', send: [{ config: { phrase_list: 'hello' } }], code: 1007, error: /phrase_list/ },
  { name: 'phrase_list with a number', send: [{ config: { phrase_list: ['a', 3] } }], code: 1007, error: /phrase_list/ },
  { name: 'phrase_list with nothing speakable', send: [{ config: { phrase_list: ['yes', '?!'] } }], code: 1007, error: /phrase_list.*no speakable words/ },
  { name: 'phrase_list of only [unk]', send: [{ config: { phrase_list: ['[unk]'] } }], code: 1007, error: /phrase_list.*besides \[unk\]/ },
  { name: 'hotword bad boost', send: [{ config: { hotwords: [{ phrase: 'stella', boost: -2 }] } }], code: 1007, error: /boost/ },
  { name: 'hotword unknown key', send: [{ config: { hotwords: [{ phrase: 'stella', weight: 2 }] } }], code: 1007, error: /unknown key/ },
  { name: 'endpoint unknown key', send: [{ config: { endpoint: { silence: 1 } } }], code: 1007, error: /unknown key/ },
  { name: 'endpoint negative', send: [{ config: { endpoint: { trailingSilence: -1 } } }], code: 1007, error: /trailingSilence/ },
  { name: 'unknown format', send: [{ config: { format: 'mp3' } }], code: 1007, error: /format/ },
  { name: 'numerals as string', send: [{ config: { numerals: 'yes' } }], code: 1007, error: /"numerals"/ },
  { name: 'punctuate as string', send: [{ config: { punctuate: 'yes' } }], code: 1007, error: /"punctuate" must be true, false, 1 or 0, got "yes"/ },
  { name: 'unknown config key', send: [{ config: { sample_rate: 16000, colour: 'red' } }], code: 1007, error: /unknown config key "colour"/ },
  { name: 'config after audio', send: [Buffer.alloc(3200), { config: { sample_rate: 8000 } }], replies: 1, code: 1008, error: /before the first audio/ },
  { name: 'odd byte total at eof', send: [Buffer.alloc(3201), { eof: 1 }], replies: 1, code: 1007, error: /inside a sample/ },
  { name: 'f32 total not a multiple of 4 at eof', send: [{ config: { format: 'f32le' } }, Buffer.alloc(6402), { eof: 1 }], replies: 1, code: 1007, error: /inside a sample/ },
  { name: 'text frame of megabytes', send: ['{"config": {"phrase_list": ["' + 'a'.repeat(1.5 * 1024 * 1024) + '"]}}'], code: 1009, error: /text message of \d+ bytes/ },
  { name: 'audio message over maxPayload', send: [Buffer.alloc(1024 * 1024 + 2)], code: 1009, error: /audio message of \d+ bytes/ },
];

describe('malformed messages: error reply, proper close code, server unaffected', () => {
  let server: HearkenServer;
  let url: string;
  beforeAll(async () => ({ server, url } = await startServer({ workers: 1 })));
  afterAll(async () => server.close());

  it.each(CASES)('$name → $code', async ({ send, replies = 0, code, error }) => {
    const c = await VoskClient.connect(url);
    for (const step of send) c.send(step);
    for (let i = 0; i < replies; i++) expect(Object.keys((await c.next())!)).toEqual(['partial']);
    const reply = await c.next();
    expect(reply).not.toBeNull();
    expect(Object.keys(reply!)).toEqual(['error']);
    expect(reply!.error).toMatch(error);
    const closed = await c.closed;
    expect(closed.code).toBe(code);
  });

  it('requireConfig: audio before config is a policy error', async () => {
    const strict = await startServer({ workers: 1, requireConfig: true });
    try {
      const c = await VoskClient.connect(strict.url);
      c.send(Buffer.alloc(320));
      expect((await c.next())!.error).toMatch(/config/);
      expect((await c.closed).code).toBe(1008);
      const ok = await VoskClient.connect(strict.url);
      ok.send({ config: { sample_rate: 16000 } });
      expect('partial' in (await ok.exchange(Buffer.alloc(320)))!).toBe(true);
      ok.ws.close();
    } finally {
      await strict.server.close();
    }
  });

  it('a stream running alongside the bad ones is unaffected, and every stream is released', async () => {
    const { bytes } = wavPcm('tts-espeak-fox.wav');
    const good = await VoskClient.connect(url);
    const bad = await VoskClient.connect(url);
    const parts = chunks(bytes, 8000);
    for (const [i, part] of parts.entries()) {
      if (i === 2) bad.send('{oops');
      expect(await good.exchange(part)).not.toBeNull();
    }
    expect((await bad.closed).code).toBe(1007);
    expect('text' in (await good.exchange({ eof: 1 }))!).toBe(true);
    expect((await good.closed).code).toBe(1000);
    await waitFor(async () => (await metricValue(server, 'hearken_active_streams')) === 0);
    expect(await metricValue(server, 'hearken_protocol_errors_total', { code: '1007' })).toBeGreaterThan(0);
  });
});
