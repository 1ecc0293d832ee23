import { mkdirSync, writeFileSync } from 'node:fs';
import { benchFeatures } from './features.js';

const results: Record<string, unknown> = { date: new Date().toISOString() };
const features = await benchFeatures();
results.features = features;
console.log(`features (1 thread): ${features.audioSeconds.toFixed(1)} s audio, MFCC RTF ${features.rtf.toFixed(4)}, WAV read RTF ${features.decodeRtf.toFixed(5)}`);

const dir = new URL('./results/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, JSON.stringify(results, null, 2));
console.log(`written to bench/results/latest.json`);
