import { readAudioFile } from '../src/audio/index.js';
import { createRecognizer } from '../src/recognizer/index.js';
const mb = (x: number) => (x / 1e6).toFixed(1);
const rec = await createRecognizer({});
const audio = await readAudioFile('audio-samples/long-librilight-248.wav');
const streams = [];
globalThis.gc?.();
const m0 = process.memoryUsage();
const N = 50;
for (let i = 0; i < N; i++) {
  const s = rec.createStream();
  s.acceptWaveform(audio.samples.subarray(0, 16000 * 6), 16000);
  await s.decode();
  streams.push(s);
}
globalThis.gc?.();
const m1 = process.memoryUsage();
console.log('per stream: rss', mb((m1.rss - m0.rss) / N), 'heap', mb((m1.heapUsed - m0.heapUsed) / N), 'ab', mb((m1.arrayBuffers - m0.arrayBuffers) / N), 'external', mb((m1.external - m0.external) / N));
