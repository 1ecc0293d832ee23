/**
 * Grammar benchmark: spoken digit strings, recognised as open dictation, with a digits grammar, with the grammar
 * plus [unk], and by PocketSphinx with the equivalent JSGF grammar, on the same files in the same run.
 *
 * The speech is synthesised here by the TTS voices the training recipe holds out (flite rms, espeak-ng en-029
 * variants), so no model under test was trained on these voices; the digit strings are random (seeded).
 * Usage: npx tsx bench/grammar.ts [--files N] [--no-pocketsphinx]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAudioFile } from '../src/audio/index.js';
import { createRecognizer } from '../src/recognizer/index.js';
import { WerAccumulator } from '../src/text/wer.js';
import { rng } from '../src/util/random.js';
import { ensurePocketsphinx, pocketsphinx } from './recognizer.js';
import { cpuSecondsAsync } from './stage-timing.js';

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const VOICES: Array<{ name: string; say: (text: string, out: string) => void }> = [
  { name: 'flite rms', say: (text, out) => execFileSync('flite', ['-voice', 'rms', '-t', text, '-o', out]) },
  ...['f4', 'edward2', 'steph3'].map((variant) => ({
    name: `espeak-ng en-029+${variant}`,
    say: (text: string, out: string) => execFileSync('espeak-ng', ['-v', `en-029+${variant}`, '-w', out, text]),
  })),
];

export interface GrammarBenchResult {
  files: number;
  audioSeconds: number;
  voices: string[];
  wer: { open: number; grammar: number; grammarUnk: number; pocketsphinxGrammar: number | null };
  rtf: { open: number; grammar: number; pocketsphinxGrammar: number | null };
}

export async function benchGrammar(options: { files?: number; pocketsphinx?: boolean } = {}): Promise<GrammarBenchResult> {
  const n = options.files ?? 40;
  const dir = mkdtempSync(join(tmpdir(), 'hearken-grammar-bench-'));
  try {
    const random = rng(2026);
    const items: Array<{ path: string; text: string }> = [];
    for (let i = 0; i < n; i++) {
      const len = 3 + Math.floor(random() * 5);
      const text = Array.from({ length: len }, () => DIGITS[Math.floor(random() * 10)]!).join(' ');
      const raw = join(dir, `${i}.raw.wav`);
      const path = join(dir, `${i}.wav`);
      VOICES[i % VOICES.length]!.say(text, raw);
      execFileSync('sox', ['-V1', raw, '-r', '16000', '-c', '1', '-b', '16', path]);
      items.push({ path, text });
    }
    const gram = join(dir, 'digits.gram');
    writeFileSync(gram, `#JSGF V1.0;\ngrammar digits;\npublic <digits> = ( ${DIGITS.join(' | ')} )+ ;\n`);

    const recognizer = await createRecognizer();
    const wer = { open: new WerAccumulator(), grammar: new WerAccumulator(), grammarUnk: new WerAccumulator(), sphinx: new WerAccumulator() };
    const cpu = { open: 0, grammar: 0, sphinx: 0 };
    let audioSeconds = 0;
    const withSphinx = (options.pocketsphinx ?? true) && ensurePocketsphinx();
    for (const item of items) {
      const audio = await readAudioFile(item.path);
      audioSeconds += audio.samples.length / audio.sampleRate;
      let open = '';
      cpu.open += await cpuSecondsAsync(async () => {
        open = (await recognizer.transcribe(audio.samples, audio.sampleRate)).text;
      });
      let grammar = '';
      cpu.grammar += await cpuSecondsAsync(async () => {
        grammar = (await recognizer.transcribe(audio.samples, audio.sampleRate, { grammar: DIGITS })).text;
      });
      const unk = await recognizer.transcribe(audio.samples, audio.sampleRate, { grammar: [...DIGITS, '[unk]'] });
      wer.open.add(item.text, open);
      wer.grammar.add(item.text, grammar);
      wer.grammarUnk.add(item.text, unk.text);
      if (withSphinx) {
        const s = pocketsphinx(item.path, ['-jsgf', gram]);
        cpu.sphinx += s.cpu;
        wer.sphinx.add(item.text, s.text);
      }
    }
    await recognizer.close();
    return {
      files: n,
      audioSeconds,
      voices: VOICES.map((v) => v.name),
      wer: {
        open: wer.open.result().wer,
        grammar: wer.grammar.result().wer,
        grammarUnk: wer.grammarUnk.result().wer,
        pocketsphinxGrammar: withSphinx ? wer.sphinx.result().wer : null,
      },
      rtf: { open: cpu.open / audioSeconds, grammar: cpu.grammar / audioSeconds, pocketsphinxGrammar: withSphinx ? cpu.sphinx / audioSeconds : null },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printGrammarTable(r: GrammarBenchResult): void {
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  const f = (x: number | null) => (x === null ? '—' : x.toFixed(4));
  console.log(`grammar: ${r.files} digit strings, ${r.audioSeconds.toFixed(0)} s, held-out TTS voices (${r.voices.join(', ')})`);
  console.log(`  WER  open ${pct(r.wer.open)} | digits grammar ${pct(r.wer.grammar)} | grammar + [unk] ${pct(r.wer.grammarUnk)} | PocketSphinx JSGF ${pct(r.wer.pocketsphinxGrammar)}`);
  console.log(`  RTF  open ${f(r.rtf.open)} | digits grammar ${f(r.rtf.grammar)} | PocketSphinx JSGF ${f(r.rtf.pocketsphinxGrammar)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--files');
  const result = await benchGrammar({ files: i >= 0 ? Number(args[i + 1]) : undefined, pocketsphinx: !args.includes('--no-pocketsphinx') });
  printGrammarTable(result);
}
