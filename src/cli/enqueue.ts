import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { normalizeGrammar } from '../decoder/grammar.js';
import type { Hotword } from '../decoder/hotwords.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FORMAT_EXTENSIONS, OUTPUT_FORMATS, formatResult, type OutputFormat } from '../output/formats.js';
import { outputFileNames } from '../output/names.js';
import { TranscriptionQueue } from '../queue/enqueue.js';
import { DEFAULT_JOB_TTL_SECONDS, DEFAULT_MAX_JOB_BYTES, DEFAULT_QUEUE, type JobTranscribeOptions } from '../queue/job.js';
import type { TranscribeOutcome } from '../recognizer/transcribe-worker.js';
import { collectHotword, grammarFromFlags, positiveInt, recognizerOptions, withDecodingFlags, withGrammarFlags, type DecodingFlags, type GrammarFlags } from './options.js';

interface EnqueueFlags extends DecodingFlags, GrammarFlags {
  redis: string;
  queue: string;
  wait?: boolean;
  format: OutputFormat;
  out?: string;
  hotword: Hotword[];
  numerals?: boolean;
  punctuate?: boolean;
  maxMb: number;
  ttl: number;
  progress: boolean;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Writes outcomes as `hearken transcribe` does: files into --out, else stdout in input order (with the path
 * before each text when there are several files); failures on stderr; a summary line.
 * TODO(issue 32): replace with src/output's shared writer once transcribe.ts uses one.
 */
class BatchOutput {
  private readonly outputs: (string | null)[];
  private readonly writes: Promise<void>[] = [];
  private next = 0;
  private failed = 0;
  private audio = 0;
  private compute = 0;

  private constructor(private readonly files: readonly string[], private readonly flags: Pick<EnqueueFlags, 'format' | 'out'>, private readonly outNames: string[]) {
    this.outputs = new Array<string | null>(files.length).fill(null);
  }

  static async open(files: readonly string[], flags: Pick<EnqueueFlags, 'format' | 'out'>): Promise<BatchOutput> {
    const outNames = flags.out ? outputFileNames(files, FORMAT_EXTENSIONS[flags.format]) : [];
    if (flags.out) await mkdir(flags.out, { recursive: true });
    return new BatchOutput(files, flags, outNames);
  }

  write(path: string, outcome: TranscribeOutcome, index: number, afterBar: boolean): void {
    if (!outcome.ok) {
      this.failed++;
      process.stderr.write(`${afterBar ? '\n' : ''}hearken: skipped ${path}: ${outcome.error}\n`);
      this.outputs[index] = '';
    } else {
      this.audio += outcome.audioSeconds;
      this.compute += outcome.computeSeconds;
      const text = formatResult(outcome.result, this.flags.format, { file: path });
      if (this.flags.out) {
        this.writes.push(writeFile(join(this.flags.out, this.outNames[index]!), text));
        this.outputs[index] = '';
      } else {
        this.outputs[index] = this.files.length > 1 && this.flags.format === 'text' ? `${path}\t${text}` : text;
      }
    }
    while (this.next < this.files.length && this.outputs[this.next] !== null) process.stdout.write(this.outputs[this.next++]!);
  }

