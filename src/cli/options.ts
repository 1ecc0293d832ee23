import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_HOTWORD_BOOST } from '../decoder/beam.js';
import type { Hotword } from '../decoder/hotwords.js';
import { dirname, relative } from 'node:path';
import { DEFAULT_ENDPOINT_CONFIG } from '../recognizer/endpoint.js';
import { OptionsError } from '../recognizer/options-error.js';
import { checkHotword, checkRecognizerOption, checkRecognizerOptions } from '../recognizer/options-validation.js';
import { DEFAULT_END_PADDING, MODELS_DIR, defaultModels } from '../recognizer/recognizer.js';
import type { PortableRecognizerOptions } from '../recognizer/recognizer.js';
import { MaskWordsError, parseMaskWordList } from '../text/mask-words.js';

/** A flag's value as a whole number of at least 1 (commander names the flag in its refusal). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** The library's refusal as commander's, so commander names the flag and keeps the library's message. */
function asFlagError<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof OptionsError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/**
 * A numeric decoding flag's parser: the text as a number, checked by the library's rule for `option`
 * (options-validation.ts), so `--beam 0` is refused with createRecognizer({ beamWidth: 0 })'s message.
 */
export function recognizerNumber(option: 'beamWidth' | 'beamThreshold' | 'alpha' | 'beta' | 'endPadding'): (value: string) => number {
  return (value) => asFlagError(() => checkRecognizerOption(option, value.trim() === '' ? Number.NaN : Number(value)));
}

/** Seconds of end padding (RecognizerOptions.endPadding). */
export const endPaddingSeconds = recognizerNumber('endPadding');

/** A repeatable string option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * `word` or `phrase:boost`, repeatable; each checked as the library checks StreamOptions.hotwords, named by its
 * place in the list ("hotwords[1].boost must be a positive number up to 100, got -2").
 */
export function collectHotword(value: string, previous: Hotword[] = []): Hotword[] {
  const colon = value.lastIndexOf(':');
  const boostText = colon > 0 ? value.slice(colon + 1) : undefined;
  const entry = boostText === undefined ? { phrase: value } : { phrase: value.slice(0, colon), boost: boostText.trim() === '' ? Number.NaN : Number(boostText) };
  return [...previous, asFlagError(() => checkHotword(`hotwords[${previous.length}]`, entry))];
}

/** `--hotword`, repeatable. */
export function withHotwordFlag<T extends import('commander').Command>(command: T): T {
  command.option('--hotword <word[:boost]>', `favour a word or phrase; ":boost" says how much, in natural log (default ${DEFAULT_HOTWORD_BOOST}); repeatable`, collectHotword);
  return command;
}

export interface DisplayFlags {
  numerals?: boolean;
  punctuate?: boolean;
}

/** `--numerals` and `--punctuate`; `where` says what they apply to in the command ("", " in every stream ..."). */
export function withDisplayFlags<T extends import('commander').Command>(command: T, where = ''): T {
  command
    .option('--numerals', `write numbers as numerals${where}: "1984", "21st", "3.14", "50%" (default: as spoken)`)
    .option('--punctuate', `punctuate and case for display${where}: "The fox jumped. It was tired." (default: lowercase words)`);
  return command;
}

export interface MaskFlags {
  maskWords?: string;
}

/** `--mask-words FILE`: text stays as heard unless asked. */
export function withMaskWordsFlag<T extends import('commander').Command>(command: T): T {
  command.option('--mask-words <file>', 'show the words listed in FILE (one a line, # comments) as asterisks, one per letter: "what the ****" (default: text as heard)');
  return command;
}

