import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HearkenServer } from '../../src/server/index.js';
import { digitsToWords } from '../../src/text/numbers.js';
import { VoskClient, chunks, startServer, wavPcm, REAL_MODEL } from './helpers.js';

const FOX = 'tts-espeak-fox.wav';

describe('Vosk protocol conformance', () => {
  let server: HearkenServer;
  let url: string;
  beforeAll(async () => ({ server, url } = await startServer({ workers: 1 })));
  afterAll(async () => server.close());

  it('test.py rhythm: one reply per binary message, partial or result shapes, eof → final then close 1000', async () => {
    const { bytes, sampleRate } = wavPcm(FOX);
    const c = await VoskClient.connect(url);
    c.send({ config: { sample_rate: sampleRate } }); // config gets no reply
    const parts = chunks(bytes, 8000);
    for (const part of parts) {
      const reply = await c.exchange(part);
      expect(reply).not.toBeNull();
      if ('partial' in reply!) {
        expect(Object.keys(reply!)).toEqual(['partial']);
        expect(typeof reply!.partial).toBe('string');
      } else {
        expect(Object.keys(reply!)).toEqual(['text']); // no words requested: no "result" array
        expect(typeof reply!.text).toBe('string');
      }
    }
    const final = await c.exchange('{"eof" : 1}');
    expect(final).not.toBeNull();
    expect(Object.keys(final!)).toEqual(['text']);
    if (REAL_MODEL) expect(final!.text).not.toBe('');
    expect(await c.closed).toEqual({ code: 1000, reason: '' });
    expect(c.messages.length).toBe(parts.length + 1);
  });

  it('all messages sent at once still get exactly one reply each, in order', async () => {
    const { bytes } = wavPcm(FOX);
    const c = await VoskClient.connect(url);
    const parts = chunks(bytes, 3200);
    for (const part of parts) c.send(part);
    c.send({ eof: 1 });
    const closed = await c.closed;
    expect(closed.code).toBe(1000);
    expect(c.messages.length).toBe(parts.length + 1);
    for (const m of c.messages.slice(0, -1)) expect('partial' in m || 'text' in m).toBe(true);
    expect('text' in c.messages.at(-1)!).toBe(true);
  });

  it('words and max_alternatives follow Vosk\'s result format', async () => {
    const { bytes } = wavPcm(FOX);
    const c = await VoskClient.connect(url);
    c.send({ config: { sample_rate: 16000, words: true } });
    for (const part of chunks(bytes, 16000)) await c.exchange(part);
    const final = (await c.exchange({ eof: 1 }))!;
    expect(Object.keys(final)).toEqual(final.text === '' ? ['text'] : ['result', 'text']);
    const words = (final.result ?? []) as Record<string, unknown>[];
    for (const w of words) {
      expect(Object.keys(w)).toEqual(['conf', 'start', 'end', 'word']);
      expect(w.start as number).toBeLessThanOrEqual(w.end as number);
      expect(w.conf as number).toBeGreaterThanOrEqual(0);
      expect(w.conf as number).toBeLessThanOrEqual(1);
    }
    expect(words.map((w) => w.word).join(' ')).toBe(final.text);

    const d = await VoskClient.connect(url);
    d.send({ config: { sample_rate: 16000, max_alternatives: 3 } });
    for (const part of chunks(bytes, 16000)) await d.exchange(part);
    const alt = (await d.exchange({ eof: 1 }))!;
    expect(Object.keys(alt)).toEqual(['alternatives']);
    const list = alt.alternatives as Record<string, unknown>[];
    expect(list.length).toBeGreaterThanOrEqual(1);
    expect(list.length).toBeLessThanOrEqual(3);
    for (const a of list) {
      expect(typeof a.text).toBe('string');
      expect(typeof a.confidence).toBe('number');
    }
    expect(list[0]!.text).toBe(final.text);
  });

  it('numerals: numbers come as numerals, one result entry per number spanning its words\' times', async () => {
    const { bytes, sampleRate } = wavPcm('digits-8k-fsdd-4159.wav');
    const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const finalOf = async (numerals: boolean): Promise<{ text: string; result?: { word: string; start: number; end: number }[] }> => {
      const c = await VoskClient.connect(url);
      c.send({ config: { sample_rate: sampleRate, words: 1, phrase_list: digits, endpoint: false, numerals } });
      for (const part of chunks(bytes, 4000)) await c.exchange(part);
      return (await c.exchange({ eof: 1 })) as { text: string; result?: { word: string; start: number; end: number }[] };
    };
    const plain = await finalOf(false);
    const numerals = await finalOf(true);
    const words = numerals.result ?? [];
    expect(words.map((w) => w.word).join(' ')).toBe(numerals.text);
    for (const w of words) expect(/^\d+$/.test(w.word) || digits.includes(w.word)).toBe(true);
    // the same speech, the same span of time
    const spoken = (t: string): string => t.split(' ').map((w) => (/^\d+$/.test(w) ? digitsToWords(w) : w)).join(' ');
    expect(spoken(numerals.text)).toBe(plain.text);
    expect(words[0]?.start).toBe(plain.result?.[0]?.start);
    expect(words.at(-1)?.end).toBe(plain.result?.at(-1)?.end);
  });

  it('mid-stream endpoints give results and a new utterance, times relative to the stream start', async () => {
    const { bytes } = wavPcm('librilight-831-130739-0004.wav');
    const c = await VoskClient.connect(url);
    c.send({ config: { sample_rate: 16000, words: 1, endpoint: { maxUtterance: 1.5, trailingSilence: 0.3 } } });
    const results: Record<string, unknown>[] = [];
    for (const part of chunks(bytes, 4000)) {
      const r = (await c.exchange(part))!;
      if ('text' in r) results.push(r);
    }
    results.push((await c.exchange({ eof: 1 }))!);
    expect(results.length).toBeGreaterThanOrEqual(3);
    const words = results.flatMap((r) => (r.result ?? []) as { start: number; end: number }[]);
    for (let i = 1; i < words.length; i++) expect(words[i]!.start).toBeGreaterThanOrEqual(words[i - 1]!.end - 1e-6);
    // Words of later utterances carry times from the stream start, not from their utterance start.
    const last = words.at(-1);
    if (last) expect(last.end).toBeGreaterThan(1.5);
  });

  it('reset replies with the utterance so far and starts again; times keep counting from the connection start', async () => {
    const { bytes } = wavPcm(FOX);
    const c = await VoskClient.connect(url);
    c.send({ config: { words: true } });
    const parts = chunks(bytes, 8000);
    for (const part of parts) await c.exchange(part);
    const first = (await c.exchange({ reset: 1 }))!;
    expect('text' in first).toBe(true);
    for (const part of parts) await c.exchange(part);
    const second = (await c.exchange({ eof: 1 }))!;
    expect(second.text).toBe(first.text);
    const seconds = bytes.length / 32000;
    const w1 = (first.result ?? []) as { start: number; end: number; word: string }[];
    const w2 = (second.result ?? []) as { start: number; end: number; word: string }[];
    expect(w2.map((w) => w.word)).toEqual(w1.map((w) => w.word));
    w1.forEach((w, i) => expect(w2[i]!.start).toBeCloseTo(w.start + seconds, 2));
    expect((await c.closed).code).toBe(1000);
  });

  it('a sample split across messages (odd byte counts) gives the same result as whole samples', async () => {
    const { bytes } = wavPcm(FOX);
    const run = async (size: number): Promise<unknown> => {
      const c = await VoskClient.connect(url);
      c.send({ config: { words: true } });
      for (const part of chunks(bytes, size)) c.send(part);
      c.send({ eof: 1 });
      await c.closed;
      return c.messages.at(-1);
    };
    expect(await run(4001)).toEqual(await run(4000));
  });

  it('f32le extension gives the same result as s16le', async () => {
    const { bytes } = wavPcm(FOX);
    const floats = new Float32Array(bytes.length / 2);
    for (let i = 0; i < floats.length; i++) {
      const v = bytes.readInt16LE(2 * i);
      floats[i] = v < 0 ? v / 32768 : v / 32767;
    }
    const asF32 = Buffer.from(floats.buffer);
    const run = async (data: Buffer, format: string, size: number): Promise<unknown> => {
      const c = await VoskClient.connect(url);
      c.send({ config: { words: true, format } });
      for (const part of chunks(data, size)) c.send(part);
      c.send({ eof: 1 });
      await c.closed;
      return c.messages.at(-1);
    };
    expect(await run(asF32, 'f32le', 6400)).toEqual(await run(bytes, 's16le', 3200));
  });

  it('8 kHz audio is resampled; eof with no audio gives an empty result', async () => {
    const { bytes, sampleRate } = wavPcm('digit-8k-fsdd-7.wav');
    expect(sampleRate).toBe(8000);
    const c = await VoskClient.connect(url);
    c.send({ config: { sample_rate: 8000 } });
    for (const part of chunks(bytes, 1600)) expect(await c.exchange(part)).not.toBeNull();
    expect(typeof (await c.exchange({ eof: 1 }))!.text).toBe('string');
    const e = await VoskClient.connect(url);
    expect(await e.exchange({ eof: 1 })).toEqual({ text: '' });
    expect((await e.closed).code).toBe(1000);
  });

  it('phrase_list restricts recognition to its words, as in Vosk; [unk] stands for other speech', async () => {
    const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'oh'];
    const run = async (file: string, phraseList: string[]) => {
      const { bytes, sampleRate } = wavPcm(file);
      const c = await VoskClient.connect(url);
      c.send({ config: { sample_rate: sampleRate, phrase_list: phraseList, words: 1 } });
      for (const part of chunks(bytes, 4000)) await c.exchange(part);
      const final = (await c.exchange({ eof: 1 }))!;
      expect((await c.closed).code).toBe(1000);
      const replies = c.messages.map((m) => String(m.partial ?? m.text ?? ''));
      return { final, words: replies.join(' ').split(' ').filter(Boolean) };
    };
    const inGrammar = await run('digits-8k-fsdd-4159.wav', digits);
    for (const w of inGrammar.words) expect(digits).toContain(w); // every partial and the final
    if (REAL_MODEL) expect(inGrammar.final.text).not.toBe('');
    const outside = await run(FOX, [...digits, '[unk]']);
    for (const w of outside.words) expect([...digits, '[unk]']).toContain(w);
    for (const w of (outside.final.result ?? []) as Array<{ word: string }>) expect([...digits, '[unk]']).toContain(w.word);
  });
});
