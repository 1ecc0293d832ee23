import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import type { Hotword } from '../decoder/hotwords.js';
import { FORMAT_EXTENSIONS, OUTPUT_FORMATS, formatResult, type OutputFormat } from '../output/formats.js';
import { outputFileNames } from '../output/names.js';
import { transcribeFiles } from '../recognizer/batch.js';
import { collectHotword, grammarFromFlags, positiveInt, recognizerOptions, withDecodingFlags, withGrammarFlags, type DecodingFlags, type GrammarFlags } from './options.js';

interface TranscribeFlags extends DecodingFlags, GrammarFlags {
  format: OutputFormat;
  out?: string;
  hotword: Hotword[];
  workers?: number;
  progress: boolean;
  numerals?: boolean;
  punctuate?: boolean;
}

export function transcribeCommand(): Command {
  const command = new Command('transcribe')
    .description('transcribe audio files (WAV, FLAC, Ogg Opus or Vorbis, MP3) to text, JSON with word times, SRT or VTT')
    .argument('<files...>', 'audio files')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS as string[]).default('text'))
    .option('--out <dir>', 'write one output file per input into this folder instead of stdout')
    .option('--hotword <word[:boost]>', 'favour a word or phrase (repeatable)', collectHotword, [])
    .option('--numerals', 'write numbers as numerals: "1984", "21st", "3.14", "50%" (default: as spoken)')
    .option('--punctuate', 'punctuate and case for display: "The fox jumped. It was tired." (default: lowercase words)')
    .option('--workers <n>', 'worker threads (default: one per core, at most one per file)', positiveInt)
    .option('--no-progress', 'no progress bar');
  return withDecodingFlags(withGrammarFlags(command)).action(async (files: string[], flags: TranscribeFlags) => {
    const grammar = await grammarFromFlags(flags);
    const outNames = flags.out ? outputFileNames(files, FORMAT_EXTENSIONS[flags.format]) : [];
    if (flags.out) await mkdir(flags.out, { recursive: true });
    const showBar = flags.progress && process.stderr.isTTY && (files.length > 1 || flags.out !== undefined);
    const bar = showBar ? new cliProgress.SingleBar({ stream: process.stderr, format: 'transcribe [{bar}] {value}/{total} files {eta_formatted}' }, cliProgress.Presets.shades_classic) : null;
    bar?.start(files.length, 0);
    const outputs: (string | null)[] = new Array<string | null>(files.length).fill(null);
    let failed = 0;
    let audio = 0;
    let compute = 0;
    let next = 0;
    const writes: Promise<void>[] = [];
    await transcribeFiles(files, {
      recognizer: recognizerOptions(flags),
      hotwords: flags.hotword,
      grammar,
      numerals: flags.numerals,
      punctuate: flags.punctuate,
      workers: flags.workers,
      onResult: (path, outcome, index) => {
        bar?.increment();
        if (!outcome.ok) {
          failed++;
          process.stderr.write(`${bar ? '\n' : ''}hearken: skipped ${path}: ${outcome.error}\n`);
          outputs[index] = '';
        } else {
          audio += outcome.audioSeconds;
          compute += outcome.computeSeconds;
          const text = formatResult(outcome.result, flags.format, { file: path });
          if (flags.out) {
            writes.push(writeFile(join(flags.out, outNames[index]!), text));
            outputs[index] = '';
          } else {
            outputs[index] = files.length > 1 && flags.format === 'text' ? `${path}\t${text}` : text;
          }
        }
        // Print in input order as soon as every earlier file is done.
        while (next < files.length && outputs[next] !== null) process.stdout.write(outputs[next++]!);
      },
    });
    await Promise.all(writes);
    bar?.stop();
    if (files.length > 1 || flags.out) {
      process.stderr.write(`${files.length - failed}/${files.length} files, ${audio.toFixed(1)} s of audio, RTF ${(compute / Math.max(audio, 1e-9)).toFixed(3)} per worker\n`);
    }
    if (failed > 0) process.exitCode = 1;
  });
}
