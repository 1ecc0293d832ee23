import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPunctuationModel } from '../../src/punctuation/model.js';
import type { HearkenServer } from '../../src/server/index.js';
import { VoskClient, chunks, startServer, wavPcm } from './helpers.js';

describe('server "punctuate" config', () => {
  let server: HearkenServer;
  let url: string;
  beforeAll(async () => ({ server, url } = await startServer({ workers: 1 })));
  afterAll(async () => server.close());

  it('punctuates results and partials; result entries carry the shown words with their times', async () => {
    const { bytes, sampleRate } = wavPcm('tts-espeak-fox.wav');
    type Final = { text: string; result?: { word: string; start: number; end: number; conf: number }[] };
    const finalOf = async (punctuate: boolean): Promise<{ final: Final; partials: string[] }> => {
      const c = await VoskClient.connect(url);
      c.send({ config: { sample_rate: sampleRate, words: 1, endpoint: false, punctuate } });
      const partials: string[] = [];
      for (const part of chunks(bytes, 4000)) {
        const reply = (await c.exchange(part)) as { partial?: string };
        if (reply.partial) partials.push(reply.partial);
      }
      return { final: (await c.exchange({ eof: 1 })) as Final, partials };
    };
    const plain = await finalOf(false);
    const shown = await finalOf(true);
    // the shipped model's reading of the words and the pauses between them
    const model = defaultPunctuationModel();
    const words = plain.final.result ?? [];
    const pauses = words.map((w, i) => (i + 1 < words.length ? words[i + 1]!.start - w.end : Number.NaN));
    expect(shown.final.text).toBe(model.punctuate(words.map((w) => w.word), true, model.trellis(), pauses).join(' '));
    expect(shown.final.text).toMatch(/^[A-Z].*[.?]$/);
    expect(shown.final.result?.map((w) => w.word).join(' ')).toBe(shown.final.text);
    expect(shown.final.result?.map((w) => [w.start, w.end, w.conf])).toEqual(plain.final.result?.map((w) => [w.start, w.end, w.conf]));
    expect(shown.partials).toEqual(plain.partials.map((p) => defaultPunctuationModel().punctuateText(p, false)));
  });
});
