import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recognizer, RecognitionResult } from '../../src/recognizer/index.js';
import type { HearkenServer } from '../../src/server/index.js';
import { SAMPLES } from '../helpers.js';
import { VoskClient, batchRecognizer, chunks, joinedText, metricValue, startServer, waitFor, wavPcm } from './helpers.js';

const FILES = [
  'librilight-248-130644-0000.wav',
  'librilight-831-130739-0004.wav',
  'librilight-831-130739-0011.wav',
  'tts-espeak-fox.wav',
  'tts-flite-stella.wav',
  'digit-8k-fsdd-7.wav',
];

/** Streams a file as fast as the server takes it; returns the stream's results (mid-stream ones, then the final). */
async function stream(url: string, file: string, chunkMs: number): Promise<Record<string, unknown>[]> {
  const { bytes, sampleRate } = wavPcm(file);
  const c = await VoskClient.connect(url);
  c.send({ config: { sample_rate: sampleRate, words: true } });
  const parts = chunks(bytes, Math.round((sampleRate * 2 * chunkMs) / 1000));
  for (const part of parts) c.send(part);
  c.send({ eof: 1 });
  expect((await c.closed).code).toBe(1000);
  expect(c.messages.length).toBe(parts.length + 1);
  return c.messages.filter((m) => 'text' in m);
}

function words(results: Record<string, unknown>[]): unknown[] {
  return results.flatMap((r) => (r.result ?? []) as unknown[]);
}

describe('concurrent streams', () => {
  let server: HearkenServer;
  let url: string;
  let recognizer: Recognizer;
  const batch = new Map<string, RecognitionResult>();
  beforeAll(async () => {
    ({ server, url } = await startServer({ workers: 2 }));
    recognizer = await batchRecognizer();
    for (const f of FILES) batch.set(f, await recognizer.transcribeFile(join(SAMPLES, f)));
  });
  afterAll(async () => {
    await server.close();
    await recognizer.close();
  });

  it('12 concurrent streams over 2 workers return the same transcripts and word times as batch transcription', async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => ({ file: FILES[i % FILES.length]!, chunkMs: [100, 250, 40][i % 3]! }));
    const outcomes = await Promise.all(jobs.map((j) => stream(url, j.file, j.chunkMs)));
    outcomes.forEach((results, i) => {
      const expected = batch.get(jobs[i]!.file)!;
      expect(joinedText(results)).toBe(expected.text);
      expect(words(results)).toEqual(expected.words.map((w) => ({ conf: w.conf, start: w.start, end: w.end, word: w.word })));
    });
    await waitFor(async () => (await metricValue(server, 'hearken_active_streams')) === 0);
    expect(await metricValue(server, 'hearken_audio_seconds_total')).toBeGreaterThan(10);
  });

  it('a client vanishing mid-stream frees its stream; the others carry on', async () => {
    const { bytes } = wavPcm('librilight-248-130644-0000.wav');
    const gone = await VoskClient.connect(url);
    const stays = stream(url, 'tts-flite-stella.wav', 100);
    for (const part of chunks(bytes, 3200).slice(0, 40)) gone.send(part);
    await gone.next();
    gone.ws.terminate(); // no close frame: the TCP connection just drops
    const results = await stays;
    expect(joinedText(results)).toBe(batch.get('tts-flite-stella.wav')!.text);
    await waitFor(async () => (await metricValue(server, 'hearken_active_streams')) === 0);
    expect(server.activeStreams).toBe(0);
  });
});