  async finish(): Promise<void> {
    await Promise.all(this.writes);
    const n = this.files.length;
    if (n > 1 || this.flags.out) {
      process.stderr.write(`${n - this.failed}/${n} files, ${this.audio.toFixed(1)} s of audio, RTF ${(this.compute / Math.max(this.audio, 1e-9)).toFixed(3)} per worker\n`);
    }
    if (this.failed > 0) process.exitCode = 1;
  }
}

/** The job options the flags ask for. The model and LM files are the worker's to choose. */
function jobOptions(flags: EnqueueFlags, grammar: string[] | undefined): JobTranscribeOptions {
  if (flags.model !== undefined || typeof flags.lm === 'string' || flags.lm === false) throw new Error('--model, --lm and --no-lm are set on the worker (hearken worker --model DIR), not per job');
  const { model: _model, lm: _lm, ...recognizer } = recognizerOptions(flags);
  return { recognizer, hotwords: flags.hotword.length > 0 ? flags.hotword : undefined, grammar, numerals: flags.numerals, punctuate: flags.punctuate };
}

/** `hearken enqueue`: one queue job per file; with --wait, writes what `hearken transcribe` writes. */
export function enqueueCommand(): Command {
  const command = new Command('enqueue')
    .description('queue audio files for `hearken worker`s (the audio travels in the job); --wait writes the results as `hearken transcribe` does')
    .argument('<files...>', 'audio files')
    .option('--redis <url>', 'Redis URL', process.env.HEARKEN_REDIS ?? 'redis://127.0.0.1:6379')
    .option('--queue <name>', 'queue name', DEFAULT_QUEUE)
    .option('--wait', 'wait for the results and write them (default: print each job id and exit)')
    .addOption(new Option('--format <format>', 'output format with --wait').choices(OUTPUT_FORMATS as string[]).default('text'))
    .option('--out <dir>', 'with --wait, write one output file per input into this folder instead of stdout')
    .option('--hotword <word[:boost]>', 'favour a word or phrase (repeatable)', collectHotword, [])
    .option('--numerals', 'write numbers as numerals: "1984", "21st", "3.14", "50%" (default: as spoken)')
    .option('--punctuate', 'punctuate and case for display (default: lowercase words)')
    .option('--max-mb <n>', 'refuse files larger than this many MiB', positiveInt, DEFAULT_MAX_JOB_BYTES / 2 ** 20)
    .option('--ttl <seconds>', 'how long finished jobs (audio, result, error) stay in Redis', positiveInt, DEFAULT_JOB_TTL_SECONDS)
    .option('--no-progress', 'no progress bar');
  withDecodingFlags(withGrammarFlags(command));
  // the worker owns the model files; these stay refused (see jobOptions) and out of the help
  for (const option of command.options) if (['--model', '--lm', '--no-lm'].includes(option.long ?? '')) option.hideHelp();
  return command.action(async (files: string[], flags: EnqueueFlags) => {
    const grammar = await grammarFromFlags(flags);
    if (grammar) normalizeGrammar(grammar); // a bad grammar is one error now, not one failed job per file
    const options = jobOptions(flags, grammar);
    if (!flags.wait && flags.out !== undefined) throw new Error('--out needs --wait');
    const output = flags.wait ? await BatchOutput.open(files, flags) : null;
    const queue = new TranscriptionQueue({ redis: flags.redis, queue: flags.queue, maxJobBytes: flags.maxMb * 2 ** 20, ttlSeconds: flags.ttl });
    try {
      const showBar = Boolean(output) && flags.progress && process.stderr.isTTY;
      const bar = showBar ? new cliProgress.SingleBar({ stream: process.stderr, format: 'enqueue [{bar}] {value}/{total} files {eta_formatted}' }, cliProgress.Presets.shades_classic) : null;
      bar?.start(files.length, 0);
      let refused = 0;
      await Promise.all(
        files.map(async (path, index) => {
          let outcome: TranscribeOutcome;
          try {
            const job = await queue.submitFile(path, options);
            if (!output) {
              process.stdout.write(`${job.id}\t${path}\n`);
              return;
            }
            const ended = await queue.outcome(job.id);
            outcome = ended.ok ? { ok: true, ...ended.value } : ended;
          } catch (err) {
            if (!output) {
              refused++;
              process.stderr.write(`hearken: skipped ${path}: ${errorText(err)}\n`);
              return;
            }
            outcome = { ok: false, error: errorText(err) };
          }
          bar?.increment();
          output.write(path, outcome, index, bar !== null);
        }),
      );
      bar?.stop();
      if (output) await output.finish();
      if (refused > 0) process.exitCode = 1;
    } finally {
      await queue.close();
    }
  });
}
