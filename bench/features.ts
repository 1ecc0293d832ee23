import { join } from 'node:path';
import { readAudioFile } from '../src/audio/index.js';
import { computeMfcc } from '../src/features/index.js';

const ROOT = new URL('..', import.meta.url).pathname;

/** Front-end real-time factor (compute seconds / audio seconds) on one thread, best of 3 runs. */
export async function benchFeatures(): Promise<{ file: string; audioSeconds: number; rtf: number; decodeRtf: number }> {
  const file = join(ROOT, 'audio-samples', 'long-librilight-248.wav');
  let best = Infinity;
  let decodeBest = Infinity;
  let audioSeconds = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const audio = await readAudioFile(file);
    const t1 = performance.now();
    computeMfcc(audio.samples);
    const t2 = performance.now();
    audioSeconds = audio.samples.length / audio.sampleRate;
    best = Math.min(best, (t2 - t1) / 1000);
    decodeBest = Math.min(decodeBest, (t1 - t0) / 1000);
  }
  return { file: 'audio-samples/long-librilight-248.wav', audioSeconds, rtf: best / audioSeconds, decodeRtf: decodeBest / audioSeconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchFeatures();
  console.log(`features: ${r.audioSeconds.toFixed(1)} s of audio, MFCC RTF ${r.rtf.toFixed(4)}, WAV read RTF ${r.decodeRtf.toFixed(5)}`);
}
