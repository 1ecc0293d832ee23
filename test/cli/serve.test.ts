import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recognizer } from '../../src/recognizer/index.js';
import { join } from 'node:path';
import { SAMPLES } from '../helpers.js';
import { VoskClient, batchRecognizer, chunks, joinedText, spawnServe, wavPcm, type ServeProcess } from '../server/helpers.js';

const FILE = 'librilight-248-130644-0000.wav';

/** One stream over the socket: config, the audio in 8 KB messages, eof; the texts of its results joined. */
async function transcribeOverSocket(port: number, config: Record<string, unknown>): Promise<string> {
  const client = await VoskClient.connect(`ws://127.0.0.1:${port}`);
  const { bytes, sampleRate } = wavPcm(FILE);
  client.send({ config: { sample_rate: sampleRate, ...config } });
  const results: Record<string, unknown>[] = [];
  for (const chunk of chunks(bytes, 8000)) {
    const reply = await client.exchange(chunk);
    if (reply && 'text' in reply) results.push(reply);
  }
  const last = await client.exchange({ eof: 1 });
  if (last) results.push(last);
  client.ws.close();
  return joinedText(results);
}

describe('hearken serve --numerals --punctuate', { timeout: 300_000 }, () => {
  let serve: ServeProcess;
  let recognizer: Recognizer;
  beforeAll(async () => {
    [serve, recognizer] = await Promise.all([spawnServe(['--numerals', '--punctuate']), batchRecognizer()]);
  }, 300_000);
  afterAll(async () => {
    serve.child.kill('SIGTERM');
    await serve.exited;
    await recognizer.close();
  });

  it('are every stream\'s defaults, which a stream\'s config can turn off', async () => {
    const path = join(SAMPLES, FILE);
    const shown = (await recognizer.transcribeFile(path, { numerals: true, punctuate: true })).text;
    const plain = (await recognizer.transcribeFile(path)).text;
    expect(plain).not.toBe('');
    expect(shown).not.toBe(plain); // punctuation adds at least a capital and a final mark
    expect(await transcribeOverSocket(serve.port, {})).toBe(shown);
    expect(await transcribeOverSocket(serve.port, { numerals: false, punctuate: false })).toBe(plain);
  });
});
