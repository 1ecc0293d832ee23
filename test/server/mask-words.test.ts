import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HearkenServer } from '../../src/server/index.js';
import { ProtocolError, parseConfig } from '../../src/server/protocol.js';
import { DEFAULT_MASK_WORDS } from '../../src/text/mask-words.js';
import { VoskClient, chunks, startServer, wavPcm } from './helpers.js';

describe('server "mask_words" config', () => {
  it('takes a list of words, true for the default list, false for none; anything else is a 1007 error', () => {
    expect(parseConfig({ mask_words: ['Darn', 'heck'] }).maskWords).toEqual(['darn', 'heck']);
    expect(parseConfig({ mask_words: true }).maskWords).toEqual([...DEFAULT_MASK_WORDS]);
    expect(parseConfig({ mask_words: false }).maskWords).toEqual([]);
    for (const bad of ['heck', 1, null, ['two words'], [42], { heck: true }]) {
      expect(() => parseConfig({ mask_words: bad }), JSON.stringify(bad)).toThrow(ProtocolError);
      try {
        parseConfig({ mask_words: bad });
      } catch (err) {
        expect((err as ProtocolError).closeCode).toBe(1007);
        expect((err as ProtocolError).code).toBe('INVALID_PAYLOAD');
        expect((err as Error).message).toMatch(/^"mask_words"/);
      }
    }
  });

  describe('over a WebSocket', { timeout: 300_000 }, () => {
    let server: HearkenServer;
    let url: string;
    beforeAll(async () => ({ server, url } = await startServer({ workers: 1 })));
    afterAll(async () => server.close());

    type Final = { text: string; result?: { word: string; start: number; end: number; conf: number }[] };
    const session = async (config: Record<string, unknown>): Promise<{ final: Final; partials: string[] }> => {
      const { bytes, sampleRate } = wavPcm('tts-espeak-fox.wav');
      const c = await VoskClient.connect(url);
      c.send({ config: { sample_rate: sampleRate, words: 1, endpoint: false, ...config } });
      const partials: string[] = [];
      for (const part of chunks(bytes, 4000)) {
        const reply = (await c.exchange(part)) as { partial?: string };
        if (reply.partial) partials.push(reply.partial);
      }
      return { final: (await c.exchange({ eof: 1 })) as Final, partials };
    };

    it('masks the listed words in results, result entries and partials', async () => {
      const plain = await session({});
      const heard = (plain.final.result ?? []).map((w) => w.word);
      expect(heard.length).toBeGreaterThan(2);
      // two of the words this audio is heard as, listed in capitals
      const listed = [heard[1]!, heard[heard.length - 1]!];
      const mask = (text: string): string => text.split(' ').map((w) => (listed.includes(w) ? '*'.repeat(w.length) : w)).join(' ');
      const shown = await session({ mask_words: listed.map((w) => w.toUpperCase()) });
      expect(shown.final.text).toBe(mask(plain.final.text));
      expect(shown.final.result?.map((w) => w.word)).toEqual(heard.map(mask));
      expect(shown.final.result?.map((w) => [w.start, w.end, w.conf])).toEqual(plain.final.result?.map((w) => [w.start, w.end, w.conf]));
      expect(shown.partials).toEqual(plain.partials.map(mask));
    });

    it('a bad list closes the stream with 1007 and says why', async () => {
      const c = await VoskClient.connect(url);
      c.send({ config: { mask_words: ['fine', 'not fine'] } });
      const reply = await c.next();
      expect(String(reply?.error)).toMatch(/"mask_words": word to mask 2/);
      expect((await c.closed).code).toBe(1007);
    });
  });
});
