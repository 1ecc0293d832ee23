import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import type { Hotword } from '../decoder/hotwords.js';
import type { WorkerRecognizerOptions } from '../recognizer/transcribe-worker.js';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function finiteNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
  return n;
}

/** Seconds of end padding (RecognizerOptions.endPadding). */
export function endPaddingSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 5) throw new InvalidArgumentError('must be a number of seconds from 0 to 5');
  return n;
}

/** A repeatable string option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `word` or `phrase:boost`, repeatable. */
export function collectHotword(value: string, previous: Hotword[] = []): Hotword[] {
  const colon = value.lastIndexOf(':');
  if (colon > 0) {
    const boost = Number(value.slice(colon + 1));
    if (!Number.isFinite(boost) || boost <= 0) throw new InvalidArgumentError(`hotword boost in "${value}" must be a positive number`);
    return [...previous, { phrase: value.slice(0, colon), boost }];
  }
  if (value.trim() === '') throw new InvalidArgumentError('hotword must not be empty');
  return [...previous, { phrase: value }];
}

export interface DecodingFlags {
  model?: string;
  lm: string | boolean;
  beam?: number;
  beamThreshold?: number;
  greedy?: boolean;
  alpha?: number;
  beta?: number;
  lmLookahead?: boolean;
  endpoint: boolean;
  endPadding?: number;
}

/** Recognizer settings from the shared decoding flags. */
export function recognizerOptions(flags: DecodingFlags): WorkerRecognizerOptions {
  return {
    model: flags.model,
    lm: flags.lm === false ? false : typeof flags.lm === 'string' ? flags.lm : undefined,
    decoding: flags.greedy ? 'greedy' : 'beam',
    beamWidth: flags.beam,
    beamThreshold: flags.beamThreshold,
    alpha: flags.alpha,
    beta: flags.beta,
    lmLookahead: flags.lmLookahead,
    endpoint: flags.endpoint ? undefined : false,
    endPadding: flags.endPadding,
  };
}

/** Adds the decoding flags shared by `transcribe` and `eval`. */
export function withDecodingFlags<T extends import('commander').Command>(command: T): T {
  command
    .option('--model <dir>', 'acoustic model folder (default: the shipped model)')
    .option('--lm <file>', 'ARPA language model (default: the shipped LM)')
    .option('--no-lm', 'decode without a language model')
    .option('--beam <n>', 'beam width (default: the tuned value in models/default.json, else 16)', positiveInt)
    .option('--beam-threshold <nats>', 'drop hypotheses scoring this far below the best: lower is faster (default: the tuned value in models/default.json, else 30)', finiteNumber)
    .option('--greedy', 'greedy CTC decoding (no beam, no LM)')
    .option('--alpha <x>', 'LM weight (default: the tuned value in models/default.json, else 0.5)', finiteNumber)
    .option('--beta <x>', 'word insertion bonus (default: the tuned value in models/default.json, else 1.0)', finiteNumber)
    .option('--lm-lookahead', 'charge partial words their best LM probability in context while they grow (default: as tuned in models/default.json)')
    .option('--no-lm-lookahead', 'charge words their LM probability only when they end')
    .option('--no-endpoint', 'decode each file as one utterance (no endpoint splitting)')
    .option('--end-padding <seconds>', 'quiet noise heard after each file so a last word that runs to its end is kept (default 0.3; 0: none)', endPaddingSeconds);
  return command;
}

export interface GrammarFlags {
  grammar: string[];
  grammarFile?: string;
}

/** Adds `--grammar` and `--grammar-file` (recognition restricted to phrases; see StreamOptions.grammar). */
export function withGrammarFlags<T extends import('commander').Command>(command: T): T {
  command
    .option('--grammar <phrase>', 'recognise only the words of these phrases (repeatable; "[unk]" admits other speech as [unk])', collect, [])
    .option('--grammar-file <file>', 'grammar phrases, one per line (with --grammar: both)');
  return command;
}

/** The grammar the flags ask for, or undefined for open dictation. */
export async function grammarFromFlags(flags: GrammarFlags): Promise<string[] | undefined> {
  let lines: string[] = [];
  if (flags.grammarFile) {
    const path = flags.grammarFile;
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new Error(`cannot read grammar file ${path}: ${err.code ?? err.message}`);
    });
    lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  }
  const grammar = [...flags.grammar, ...lines];
  return grammar.length > 0 ? grammar : undefined;
}
