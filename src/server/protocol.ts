/**
 * The Vosk WebSocket protocol (https://github.com/alphacep/vosk-server), as Hearken speaks it: message
 * parsing and validation, and result formatting. Pure functions, shared by the server and its workers.
 * docs/protocol.md is the reference.
 */
import { GrammarError } from '../decoder/grammar.js';
import type { Hotword } from '../decoder/hotwords.js';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../audio/types.js';
import type { EndpointConfig } from '../recognizer/endpoint.js';
import { OptionsError } from '../recognizer/options-error.js';
import { MAX_ALTERNATIVES, checkEndpointSetting, checkGrammarPhrases, checkHotwords } from '../recognizer/options-validation.js';
import { echo } from '../util/echo.js';
import type { RecognitionResult } from '../recognizer/types.js';
import { DEFAULT_MASK_WORDS, MaskWordsError, compileWordMask } from '../text/mask-words.js';
import { HearkenError } from '../util/errors.js';

/** WebSocket close codes the server uses (RFC 6455 §7.4.1). */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNSUPPORTED_DATA: 1003,
  INVALID_PAYLOAD: 1007,
  POLICY: 1008,
  TOO_BIG: 1009,
  INTERNAL: 1011,
} as const;

/** Why a client message was refused: close 1007 (a known command with bad values) or 1003 (no known command). */
export type ProtocolErrorCode = 'INVALID_PAYLOAD' | 'UNSUPPORTED_DATA';

const PROTOCOL_ERROR_CODES: Readonly<Record<ProtocolErrorCode, number>> = {
  INVALID_PAYLOAD: CloseCode.INVALID_PAYLOAD,
  UNSUPPORTED_DATA: CloseCode.UNSUPPORTED_DATA,
};

/**
 * A client error: the server replies `{"error": message}` and closes with `closeCode`. `code` is the HearkenError
 * code (a string, like every Hearken error's); the WebSocket close code is `closeCode`.
 */
export class ProtocolError extends HearkenError<ProtocolErrorCode> {
  readonly closeCode: number;

  constructor(code: ProtocolErrorCode, message: string) {
    super(code, message);
    this.name = 'ProtocolError';
    this.closeCode = PROTOCOL_ERROR_CODES[code];
  }
}

export type SampleFormat = 's16le' | 'f32le';

/** The settings of one stream, from the client's `config` messages over the server defaults. */
export interface StreamConfig {
  sampleRate: number;
  /** Word times and confidences in results (Vosk `words`). */
  words: boolean;
  /** n-best alternatives per result (Vosk `max_alternatives`; 0: none, plain result). */
  maxAlternatives: number;
  /** Phrases to favour (Hearken's `hotwords` extension). */
  hotwords: Hotword[];
  /** Recognition restricted to these phrases' words (Vosk `phrase_list`; may hold "[unk]"). */
  grammar?: string[];
  /** Endpointing for this stream; undefined: the server's; false: one utterance until eof. */
  endpoint?: Partial<EndpointConfig> | false;
  /** Binary sample format: Vosk's s16le (default) or Hearken's f32le extension. */
  format: SampleFormat;
  /** Numbers written as numerals in results and partials (Hearken's `numerals` extension; StreamOptions.numerals). */
  numerals?: boolean;
  /** Results and partials punctuated and cased for display (Hearken's `punctuate` extension; StreamOptions.punctuate). */
  punctuate?: boolean;
  /** Words shown as asterisks in results and partials (Hearken's `mask_words` extension: a list, or true for DEFAULT_MASK_WORDS; StreamOptions.maskWords). */
  maskWords?: string[];
}

export function defaultStreamConfig(sampleRate = 16000): StreamConfig {
  return { sampleRate, words: false, maxAlternatives: 0, hotwords: [], format: 's16le' };
}

export const BYTES_PER_SAMPLE: Record<SampleFormat, number> = { s16le: 2, f32le: 4 };

export type ClientCommand = { type: 'config'; config: Partial<StreamConfig> } | { type: 'eof' } | { type: 'reset' };

export { MAX_PHRASE_LIST_CHARS } from '../recognizer/options-validation.js';
export { echo } from '../util/echo.js';

/** WebSocket close reasons are limited to 123 bytes of UTF-8 (RFC 6455 §5.5). */
const MAX_CLOSE_REASON_BYTES = 123;

/** `text` cut to a close frame's 123 bytes in one step, never inside a UTF-8 character. */
export function closeReason(text: string): string {
  const bytes = Buffer.from(text.length > MAX_CLOSE_REASON_BYTES ? text.slice(0, MAX_CLOSE_REASON_BYTES) : text, 'utf8');
  if (bytes.length <= MAX_CLOSE_REASON_BYTES) return bytes.toString('utf8');
  let end = MAX_CLOSE_REASON_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back off to the start of a character
  return bytes.subarray(0, end).toString('utf8');
}

function invalid(message: string): ProtocolError {
  return new ProtocolError('INVALID_PAYLOAD', message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Vosk clients send flags as 1/0 or true/false. */
function flag(value: unknown, name: string): boolean {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  throw invalid(`"${name}" must be true, false, 1 or 0, got ${echo(value)}`);
}

/** A stream option checked by the library's own rules (options-validation.ts): the same refusal, sent as 1007. */
function option<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof OptionsError || err instanceof GrammarError) throw invalid(err.message);
    throw err;
  }
}

