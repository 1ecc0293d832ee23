/**
 * `npm run bench`: front end, recognizer (by stage, greedy and beam+LM, with PocketSphinx side by side) and,
 * where present, the server. Prints tables and writes bench/results/latest.json.
 * Flags: --quick (8 files per set), --no-pocketsphinx, --no-server, --no-grammar, --no-punctuation.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { benchFeatures } from './features.js';
import { benchGrammar, printGrammarTable } from './grammar.js';
import { benchPunctuation, printPunctuation } from './punctuation.js';
import { benchRecognizer, printRecognizerTable, recognizerMarkdown } from './recognizer.js';

const args = process.argv.slice(2);
const results: Record<string, unknown> = { date: new Date().toISOString(), cpu: (await import('node:os')).cpus()[0]?.model };

const features = await benchFeatures();
results.features = features;
console.log(`features (1 thread): ${features.audioSeconds.toFixed(1)} s audio, MFCC RTF ${features.rtf.toFixed(4)}, WAV read RTF ${features.decodeRtf.toFixed(5)}\n`);

const recognizer = await benchRecognizer({ quick: args.includes('--quick'), pocketsphinx: !args.includes('--no-pocketsphinx') });
results.recognizer = recognizer;
printRecognizerTable(recognizer);
results.recognizerMarkdown = recognizerMarkdown(recognizer);

if (!args.includes('--no-grammar')) {
  const grammar = await benchGrammar({ files: args.includes('--quick') ? 12 : 40, pocketsphinx: !args.includes('--no-pocketsphinx') });
  results.grammar = grammar;
  console.log('');
  printGrammarTable(grammar);
}

if (!args.includes('--no-punctuation')) {
  const punctuation = await benchPunctuation();
  results.punctuation = punctuation;
  console.log('');
  printPunctuation(punctuation);
}

const serverBench = new URL('./server.ts', import.meta.url).pathname;
if (!args.includes('--no-server') && existsSync(serverBench)) {
  const mod = (await import(serverBench)) as { benchServer?: (o: { quick: boolean }) => Promise<unknown> };
  if (mod.benchServer) results.server = await mod.benchServer({ quick: args.includes('--quick') });
}

const dir = new URL('./results/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, JSON.stringify(results, null, 2));
console.log('\nwritten to bench/results/latest.json');