/** The words of `--mask-words FILE`, or undefined without it; an unreadable file or a bad line is an error. */
export async function maskWordsFromFlags(flags: MaskFlags): Promise<string[] | undefined> {
  const path = flags.maskWords;
  if (path === undefined) return undefined;
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read mask word file ${path}: ${err.code ?? err.message}`);
  });
  try {
    return parseMaskWordList(text);
  } catch (err) {
    throw err instanceof MaskWordsError ? new MaskWordsError(err.code, `${path}: ${err.message}`) : err;
  }
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

/** Recognizer settings from the shared decoding flags, checked as createRecognizer checks them. */
export function recognizerOptions(flags: DecodingFlags): PortableRecognizerOptions {
  const options: PortableRecognizerOptions = {
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
  checkRecognizerOptions(options);
  return options;
}

/** The shipped model's folder, LM and tuned decoder settings, as help texts show them; empty when none is installed. */
function shippedDefaults(): { model?: string; lm?: string; decoder: Partial<ReturnType<typeof defaultModels>['decoder']> } {
  try {
    const d = defaultModels();
    const inPackage = (path: string): string => relative(dirname(MODELS_DIR), path);
    return { model: inPackage(d.acousticModel), lm: d.languageModel ? inPackage(d.languageModel) : undefined, decoder: d.decoder };
  } catch {
    return { decoder: {} };
  }
}

/** "384", or "384; 16 with another --model" when tuning for the shipped model sets it. */
function tuned(value: number | undefined, fallback: number): string {
  return value === undefined || value === fallback ? String(fallback) : `${value}; ${fallback} with another --model`;
}

/**
 * Adds the decoding flags of every command that recognises speech; `what` names what they act on in that
 * command ("each file", "each stream", "the input"), so its help says what each does there.
 */
export function withDecodingFlags<T extends import('commander').Command>(command: T, what = 'each file'): T {
  const shipped = shippedDefaults();
  const d = shipped.decoder;
  command
    .option('--model <dir>', `acoustic model folder (default: the shipped model${shipped.model ? `, ${shipped.model}` : ''})`)
    .option('--lm <file>', `language model: Hearken binary (.hklm) or ARPA, gzipped or not (default: the shipped LM${shipped.lm ? `, ${shipped.lm}` : ''})`)
    .option('--no-lm', 'decode without a language model')
    .option('--beam <n>', `beam width: hypotheses kept at each step; lower is faster, less accurate (default: ${tuned(d.beamWidth, 16)})`, recognizerNumber('beamWidth'))
    .option('--beam-threshold <nats>', `drop hypotheses scoring this far below the best; lower is faster (default: ${tuned(d.beamThreshold, 30)})`, recognizerNumber('beamThreshold'))
    .option('--greedy', 'greedy CTC decoding: fastest, no beam, no LM, no hotwords')
    .option('--alpha <x>', `language model weight (default: ${tuned(d.alpha, 0.5)})`, recognizerNumber('alpha'))
    .option('--beta <x>', `word insertion bonus (default: ${tuned(d.beta, 1)})`, recognizerNumber('beta'))
    .option('--lm-lookahead', `charge partial words their best LM probability in context while they grow (default: ${d.lmLookahead ? 'on; off with another --model' : 'off'})`)
    .option('--no-lm-lookahead', 'charge words their LM probability only when they end')
    .option('--no-endpoint', `decode ${what} as one utterance (default: a new utterance after each pause, and after ${DEFAULT_ENDPOINT_CONFIG.maxUtterance} s of speech)`)
    .option('--end-padding <seconds>', `quiet noise heard after ${what} ends, so a last word that runs to its end is kept (default: ${DEFAULT_END_PADDING}; 0: none)`, endPaddingSeconds);
  return command;
}

export interface GrammarFlags {
  grammar?: string[];
  grammarFile?: string;
}

/** Adds `--grammar` and `--grammar-file` (recognition restricted to phrases; see StreamOptions.grammar). */
export function withGrammarFlags<T extends import('commander').Command>(command: T): T {
  command
    .option('--grammar <phrase>', 'recognise only the words of these phrases (repeatable; "[unk]" admits other speech as [unk]; default: any words)', collect)
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
  const grammar = [...(flags.grammar ?? []), ...lines];
  return grammar.length > 0 ? grammar : undefined;
}