/** `mask_words`: true for the default list, false for none, or a list of words. */
function maskWordList(value: unknown): string[] {
  if (value === true || value === false) return value ? [...DEFAULT_MASK_WORDS] : [];
  if (!Array.isArray(value)) throw invalid(`"mask_words" must be true, false or an array of words, got ${value === null ? 'null' : typeof value}`);
  try {
    return [...compileWordMask(value).words];
  } catch (err) {
    if (err instanceof MaskWordsError) throw invalid(`"mask_words": ${err.message}`);
    throw err;
  }
}

/** Validates the body of a `config` message; unknown keys and wrong types are errors (1007). */
export function parseConfig(body: unknown): Partial<StreamConfig> {
  if (!isPlainObject(body)) throw invalid('"config" must be an object');
  const out: Partial<StreamConfig> = {};
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'sample_rate': {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_SAMPLE_RATE || value > MAX_SAMPLE_RATE) {
          throw invalid(`"sample_rate" must be an integer from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}, got ${echo(value)}`);
        }
        out.sampleRate = value;
        break;
      }
      case 'words':
        out.words = flag(value, 'words');
        break;
      case 'max_alternatives': {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_ALTERNATIVES) {
          throw invalid(`"max_alternatives" must be an integer from 0 to ${MAX_ALTERNATIVES}, got ${echo(value)}`);
        }
        out.maxAlternatives = value;
        break;
      }
      case 'phrase_list': {
        // Vosk's grammar: only these phrases' words can be recognised; "[unk]" admits other speech as [unk].
        // Only the shape is checked here: normalising and compiling (tens of ms for a large list) happen in
        // the stream's decode worker, off the main thread, which reports a bad phrase as 1007.
        out.grammar = option(() => checkGrammarPhrases(value, 'phrase_list'));
        break;
      }
      case 'hotwords': {
        const hotwords = option(() => checkHotwords(value));
        if (hotwords.length > 0) out.hotwords = hotwords;
        break;
      }
      case 'endpoint': {
        const endpoint = option(() => checkEndpointSetting(value ?? null));
        if (endpoint !== undefined) out.endpoint = endpoint === false ? false : { ...endpoint };
        break;
      }
      case 'numerals':
        out.numerals = flag(value, 'numerals');
        break;
      case 'punctuate':
        out.punctuate = flag(value, 'punctuate');
        break;
      case 'mask_words':
        out.maskWords = maskWordList(value);
        break;
      case 'format':
        if (value !== 's16le' && value !== 'f32le') throw invalid(`"format" must be "s16le" or "f32le", got ${echo(value)}`);
        out.format = value;
        break;
      default:
        throw invalid(`unknown config key ${echo(key)}`);
    }
  }
  return out;
}

/**
 * Parses a text message. Not JSON → 1007; JSON that is not one known command → 1003 (unsupported);
 * a known command with bad values → 1007.
 */
export function parseTextMessage(text: string): ClientCommand {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('text message is not valid JSON');
  }
  if (!isPlainObject(json)) throw new ProtocolError('UNSUPPORTED_DATA', 'text message must be a JSON object: {"config": {...}}, {"eof": 1} or {"reset": 1}');
  const keys = Object.keys(json);
  if (keys.length !== 1) {
    throw new ProtocolError('UNSUPPORTED_DATA', `text message must hold exactly one of "config", "eof", "reset"; got ${keys.length} keys: ${keys.slice(0, 3).map(echo).join(', ')}${keys.length > 3 ? ', ...' : ''}`);
  }
  const key = keys[0]!;
  const value = json[key];
  switch (key) {
    case 'config':
      return { type: 'config', config: parseConfig(value) };
    case 'eof':
    case 'reset':
      if (value !== 1 && value !== true) throw invalid(`"${key}" must be 1, got ${echo(value)}`);
      return { type: key };
    default:
      throw new ProtocolError('UNSUPPORTED_DATA', `unknown message ${echo(key)} (known: config, eof, reset)`);
  }
}

/** Vosk prints times and confidences with 6 decimals; keep JSON numbers short and stable. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export interface VoskWord {
  conf: number;
  start: number;
  end: number;
  word: string;
}

/** A final result in Vosk's shape: `{result?, text}` or, with alternatives, `{alternatives: [...]}`. */
export function formatResult(result: RecognitionResult, config: Pick<StreamConfig, 'words' | 'maxAlternatives'>): Record<string, unknown> {
  const words: VoskWord[] = result.words.map((w) => ({ conf: round6(w.conf), start: round6(w.start), end: round6(w.end), word: w.word }));
  if (config.maxAlternatives > 0) {
    const alternatives = (result.alternatives.length > 0 ? result.alternatives : [{ text: result.text, confidence: 0 }])
      .slice(0, config.maxAlternatives)
      .map((a, i) => {
        const alt: Record<string, unknown> = { confidence: round6(a.confidence) };
        // Word times exist for the best hypothesis only.
        if (config.words && i === 0 && a.text === result.text && words.length > 0) alt.result = words;
        alt.text = a.text;
        return alt;
      });
    return { alternatives };
  }
  const out: Record<string, unknown> = {};
  if (config.words && words.length > 0) out.result = words;
  out.text = result.text;
  return out;
}

export function formatPartial(text: string): { partial: string } {
  return { partial: text };
}

/** Shifts a result's times by `offset` seconds (streams restarted by reset keep the connection's time base). */
export function shiftResult(result: RecognitionResult, offset: number): RecognitionResult {
  if (offset === 0) return result;
  const r = (x: number): number => Math.round((x + offset) * 1000) / 1000;
  return {
    ...result,
    start: r(result.start),
    end: r(result.end),
    words: result.words.map((w) => ({ ...w, start: r(w.start), end: r(w.end) })),
  };
}
