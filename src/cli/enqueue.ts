import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { normalizeGrammar } from '../decoder/grammar.js';
import type { Hotword } from '../decoder/hotwords.js';
import { BatchOutput } from '../output/batch-output.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/formats.js';
import { TranscriptionQueue } from '../queue/enqueue.js';
import { DEFAULT_JOB_TTL_SECONDS, DEFAULT_MAX_JOB_BYTES, DEFAULT_QUEUE, type JobTranscribeOptions } from '../queue/job.js';
import type { TranscribeOutcome } from '../recognizer/transcribe-worker.js';
import { grammarFromFlags, maskWordsFromFlags, positiveInt, recognizerOptions, withDecodingFlags, withDisplayFlags, withGrammarFlags, withHotwordFlag, withMaskWordsFlag, type DecodingFlags, type DisplayFlags, type GrammarFlags, type MaskFlags } from './options.js';
import { durationSeconds } from './transcribe.js';

interface EnqueueFlags extends DecodingFlags, GrammarFlags, DisplayFlags, MaskFlags {
  redis: string;
  queue: string;
  wait?: boolean;
  format: OutputFormat;
  out?: string;
  hotword?: Hotword[];
  maxDuration?: number;
  maxMb: number;
  ttl: number;
  progress: boolean;
}

/** A file refused before queueing, as transcribe's threads report a file they cannot read. */
function refusal(err: unknown): TranscribeOutcome & { ok: false } {
  const code = (err as { code?: unknown } | null)?.code;
  return { ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), ...(typeof code === 'string' ? { code } : {}) };
}

/** The job options the flags ask for: what `hearken transcribe` would do with the same flags. The model and LM files are the worker's. */
async function jobOptions(flags: EnqueueFlags): Promise<JobTranscribeOptions> {
  if (flags.model !== undefined || typeof flags.lm === 'string' || flags.lm === false) throw new Error('--model, --lm and --no-lm are set on the worker (hearken worker --model DIR), not per job');
  const grammar = await grammarFromFlags(flags);
  if (grammar) normalizeGrammar(grammar); // a bad grammar is one error now, not one failed job per file
  const { model: _model, lm: _lm, ...recognizer } = recognizerOptions(flags);
  return {
    recognizer,
    hotwords: flags.hotword,
    grammar,
    numerals: flags.numerals,
    punctuate: flags.punctuate,
    maskWords: await maskWordsFromFlags(flags),
    maxDuration: flags.maxDuration,
  };
}

/** Queues each file and prints its job id; a file that cannot be queued is named on stderr (exit code 1). */
async function submit(queue: TranscriptionQueue, files: readonly string[], options: JobTranscribeOptions): Promise<void> {
  await Promise.all(
    files.map(async (path) => {
      try {
        const job = await queue.submitFile(path, options);
        process.stdout.write(`${job.id}\t${path}\n`);
      } catch (err) {
        const refused = refusal(err);
        process.stderr.write(`hearken: skipped ${path}: ${refused.error}${refused.code ? ` (${refused.code})` : ''}\n`);
        process.exitCode = 1;
      }
    }),
  );
}

/** Queues each file, waits for every job to end, and writes what `hearken transcribe` writes for the same files. */
async function submitAndWait(queue: TranscriptionQueue, files: readonly string[], options: JobTranscribeOptions, flags: EnqueueFlags): Promise<void> {
  const output = await BatchOutput.open(files, { format: flags.format, out: flags.out });
  const bar = flags.progress && process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: 'enqueue [{bar}] {value}/{total} files {eta_formatted}' }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(files.length, 0);
  await Promise.all(
    files.map(async (path, index) => {
      let outcome: TranscribeOutcome;
      try {
        const ended = await queue.outcome((await queue.submitFile(path, options)).id);
        outcome = ended.ok ? { ok: true, ...ended.value } : ended;
      } catch (err) {
        outcome = refusal(err);
      }
      bar?.increment();
      output.write(path, outcome, index, bar !== null);
    }),
  );
  bar?.stop();
  await output.finish();
}

/** `hearken enqueue`: one queue job per file; with --wait, writes what `hearken transcribe` writes. */
export function enqueueCommand(): Command {
  const command = new Command('enqueue')
    .description('queue audio files for `hearken worker`s (the audio travels in the job); --wait writes the results as `hearken transcribe` does')
    .argument('<files...>', 'audio files')
    .option('--redis <url>', 'Redis URL', process.env.HEARKEN_REDIS ?? 'redis://127.0.0.1:6379')
    .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
    .option('--wait', 'wait for the results and write them (default: print each job id and exit)')
    .addOption(new Option('--format <format>', 'with --wait: the output format, as for hearken transcribe').choices(OUTPUT_FORMATS as string[]).default('text'))
    .option('--out <dir>', 'with --wait, write one output file per input into this folder instead of stdout')
    .option('--max-duration <time>', 'jobs skip files longer than this (seconds, or 90m, 2h) with error TOO_LONG (default: no limit)', durationSeconds)
    .option('--max-mb <n>', 'refuse files larger than this many MiB', positiveInt, DEFAULT_MAX_JOB_BYTES / 2 ** 20)
    .option('--ttl <seconds>', 'how long finished jobs (audio, result, error) stay in Redis', positiveInt, DEFAULT_JOB_TTL_SECONDS)
    .option('--no-progress', 'no progress bar');
  withDecodingFlags(withGrammarFlags(withMaskWordsFlag(withDisplayFlags(withHotwordFlag(command)))));
  // the worker owns the model files; these stay refused (see jobOptions) and out of the help
  for (const option of command.options) if (['--model', '--lm', '--no-lm'].includes(option.long ?? '')) option.hideHelp();
  return command.action(async (files: string[], flags: EnqueueFlags) => {
    const options = await jobOptions(flags);
    if (!flags.wait && flags.out !== undefined) throw new Error('--out needs --wait');
    const queue = new TranscriptionQueue({ redis: flags.redis, queue: flags.queue, maxJobBytes: flags.maxMb * 2 ** 20, ttlSeconds: flags.ttl });
    try {
      await queue.connected(); // one clear error for an unreachable Redis, not one per file
      if (flags.wait) await submitAndWait(queue, files, options, flags);
      else await submit(queue, files, options);
    } finally {
      await queue.close();
    }
  });
}
