import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import type { Hotword } from '../decoder/hotwords.js';
import { BatchOutput } from '../output/batch-output.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/formats.js';
import { transcribeFiles } from '../recognizer/batch.js';
import { grammarFromFlags, maskWordsFromFlags, positiveInt, recognizerOptions, withDecodingFlags, withDisplayFlags, withGrammarFlags, withHotwordFlag, withMaskWordsFlag, type DecodingFlags, type DisplayFlags, type GrammarFlags, type MaskFlags } from './options.js';

interface TranscribeFlags extends DecodingFlags, GrammarFlags, DisplayFlags, MaskFlags {
  format: OutputFormat;
  out?: string;
  hotword?: Hotword[];
  workers?: number;
  progress: boolean;
  maxDuration?: number;
}

/** `--max-duration`: seconds, or minutes/hours with a unit ("90m", "2h"). */
export function durationSeconds(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(value);
  const n = m ? Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1) : NaN;
  if (!(n > 0)) throw new InvalidArgumentError('must be a positive duration: seconds, or with a unit (90m, 2h)');
  return n;
}

export function transcribeCommand(): Command {
  const command = new Command('transcribe')
    .description('transcribe audio files (WAV, FLAC, Ogg Opus or Vorbis, MP3) to text, JSON with word times, SRT or VTT; long files are read as streams, in bounded memory')
    .argument('<files...>', 'audio files')
    .addOption(new Option('--format <format>', 'text: one line; json: text, words and segments (utterances) with times, several files as one array; jsonl: one such JSON object per file per line; srt, vtt: subtitles')
      .choices(OUTPUT_FORMATS as string[]).default('text'))
    .option('--out <dir>', 'write each file\'s output into DIR instead of stdout, named as the input with the format\'s extension (talk.wav: DIR/talk.txt, .json, .jsonl, .srt or .vtt)')
    .option('--max-duration <time>', 'skip files longer than this (seconds, or 90m, 2h) with error TOO_LONG (default: no limit)', durationSeconds)
    .option('--workers <n>', 'worker threads (default: one per core, at most one per file)', positiveInt)
    .option('--no-progress', 'no progress bar');
  return withDecodingFlags(withGrammarFlags(withMaskWordsFlag(withDisplayFlags(withHotwordFlag(command))))).action(async (files: string[], flags: TranscribeFlags) => {
    const grammar = await grammarFromFlags(flags);
    const output = await BatchOutput.open(files, { format: flags.format, out: flags.out });
    const showBar = flags.progress && process.stderr.isTTY && (files.length > 1 || flags.out !== undefined);
    const bar = showBar ? new cliProgress.SingleBar({ stream: process.stderr, format: 'transcribe [{bar}] {value}/{total} files {eta_formatted}' }, cliProgress.Presets.shades_classic) : null;
    bar?.start(files.length, 0);
    await transcribeFiles(files, {
      recognizer: recognizerOptions(flags),
      hotwords: flags.hotword ?? [],
      grammar,
      numerals: flags.numerals,
      punctuate: flags.punctuate,
      maskWords: await maskWordsFromFlags(flags),
      maxDuration: flags.maxDuration,
      workers: flags.workers,
      onResult: (path, outcome, index) => {
        bar?.increment();
        output.write(path, outcome, index, bar !== null);
      },
    });
    bar?.stop();
    await output.finish();
  });
}
